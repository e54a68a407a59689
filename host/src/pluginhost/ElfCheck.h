#pragma once
// Checks a plugin candidate before dlopen sees it. dlopen maps a shared object's segments
// straight from the file, so a truncated file (what an interrupted copy leaves) is mapped past
// its end and the first touch of the missing part kills the process with SIGBUS, inside dlopen,
// before anything could be logged. So every candidate is read first: an ELF shared object of
// this machine's class, byte order and architecture, whose program headers, every segment they
// map, and section headers all lie inside the file. Anything else is refused with a reason.
//
// Written here rather than taken from a library: the check is a few fixed-size reads of
// <elf.h> structures, and the libraries that parse ELF (libelf, LIEF) would add a dependency
// to answer "is the file as long as its headers say".
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mcph::pluginhost {

// Reads `length` bytes at `offset` into `out`; false when they are not all there.
using ByteReader = std::function<bool(std::uint64_t offset, std::size_t length, void* out)>;

// Why the image of `fileSize` bytes, read through `read`, is not a loadable shared object of
// this machine; nullopt when it is. Pure: used on files and, by the fuzzer, on memory.
std::optional<std::string> elfImageProblem(const ByteReader& read, std::uint64_t fileSize);

// The same for the file at `path`, which must be a regular file (a FIFO or device named
// "x.so" is refused without blocking). Never throws.
std::optional<std::string> sharedObjectProblem(const std::string& path);
// The same for a file already open as `fd` (read with pread; its offset is left alone).
std::optional<std::string> openSharedObjectProblem(int fd);

}  // namespace mcph::pluginhost

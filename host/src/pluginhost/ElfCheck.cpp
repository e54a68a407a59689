#include "pluginhost/ElfCheck.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <limits>

namespace mcph::pluginhost {
namespace {

#if defined(__x86_64__)
constexpr std::uint16_t kMachine = EM_X86_64;
constexpr const char* kMachineName = "x86-64";
#elif defined(__aarch64__)
constexpr std::uint16_t kMachine = EM_AARCH64;
constexpr const char* kMachineName = "AArch64";
#else
#error "mcp-host: add this architecture's ELF machine number"
#endif
static_assert(sizeof(void*) == 8, "plugins are checked as ELFCLASS64");

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kByteOrder = ELFDATA2LSB;
#else
constexpr unsigned char kByteOrder = ELFDATA2MSB;
#endif

// A program header table larger than this is no plugin (and not worth reading).
constexpr std::uint16_t kMaxProgramHeaders = 1024;

// offset + length <= size, without overflow.
bool inside(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
    return offset <= size && length <= size - offset;
}

std::string bytes(std::uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

std::optional<std::string> elfImageProblem(const ByteReader& read, std::uint64_t fileSize) {
    Elf64_Ehdr eh{};
    if (fileSize < EI_NIDENT || !read(0, EI_NIDENT, eh.e_ident) ||
        std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
        return std::string("not an ELF file");
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) return std::string("not a 64-bit ELF file");
    if (eh.e_ident[EI_DATA] != kByteOrder) return std::string("ELF file of the other byte order");
    if (fileSize < sizeof eh || !read(0, sizeof eh, &eh)) {
        return "truncated: " + bytes(fileSize) + ", shorter than an ELF header";
    }
    if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT) return std::string("unknown ELF version");
    if (eh.e_type != ET_DYN) return std::string("not a shared object (ELF type ") + std::to_string(eh.e_type) + ")";
    if (eh.e_machine != kMachine) {
        return "built for another machine (ELF machine " + std::to_string(eh.e_machine) + ", this host is " +
               kMachineName + ")";
    }
    if (eh.e_phnum == 0) return std::string("has no program headers");
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > kMaxProgramHeaders) {
        return std::string("malformed program header table");
    }
    const std::uint64_t phBytes = std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr);
    if (!inside(eh.e_phoff, phBytes, fileSize)) {
        return "truncated: " + bytes(fileSize) + ", but its program headers end at byte " +
               std::to_string(eh.e_phoff + phBytes);
    }
    bool dynamic = false;
    for (std::uint16_t i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        if (!read(eh.e_phoff + std::uint64_t{i} * sizeof ph, sizeof ph, &ph)) return std::string("unreadable program header");
        if (ph.p_type == PT_DYNAMIC) dynamic = true;
        if (ph.p_type != PT_LOAD && ph.p_type != PT_DYNAMIC) continue;
        // What dlopen maps from the file: every byte must exist, or touching it is SIGBUS.
        if (!inside(ph.p_offset, ph.p_filesz, fileSize)) {
            return "truncated: " + bytes(fileSize) + ", but a segment it maps ends at byte " +
                   (ph.p_offset > std::numeric_limits<std::uint64_t>::max() - ph.p_filesz
                        ? std::string("beyond 2^64")
                        : std::to_string(ph.p_offset + ph.p_filesz));
        }
        if (ph.p_type == PT_LOAD && ph.p_filesz > ph.p_memsz) return std::string("malformed segment (file size over memory size)");
    }
    if (!dynamic) return std::string("has no dynamic section (not a shared library)");
    // The section headers come last in the file: a copy cut short loses them first.
    if (eh.e_shoff != 0) {
        if (eh.e_shentsize != sizeof(Elf64_Shdr)) return std::string("malformed section header table");
        // e_shnum 0 with a table present: the count is in section 0 (more than 0xff00 sections).
        const std::uint64_t count = eh.e_shnum != 0 ? eh.e_shnum : 1;
        if (!inside(eh.e_shoff, count * sizeof(Elf64_Shdr), fileSize)) {
            return "truncated: " + bytes(fileSize) + ", but its section headers end at byte " +
                   std::to_string(eh.e_shoff + count * sizeof(Elf64_Shdr));
        }
    }
    return std::nullopt;
}

std::optional<std::string> openSharedObjectProblem(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "cannot be read: " + std::string(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return std::string("not a regular file");
    const ByteReader read = [fd](std::uint64_t offset, std::size_t length, void* out) {
        if (offset > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max())) return false;
        auto* p = static_cast<unsigned char*>(out);
        while (length > 0) {
            const ssize_t n = ::pread(fd, p, length, static_cast<off_t>(offset));
            if (n <= 0) return false;
            p += n;
            offset += static_cast<std::uint64_t>(n);
            length -= static_cast<std::size_t>(n);
        }
        return true;
    };
    return elfImageProblem(read, static_cast<std::uint64_t>(st.st_size));
}

std::optional<std::string> sharedObjectProblem(const std::string& path) {
    // O_NONBLOCK: opening a FIFO named "x.so" must not wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return "cannot be opened: " + std::string(std::strerror(errno));
    std::optional<std::string> problem = openSharedObjectProblem(fd);
    ::close(fd);
    return problem;
}

}  // namespace mcph::pluginhost

// Plugin candidates before dlopen (a file an operator or an interrupted copy left in the plugins
// directory): pluginhost::elfImageProblem over an in-memory image, as sharedObjectProblem reads a
// file. The check documents no exception and must never read outside the image; an accepted
// image must hold every byte its headers name, which is what keeps dlopen from SIGBUS.
#include <elf.h>

#include <cstring>

#include "FuzzSupport.h"
#include "pluginhost/ElfCheck.h"

using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "elf_image";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mcph::pluginhost::ByteReader read = [&](std::uint64_t offset, std::size_t length, void* out) {
        if (offset > size || length > size - offset) return false;
        std::memcpy(out, data + offset, length);
        return true;
    };
    const auto problem = mcph::pluginhost::elfImageProblem(read, size);
    if (problem) {
        if (problem->empty()) fuzzFail(kTarget, "a refusal without a reason");
        return 0;
    }
    // Accepted: re-check the promise independently of the checker's own arithmetic.
    Elf64_Ehdr eh;
    if (size < sizeof eh) fuzzFail(kTarget, "an image shorter than its ELF header was accepted");
    std::memcpy(&eh, data, sizeof eh);
    if (eh.e_type != ET_DYN) fuzzFail(kTarget, "a non-shared object was accepted");
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        const unsigned __int128 at = static_cast<unsigned __int128>(eh.e_phoff) + i * sizeof ph;
        if (at + sizeof ph > size) fuzzFail(kTarget, "program headers past the end were accepted");
        std::memcpy(&ph, data + static_cast<std::size_t>(at), sizeof ph);
        if ((ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC) &&
            static_cast<unsigned __int128>(ph.p_offset) + ph.p_filesz > size)
            fuzzFail(kTarget, "a segment past the end of the image was accepted");
    }
    return 0;
}

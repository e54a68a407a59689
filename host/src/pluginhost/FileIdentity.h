#pragma once
// What tells one version of a file from another without reading it: device and inode (an
// atomic rename brings a new inode), size and modification time (a file rewritten in place
// keeps its inode).
#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>

namespace mcph::pluginhost {

struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t modifiedSeconds = 0;
    std::int64_t modifiedNanoseconds = 0;

    static FileIdentity of(const struct stat& st);
    // Follows symbolic links, as dlopen would; nullopt when the path cannot be stat'ed.
    static std::optional<FileIdentity> ofPath(const std::string& path);

    bool operator==(const FileIdentity& other) const;
    bool operator!=(const FileIdentity& other) const { return !(*this == other); }
};

}  // namespace mcph::pluginhost

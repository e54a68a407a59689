#include "pluginhost/FileIdentity.h"

#include <tuple>

namespace mcph::pluginhost {

FileIdentity FileIdentity::of(const struct stat& st) {
    FileIdentity id;
    id.device = static_cast<std::uint64_t>(st.st_dev);
    id.inode = static_cast<std::uint64_t>(st.st_ino);
    id.size = static_cast<std::int64_t>(st.st_size);
    id.modifiedSeconds = static_cast<std::int64_t>(st.st_mtim.tv_sec);
    id.modifiedNanoseconds = static_cast<std::int64_t>(st.st_mtim.tv_nsec);
    return id;
}

std::optional<FileIdentity> FileIdentity::ofPath(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return of(st);
}

bool FileIdentity::operator==(const FileIdentity& other) const {
    return std::tie(device, inode, size, modifiedSeconds, modifiedNanoseconds) ==
           std::tie(other.device, other.inode, other.size, other.modifiedSeconds,
                    other.modifiedNanoseconds);
}

}  // namespace mcph::pluginhost

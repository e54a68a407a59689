#pragma once
// A private copy of a plugin file, the one the host actually loads: its bytes are copied into
// an anonymous in-memory file (memfd), sealed, checked (ElfCheck.h), and dlopen'ed as
// /proc/self/fd/N. Why not dlopen the file itself:
//  - glibc's dlopen hands back the object already loaded under the same path string. A plugin
//    replaced at the same path while a call still holds the old version would silently keep
//    the old code. Every copy has its own name and inode, so every version is a load of its own.
//  - The bytes checked are the bytes loaded: the copy is sealed before the check, so a writer
//    changing the file meanwhile changes neither.
//  - The file may be rewritten in place while loaded without the mapped code changing under a
//    running call.
// The descriptor stays open for the library's life: were it closed, a later copy could get the
// same number, hence the same /proc/self/fd/N name, and dlopen would match it to this library.
// Without /proc (a chroot that could not mount it) the sealed copy is written once more, to a
// file whose name is never reused, in a private directory (mkdtemp under $TMPDIR or /tmp); that
// file is removed with the image.
#include <string>
#include <variant>

#include "pluginhost/FileIdentity.h"

namespace mcph::pluginhost {

class PluginImage {
  public:
    PluginImage() = default;
    ~PluginImage();
    PluginImage(PluginImage&& other) noexcept;
    PluginImage& operator=(PluginImage&& other) noexcept;
    PluginImage(const PluginImage&) = delete;
    PluginImage& operator=(const PluginImage&) = delete;

    // Copies and checks `file`; the reason when it is not a loadable shared object of this
    // machine or cannot be copied. Never throws.
    static std::variant<PluginImage, std::string> copyOf(const std::string& file);

    // What to hand to dlopen.
    std::string loadPath() const;
    // The file the copy was taken from, as it was while being read.
    const FileIdentity& source() const { return source_; }

  private:
    void release() noexcept;

    int fd_ = -1;
    std::string path_;          // what dlopen gets
    std::string fallbackFile_;  // the copy on disk without /proc; removed with the image
    FileIdentity source_;
};

}  // namespace mcph::pluginhost

#include "pluginhost/PluginImage.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "pluginhost/ElfCheck.h"

namespace mcph::pluginhost {
namespace {

// Linux 6.3: with vm.memfd_noexec=1 a memfd is not executable unless asked for; older
// kernels refuse the flag (EINVAL) and every memfd is executable there.
#ifndef MFD_EXEC
constexpr unsigned int MFD_EXEC = 0x0010U;
#endif

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Closes `fd` when it goes out of scope (the source file, or a copy not handed out).
struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

int createMemfd(const std::string& file) {
    const std::string name = "mcph-plugin " + file.substr(file.find_last_of('/') + 1);
    const unsigned int flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
    int fd = ::memfd_create(name.c_str(), flags | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = ::memfd_create(name.c_str(), flags);
    return fd;
}

// Copies all of `from` into `to`; false with errno set on a read or write error.
bool copyAll(int from, int to) {
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::sendfile(to, from, &offset, 1 << 20);
        if (n == 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

// The process's private directory for copies on disk (made once); "" when it cannot be made.
const std::string& fallbackDirectory() {
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mcph-plugins-XXXXXX";
        return ::mkdtemp(pattern.data()) ? pattern : std::string();
    }();
    return dir;
}

// Writes the sealed copy `memfd` to a new file of its own; its path, or the reason it failed.
std::variant<std::string, std::string> writeFallbackCopy(int memfd, const std::string& file) {
    static std::atomic<unsigned long> sequence{0};
    const std::string& dir = fallbackDirectory();
    if (dir.empty())
        return std::variant<std::string, std::string>(
            std::in_place_index<1>, errnoText("no /proc, and no private directory for a copy"));
    const std::string path =
        dir + "/" + std::to_string(++sequence) + "-" + file.substr(file.find_last_of('/') + 1);
    FdCloser out{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0500)};
    if (out.fd < 0 || !copyAll(memfd, out.fd)) {
        const std::string why = errnoText(("no /proc, and cannot write a copy to " + path).c_str());
        ::unlink(path.c_str());
        return std::variant<std::string, std::string>(std::in_place_index<1>, why);
    }
    return std::variant<std::string, std::string>(std::in_place_index<0>, path);
}

}  // namespace

PluginImage::~PluginImage() { release(); }

void PluginImage::release() noexcept {
    if (!fallbackFile_.empty()) ::unlink(fallbackFile_.c_str());
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    path_.clear();
    fallbackFile_.clear();
}

PluginImage::PluginImage(PluginImage&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      fallbackFile_(std::move(other.fallbackFile_)),
      source_(other.source_) {
    other.path_.clear();
    other.fallbackFile_.clear();
}

PluginImage& PluginImage::operator=(PluginImage&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        fallbackFile_ = std::move(other.fallbackFile_);
        source_ = other.source_;
        other.path_.clear();
        other.fallbackFile_.clear();
    }
    return *this;
}

std::variant<PluginImage, std::string> PluginImage::copyOf(const std::string& file) {
    // O_NONBLOCK: opening a FIFO named "x.so" must not wait for a writer.
    FdCloser source{::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
    if (source.fd < 0) return errnoText("cannot be opened");
    struct stat before {};
    if (::fstat(source.fd, &before) != 0) return errnoText("cannot be read");
    if (!S_ISREG(before.st_mode)) return std::string("not a regular file");

    FdCloser copy{createMemfd(file)};
    if (copy.fd < 0) return errnoText("cannot make a private copy to load");
    if (!copyAll(source.fd, copy.fd)) return errnoText("cannot be read");
    struct stat after {};
    if (::fstat(source.fd, &after) != 0) return errnoText("cannot be read");
    if (FileIdentity::of(before) != FileIdentity::of(after)) {
        return std::string("changed while it was read (still being written?)");
    }
    if (::fcntl(copy.fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) !=
        0) {
        return errnoText("cannot seal the private copy");
    }
    if (auto problem = openSharedObjectProblem(copy.fd)) return *problem;

    PluginImage image;
    image.path_ = "/proc/self/fd/" + std::to_string(copy.fd);
    if (::access(image.path_.c_str(), R_OK) != 0) {
        auto written = writeFallbackCopy(copy.fd, file);
        if (written.index() == 1) return std::get<1>(written);
        image.path_ = image.fallbackFile_ = std::get<0>(written);
    }
    image.fd_ = std::exchange(copy.fd, -1);
    image.source_ = FileIdentity::of(before);
    return std::variant<PluginImage, std::string>(std::move(image));
}

std::string PluginImage::loadPath() const { return path_; }

}  // namespace mcph::pluginhost

#include "pluginhost/PluginDirectoryWatcher.h"

#include <Poco/Logger.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <system_error>

#include "pluginhost/PluginCandidates.h"

namespace mcph::pluginhost {
namespace {

using Clock = std::chrono::steady_clock;

Poco::Logger& log() { return Poco::Logger::get("mcp-host.plugins"); }

constexpr std::uint32_t kFinishedChanges = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;

}  // namespace

PluginDirectoryWatcher::PluginDirectoryWatcher(const std::string& dir,
                                               std::function<void()> onChange,
                                               std::chrono::milliseconds settle,
                                               std::chrono::milliseconds maxDelay)
    : dir_(dir), onChange_(std::move(onChange)), settle_(settle), maxDelay_(maxDelay) {
    inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
    if (::inotify_add_watch(inotify_, dir.c_str(),
                            kFinishedChanges | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
        const int error = errno;
        ::close(inotify_);
        throw std::system_error(error, std::generic_category(), "cannot watch " + dir);
    }
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_ < 0) {
        const int error = errno;
        ::close(inotify_);
        throw std::system_error(error, std::generic_category(), "eventfd");
    }
    thread_ = std::thread([this] { run(); });
}

PluginDirectoryWatcher::~PluginDirectoryWatcher() {
    const std::uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
    thread_.join();
    ::close(wake_);
    ::close(inotify_);
}

bool PluginDirectoryWatcher::drainEvents() {
    bool relevant = false;
    alignas(inotify_event) char buffer[16 * 1024];
    for (;;) {
        const ssize_t n = ::read(inotify_, buffer, sizeof buffer);
        if (n <= 0) return relevant;  // EAGAIN: all read
        for (const char* p = buffer; p < buffer + n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(p);
            p += sizeof(inotify_event) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                relevant = true;  // events were lost: look at everything
            } else if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
                log().warning(
                    "plugins.watch: %s was removed or moved; it is no longer watched (SIGHUP or "
                    "POST /plugins/rescan still rescan it)",
                    dir_);
            } else if (event->len > 0 && (event->mask & kFinishedChanges) &&
                       isPluginFileName(event->name)) {
                relevant = true;
            }
        }
    }
}

void PluginDirectoryWatcher::run() {
    std::optional<Clock::time_point> firstEvent;  // of the burst waiting for its rescan
    Clock::time_point lastEvent;
    for (;;) {
        int timeoutMs = -1;
        if (firstEvent) {
            const auto due = std::min(lastEvent + settle_, *firstEvent + maxDelay_);
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(due - Clock::now());
            timeoutMs = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
        }
        pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, timeoutMs);
        if (ready < 0 && errno != EINTR) {
            log().error("plugins.watch: poll failed; %s is no longer watched", dir_);
            return;
        }
        if (fds[1].revents != 0) return;
        if (ready > 0 && fds[0].revents != 0 && drainEvents()) {
            lastEvent = Clock::now();
            if (!firstEvent) firstEvent = lastEvent;
        }
        if (firstEvent && Clock::now() >= std::min(lastEvent + settle_, *firstEvent + maxDelay_)) {
            firstEvent.reset();
            try {
                onChange_();
            } catch (const std::exception& e) {
                log().error("plugins.watch: rescan failed: %s", std::string(e.what()));
            }
        }
    }
}

}  // namespace mcph::pluginhost

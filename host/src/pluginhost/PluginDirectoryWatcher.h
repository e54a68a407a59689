#pragma once
// Watches plugins.dir with inotify and calls `onChange` once a burst of changes to plugin files
// (PluginCandidates.h) has settled. Only finished changes count: a file closed after writing
// (IN_CLOSE_WRITE), renamed in or out (IN_MOVED_TO, IN_MOVED_FROM) or deleted (IN_DELETE);
// never IN_CREATE or IN_MODIFY, so a file still being written is not looked at because of its
// own writes. Poco's DirectoryWatcher reports creations and modifications only, not the close
// after writing, hence inotify directly.
//
// `onChange` runs on the watcher's own thread; the destructor wakes it (eventfd), waits for a
// running `onChange` to return and joins.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace mcph::pluginhost {

class PluginDirectoryWatcher {
  public:
    // `settle`: how long a burst must be quiet before `onChange`; `maxDelay`: the longest a
    // change waits under a steady stream of events. Throws std::system_error when `dir` cannot
    // be watched.
    PluginDirectoryWatcher(const std::string& dir, std::function<void()> onChange,
                           std::chrono::milliseconds settle = std::chrono::milliseconds(100),
                           std::chrono::milliseconds maxDelay = std::chrono::milliseconds(1000));
    ~PluginDirectoryWatcher();
    PluginDirectoryWatcher(const PluginDirectoryWatcher&) = delete;
    PluginDirectoryWatcher& operator=(const PluginDirectoryWatcher&) = delete;

  private:
    void run();
    // Reads every queued event; true when one of them concerns a plugin file.
    bool drainEvents();

    const std::string dir_;
    const std::function<void()> onChange_;
    const std::chrono::milliseconds settle_;
    const std::chrono::milliseconds maxDelay_;
    int inotify_ = -1;
    int wake_ = -1;  // eventfd: written once to stop the thread
    std::thread thread_;
};

}  // namespace mcph::pluginhost

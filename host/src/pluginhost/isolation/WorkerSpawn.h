#pragma once
// Starts one mcph-plugin-worker process with a socketpair as its only descriptor (fd 3).
#include <sys/types.h>

#include <string>

namespace mcph::pluginhost::isolation {

struct SpawnedWorker {
    pid_t pid = -1;
    int channelFd = -1;  // the host's end, close-on-exec
};

// Throws std::runtime_error with the reason when the worker cannot be started.
SpawnedWorker spawnWorker(const std::string& workerPath, const std::string& pluginName);

// The worker executable: `configured` when set, else mcph-plugin-worker next to the running
// binary (build tree: build/bin; installed: <prefix>/bin).
std::string workerExecutable(const std::string& configured);

}  // namespace mcph::pluginhost::isolation

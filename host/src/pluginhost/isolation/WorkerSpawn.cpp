#include "pluginhost/isolation/WorkerSpawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace mcph::pluginhost::isolation {
namespace {

// The worker gets the fd of its end here (WorkerMain reads it).
constexpr int kChildChannelFd = 3;

// The host's environment may hold secrets (client secrets, signing keys through ${NAME} in the
// config): the worker gets only what ordinary libraries need.
std::vector<std::string> workerEnvironment() {
    std::vector<std::string> env;
    for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "LD_LIBRARY_PATH"}) {
        if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    }
    return env;
}

struct FileActions {
    posix_spawn_file_actions_t actions;
    FileActions() { posix_spawn_file_actions_init(&actions); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

}  // namespace

std::string workerExecutable(const std::string& configured) {
    if (!configured.empty()) return configured;
    std::vector<char> buffer(4096);
    const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
    if (n <= 0) return "mcph-plugin-worker";
    std::string self(buffer.data(), static_cast<std::size_t>(n));
    return self.substr(0, self.find_last_of('/') + 1) + "mcph-plugin-worker";
}

SpawnedWorker spawnWorker(const std::string& workerPath, const std::string& pluginName) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    }
    // Above fd 3, so dup2 onto 3 below always makes a fresh, inheritable descriptor.
    const int childFd = ::fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
    ::close(fds[1]);
    if (childFd < 0) {
        ::close(fds[0]);
        throw std::runtime_error(std::string("fcntl: ") + std::strerror(errno));
    }
    FileActions files;
    posix_spawn_file_actions_addopen(&files.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files.actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files.actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&files.actions, childFd, kChildChannelFd);
    // Whatever the host opened without O_CLOEXEC (Poco's sockets, for one) stays behind.
    posix_spawn_file_actions_addclosefrom_np(&files.actions, kChildChannelFd + 1);

    std::vector<std::string> env = workerEnvironment();
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string arg0 = "mcph-plugin-worker", arg1 = pluginName;
    char* argv[] = {arg0.data(), arg1.data(), nullptr};

    // The host blocks and ignores signals for its own reasons; the worker starts clean.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    const int rc =
        ::posix_spawn(&pid, workerPath.c_str(), &files.actions, &attr, argv, envp.data());
    posix_spawnattr_destroy(&attr);
    ::close(childFd);
    if (rc != 0) {
        ::close(fds[0]);
        throw std::runtime_error("cannot start " + workerPath + ": " + std::strerror(rc));
    }
    return {pid, fds[0]};
}

}  // namespace mcph::pluginhost::isolation

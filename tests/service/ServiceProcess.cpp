#include "ServiceProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace mcph::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ServiceProcess::ServiceProcess(const std::vector<std::string>& args, const std::string& logFile,
                               const std::map<std::string, std::string>& env)
    : logFile_(logFile) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<std::string> argStore{MCPH_HOST_BIN};
    argStore.insert(argStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStore) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStore;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        if (!env.count(entry.substr(0, entry.find('=')))) envStore.push_back(entry);
    }
    for (const auto& [name, value] : env) envStore.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : envStore) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int rc = posix_spawn(&pid_, MCPH_HOST_BIN, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        throw std::runtime_error(std::string("cannot start mcp-host: ") + std::strerror(rc));
    }
    // Read stdout until the listening line, with a deadline.
    const std::string marker = "mcp-host listening on ";
    std::string text;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 200) > 0) {
            char buffer[512];
            const ssize_t n = ::read(out[0], buffer, sizeof buffer);
            if (n <= 0) break;  // the host closed stdout: it exited
            text.append(buffer, static_cast<std::size_t>(n));
            const auto at = text.find(marker);
            const auto end = at == std::string::npos ? at : text.find('\n', at);
            if (end != std::string::npos) {
                mcpUrl_ = text.substr(at + marker.size(), end - at - marker.size());
                const auto colon = mcpUrl_.rfind(':');
                port_ = static_cast<unsigned short>(std::stoi(mcpUrl_.substr(colon + 1)));
                ::close(out[0]);  // later stdout writes go nowhere harmful (SIGPIPE is ignored)
                return;
            }
        }
        if (!running()) break;
    }
    ::close(out[0]);
    if (running()) ::kill(pid_, SIGKILL), ::waitpid(pid_, &status_, 0), pid_ = -1;
    throw std::runtime_error("mcp-host did not start listening; its log:\n" + log());
}

ServiceProcess::~ServiceProcess() {
    if (pid_ > 0 && running()) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
}

void ServiceProcess::signal(int sig) const { ::kill(pid_, sig); }

bool ServiceProcess::running() {
    if (pid_ <= 0) return false;
    if (status_ != -1) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        status_ = status;
        return false;
    }
    return true;
}

std::string ServiceProcess::log() const { return readAll(logFile_); }

bool ServiceProcess::waitForLog(const std::string& text, std::chrono::seconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (log().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return log().find(text) != std::string::npos;
}

int ServiceProcess::stop() {
    if (!running()) return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline && running())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (running()) return -1;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

}  // namespace mcph::testing

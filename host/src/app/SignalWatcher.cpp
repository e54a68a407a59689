#include "app/SignalWatcher.h"

#include <Poco/Logger.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace mcph::app {

namespace {

constexpr int kWatched[] = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2};

int gPipe[2] = {-1, -1};
std::atomic<bool> gInstalled{false};

extern "C" void onSignal(int sig) {
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(sig);
    // Non-blocking: with the pipe full, signals are already waiting to be read.
    [[maybe_unused]] const ssize_t n = ::write(gPipe[1], &byte, 1);
    errno = saved;
}

void setDisposition(int sig, void (*handler)(int)) {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(sig, &action, nullptr);
}

const char* nameOf(int sig) {
    switch (sig) {
        case SIGTERM:
            return "SIGTERM";
        case SIGINT:
            return "SIGINT";
        case SIGQUIT:
            return "SIGQUIT";
        case SIGHUP:
            return "SIGHUP";
        case SIGUSR1:
            return "SIGUSR1";
        case SIGUSR2:
            return "SIGUSR2";
        default:
            return "a signal";
    }
}

}  // namespace

SignalWatcher::SignalWatcher() {
    if (gInstalled.exchange(true)) throw std::logic_error("one SignalWatcher per process");
    if (::pipe2(gPipe, O_CLOEXEC) != 0) throw std::runtime_error("cannot create the signal pipe");
    ::fcntl(gPipe[1], F_SETFL, ::fcntl(gPipe[1], F_GETFL) | O_NONBLOCK);
    setDisposition(SIGPIPE, SIG_IGN);
    for (int sig : kWatched) setDisposition(sig, onSignal);
}

SignalWatcher::~SignalWatcher() {
    for (int sig : kWatched) setDisposition(sig, SIG_DFL);
    ::close(gPipe[0]);
    ::close(gPipe[1]);
    gPipe[0] = gPipe[1] = -1;
    gInstalled = false;
}

int SignalWatcher::next() {
    for (;;) {
        unsigned char byte = 0;
        const ssize_t n = ::read(gPipe[0], &byte, 1);
        if (n == 1) return byte;
        if (n < 0 && errno == EINTR) continue;
        throw std::runtime_error("the signal pipe closed");
    }
}

int SignalWatcher::waitForStop(const std::function<void()>& reload) {
    auto& log = Poco::Logger::get("mcp-host");
    for (;;) {
        const int sig = next();
        if (sig == SIGHUP) {
            log.notice("SIGHUP: reloading");
            reload();
        } else if (sig == SIGUSR1 || sig == SIGUSR2) {
            log.notice("%s: ignored (SIGHUP reloads, SIGTERM stops)", std::string(nameOf(sig)));
        } else {
            log.notice("%s: stopping", std::string(nameOf(sig)));
            return sig;
        }
    }
}

}  // namespace mcph::app

#include "support/RedisServer.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace mcph::testing {

namespace {

std::string redisBinary() {
    const char* env = std::getenv("MCPH_REDIS_SERVER");
    return env && *env ? env : "/usr/bin/redis-server";
}

// True once the server answers PING on the socket.
bool answersPing(const std::string& socket) {
    try {
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, socket),
                  Poco::Timespan(0, 200000));
        s.setReceiveTimeout(Poco::Timespan(0, 500000));
        const std::string ping = "PING\r\n";
        s.sendBytes(ping.data(), static_cast<int>(ping.size()));
        char buffer[16] = {};
        const int n = s.receiveBytes(buffer, sizeof buffer - 1);
        return n > 0 && std::string(buffer, static_cast<std::size_t>(n)).rfind("+PONG", 0) == 0;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

RedisServer::RedisServer(bool appendOnly, std::vector<std::string> extraArgs)
    : socket_(dir_.path() + "/redis.sock"),
      appendOnly_(appendOnly),
      extraArgs_(std::move(extraArgs)) {
    // A client writing to a connection this server closed gets EPIPE, as in the host (which
    // ignores SIGPIPE), instead of the test process dying of the signal.
    ::signal(SIGPIPE, SIG_IGN);
    start();
}

RedisServer::~RedisServer() { stop(); }

void RedisServer::start() {
    const std::string binary = redisBinary();
    std::vector<std::string> args = {binary,
                                     "--port",
                                     "0",
                                     "--unixsocket",
                                     socket_,
                                     "--unixsocketperm",
                                     "700",
                                     "--dir",
                                     dir_.path(),
                                     "--save",
                                     "",
                                     "--appendonly",
                                     appendOnly_ ? "yes" : "no",
                                     "--appendfsync",
                                     "always",
                                     "--daemonize",
                                     "no",
                                     "--loglevel",
                                     "warning",
                                     "--logfile",
                                     dir_.path() + "/redis.log"};
    args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv.data(), environ);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot run " + binary +
                                 ": install the Debian package redis-server (scripts/setup.sh)");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (answersPing(socket_)) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error(binary + " exited at start; see " + dir_.path() +
                                     "/redis.log");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop();
    throw std::runtime_error(binary + " did not answer PING within 10 s");
}

void RedisServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

void RedisServer::restart() {
    stop();
    start();
}

}  // namespace mcph::testing

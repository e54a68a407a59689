#include "http/SseStreamHub.h"

#include <Poco/Logger.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace mcph::http {
namespace {

using Clock = std::chrono::steady_clock;

// One chunk of the chunked transfer coding (RFC 9112 §7.1): size in hex, CRLF, data, CRLF.
std::string chunk(const std::string& data) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    std::string out(size);
    out.reserve(out.size() + data.size() + 2);
    out += data;
    out += "\r\n";
    return out;
}

constexpr const char* kLastChunk = "0\r\n\r\n";

}  // namespace

// ---- SseConnection --------------------------------------------------------------------------

SseConnection::SseConnection(SseStreamHub& hub, Poco::Net::StreamSocket socket, std::function<void()> onClosed)
    : hub_(hub), socket_(std::move(socket)), onClosed_(std::move(onClosed)), lastWrite_(Clock::now()) {
    socket_.setBlocking(false);
    socket_.setNoDelay(true);
    // The kernel's share of a slow reader's backlog stays small too (it grows to megabytes by
    // default), so thousands of streams cost little and the buffer bound cuts off a stalled
    // reader early.
    socket_.setSendBufferSize(64 * 1024);
    fd_ = socket_.impl()->sockfd();
}

bool SseConnection::flushLocked() {
    while (!pending_.empty()) {
        const ssize_t n = ::send(fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            pending_.erase(0, static_cast<std::size_t>(n));
            lastWrite_ = Clock::now();
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;
    }
    return true;
}

bool SseConnection::send(const std::string& sseText) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (ended_.load() || finishing_ || broken_) return false;
    pending_ += chunk(sseText);
    if (pending_.size() > hub_.options_.maxBufferedBytes) {
        // A reader this far behind is cut off rather than buffered without bound; its client
        // reconnects with Last-Event-ID and is replayed what it missed.
        broken_ = true;
        pending_.clear();
        lock.unlock();
        hub_.wantWrite(shared_from_this());
        return false;
    }
    if (!flushLocked()) broken_ = true;
    const bool needLoop = broken_ || (!pending_.empty() && !writeArmed_);
    lock.unlock();
    if (needLoop) hub_.wantWrite(shared_from_this());
    return true;
}

void SseConnection::end() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ended_.load() || finishing_) return;
        finishing_ = true;
        if (!broken_) {
            pending_ += kLastChunk;
            if (!flushLocked()) broken_ = true;
        }
    }
    hub_.wantWrite(shared_from_this());
}

// ---- SseStreamHub ---------------------------------------------------------------------------

SseStreamHub::SseStreamHub(SseStreamHubOptions options) : options_(options) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wakeFd_ < 0) throw std::runtime_error("cannot create the stream event loop");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wakeFd_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeFd_, &ev);
    loop_ = std::thread([this] { run(); });
}

SseStreamHub::~SseStreamHub() {
    endAll();
    ::close(wakeFd_);
    ::close(epoll_);
}

std::shared_ptr<SseConnection> SseStreamHub::adopt(Poco::Net::StreamSocket socket, std::function<void()> onClosed) {
    std::shared_ptr<SseConnection> c(new SseConnection(*this, std::move(socket), std::move(onClosed)));
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_.load()) {
            c->ended_ = true;
            return c;  // shutting down: the socket closes with `c`, onClosed never armed
        }
        streams_[c->fd_] = c;
    }
    epoll_event ev{};
    // Level-triggered: readable means the client sent something (it should not) or left.
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = c->fd_;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd_, &ev) != 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        streams_.erase(c->fd_);
        c->ended_ = true;
        if (c->onClosed_) std::exchange(c->onClosed_, nullptr)();
    }
    return c;
}

std::size_t SseStreamHub::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return streams_.size();
}

void SseStreamHub::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wakeFd_, &one, sizeof one);
}

void SseStreamHub::wantWrite(const std::shared_ptr<SseConnection>& c) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        dirty_.push_back(c);
    }
    wake();
}

void SseStreamHub::finish(const std::shared_ptr<SseConnection>& c) {
    if (c->ended_.exchange(true)) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        streams_.erase(c->fd_);
    }
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd_, nullptr);
    std::function<void()> onClosed;
    {
        std::lock_guard<std::mutex> lock(c->mutex_);
        onClosed = std::exchange(c->onClosed_, nullptr);
        try {
            c->socket_.close();
        } catch (const std::exception&) {
        }
    }
    if (onClosed) onClosed();
}

void SseStreamHub::heartbeats(Clock::time_point now) {
    std::vector<std::shared_ptr<SseConnection>> quiet;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [_, c] : streams_) quiet.push_back(c);
    }
    for (const auto& c : quiet) {
        bool due;
        {
            std::lock_guard<std::mutex> lock(c->mutex_);
            due = now - c->lastWrite_ >= options_.heartbeat;
        }
        // A comment line: clients ignore it; proxies see traffic and keep the stream open.
        if (due) c->send(": keep-alive\n\n");
    }
}

void SseStreamHub::run() {
    epoll_event events[256];
    auto nextHeartbeat = Clock::now() + std::chrono::seconds(1);
    while (!stopping_.load()) {
        const int n = ::epoll_wait(epoll_, events, 256, 250);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == wakeFd_) {
                std::uint64_t count;
                while (::read(wakeFd_, &count, sizeof count) > 0) {
                }
                continue;
            }
            std::shared_ptr<SseConnection> c;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                auto it = streams_.find(fd);
                if (it != streams_.end()) c = it->second;
            }
            if (!c) continue;
            const std::uint32_t ev = events[i].events;
            bool gone = (ev & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0;
            if (!gone && (ev & EPOLLIN)) {
                // An SSE client sends nothing more on this connection: bytes are dropped, and
                // end of stream means it left.
                char scratch[4096];
                const ssize_t got = ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
                gone = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
            }
            if (!gone && (ev & EPOLLOUT)) {
                std::lock_guard<std::mutex> lock(c->mutex_);
                if (!c->flushLocked()) c->broken_ = true;
                gone = c->broken_ || (c->finishing_ && c->ready());
                if (!gone && c->ready() && c->writeArmed_) {
                    epoll_event mod{};
                    mod.events = EPOLLIN | EPOLLRDHUP;
                    mod.data.fd = fd;
                    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &mod);
                    c->writeArmed_ = false;
                }
            }
            if (gone) finish(c);
        }
        std::vector<std::shared_ptr<SseConnection>> dirty;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            dirty.swap(dirty_);
        }
        for (const auto& c : dirty) {
            if (c->ended_.load()) continue;
            bool close;
            {
                std::lock_guard<std::mutex> lock(c->mutex_);
                if (!c->broken_ && !c->flushLocked()) c->broken_ = true;
                close = c->broken_ || (c->finishing_ && c->ready());
                if (!close && !c->ready() && !c->writeArmed_) {
                    epoll_event mod{};
                    mod.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
                    mod.data.fd = c->fd_;
                    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c->fd_, &mod);
                    c->writeArmed_ = true;
                }
            }
            if (close) finish(c);
        }
        const auto now = Clock::now();
        if (now >= nextHeartbeat) {
            heartbeats(now);
            nextHeartbeat = now + std::chrono::seconds(1);
        }
    }
}

void SseStreamHub::endAll() {
    std::vector<std::shared_ptr<SseConnection>> all;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_.load()) return;
        for (const auto& [_, c] : streams_) all.push_back(c);
    }
    for (const auto& c : all) c->end();
    // Each gets its final chunk; a client that does not take it within a few seconds is closed.
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    while (size() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_.store(true);
    }
    wake();
    if (loop_.joinable()) loop_.join();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        all.clear();
        for (const auto& [_, c] : streams_) all.push_back(c);
    }
    for (const auto& c : all) finish(c);
}

}  // namespace mcph::http

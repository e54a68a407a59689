#include "mcphost/auth/server/RedisGrantChanges.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <chrono>

#include "RespFrames.h"

namespace mcph::auth::server {
namespace {

using Clock = std::chrono::steady_clock;

// A quiet subscription is checked with PING (allowed while subscribed) this often; a Redis that
// answers nothing for kSilentFor (gone without closing the socket, a network partition) counts
// as lost, and until then nothing is missed: its messages would have arrived first.
constexpr std::chrono::seconds kPingEvery{1};
constexpr std::chrono::seconds kSilentFor{3};
constexpr std::chrono::milliseconds kFirstRetry{250};
constexpr std::chrono::seconds kMaxRetry{5};

Poco::Logger& log() { return Poco::Logger::get("mcp-host.auth"); }

class Lost : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

bool isMessage(const resp::Value& v) {
    return v.type == '*' && v.items.size() == 3 && v.items[0].text == "message" &&
           v.items[2].type == '$';
}

// Reads until one whole frame is in, within `limit`.
resp::Value readFrame(Poco::Net::StreamSocket& socket, resp::FrameReader& reader,
                      std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    resp::Value v;
    while (true) {
        const resp::Parse p = reader.next(v);
        if (p == resp::Parse::Frame) return v;
        if (p == resp::Parse::Invalid) throw Lost("not a RESP2 answer");
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
        if (left.count() <= 0 || !socket.poll(Poco::Timespan(left.count()), Poco::Net::Socket::SELECT_READ))
            throw Lost("no answer");
        char buffer[4096];
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) throw Lost("connection closed");
        reader.append(buffer, std::size_t(n));
    }
}

}  // namespace

RedisGrantChanges::RedisGrantChanges(RedisEndpoint endpoint, std::string channel,
                                     Listener changed)
    : endpoint_(std::move(endpoint)), channel_(std::move(channel)), changed_(std::move(changed)) {
    RedisConnection check(endpoint_);  // a bad URL fails here, not in the thread
    thread_ = std::thread([this] { run(); });
}

RedisGrantChanges::~RedisGrantChanges() {
    stop_ = true;
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RedisGrantChanges::run() {
    auto retry = std::chrono::milliseconds(kFirstRetry);
    while (!stopping()) {
        const auto started = Clock::now();
        listenOnce();
        live_ = false;
        if (stopping()) return;
        // A subscription that held a while earns a quick retry; failures in a row back off.
        if (Clock::now() - started > std::chrono::seconds(30)) retry = kFirstRetry;
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, retry, [this] { return stopping(); });
        retry = std::min<std::chrono::milliseconds>(retry * 2, kMaxRetry);
    }
}

void RedisGrantChanges::listenOnce() {
    const RedisConnection where(endpoint_);
    const auto answerWithin =
        std::chrono::milliseconds(std::max<long long>(endpoint_.timeout.totalMilliseconds(), 100));
    Poco::Net::StreamSocket socket;
    resp::FrameReader reader;
    try {
        socket.connect(where.socketAddress(), endpoint_.timeout);
        auto send = [&socket](const std::string& bytes) { socket.sendBytes(bytes.data(), int(bytes.size())); };
        if (!endpoint_.password.empty()) {
            std::vector<std::string> auth{"AUTH"};
            if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
            auth.push_back(endpoint_.password);
            send(resp::command(auth));
            const resp::Value answer = readFrame(socket, reader, answerWithin);
            // WRONGPASS and NOAUTH name no secret; say which it was.
            if (answer.type != '+') throw Lost(answer.type == '-' ? answer.text : "AUTH refused");
        }
        send(resp::command({"SUBSCRIBE", channel_}));
        const resp::Value confirmed = readFrame(socket, reader, answerWithin);
        if (confirmed.type != '*' || confirmed.items.empty() || confirmed.items[0].text != "subscribe")
            throw Lost(confirmed.type == '-' ? confirmed.text : "SUBSCRIBE refused");
        live_ = true;
        // Whatever changed while this instance was not listening is unknown: forget it all.
        changed_("");
        auto lastHeard = Clock::now();
        auto lastPing = lastHeard;
        while (!stopping()) {
            const auto now = Clock::now();
            if (now - lastHeard > kSilentFor) throw Lost("Redis stopped answering");
            if (now - lastPing >= kPingEvery) {
                send(resp::command({"PING"}));
                lastPing = now;
            }
            resp::Value v;
            resp::Parse p = reader.next(v);
            if (p == resp::Parse::Incomplete) {
                // Wakes at least every 250 ms, to notice stop() and to ping a quiet line.
                if (!socket.poll(Poco::Timespan(0, 250000), Poco::Net::Socket::SELECT_READ)) continue;
                char buffer[4096];
                const int n = socket.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) throw Lost("connection closed");
                reader.append(buffer, std::size_t(n));
                continue;
            }
            if (p == resp::Parse::Invalid) throw Lost("not a RESP2 message");
            lastHeard = Clock::now();
            if (isMessage(v)) changed_(v.items[2].text);
        }
    } catch (const Lost& e) {
        log().warning("grant changes: %s on %s; listening again", std::string(e.what()),
                      endpoint_.url);
    } catch (const Poco::Exception& e) {
        log().warning("grant changes: %s on %s; listening again", e.displayText(), endpoint_.url);
    }
    live_ = false;
    try {
        socket.close();
    } catch (const Poco::Exception&) {
    }
}

}  // namespace mcph::auth::server

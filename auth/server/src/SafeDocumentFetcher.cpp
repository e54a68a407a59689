#include "mcphost/auth/server/SafeDocumentFetcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <istream>
#include <memory>
#include <mutex>
#include <thread>

#include "mcphost/auth/server/CimdAddressPolicy.h"

namespace mcph::auth::server {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Poco::Timespan toTimespan(milliseconds ms) {
    return Poco::Timespan(
        static_cast<Poco::Timespan::TimeDiff>(std::max<long long>(ms.count(), 1)) * 1000);
}

milliseconds remainingUntil(Clock::time_point deadline) {
    return std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
}

// Our own client context (as in PocoHttpFetcher): nothing in the application configuration can
// turn certificate verification off for it, and a failed chain check fails closed.
Poco::Net::Context::Ptr documentTlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = true;
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    });
    return context;
}

// The pinning: a session is built on a socket we connected ourselves to a checked address
// (attachSocket, as Poco does for its proxy tunnels), and every way Poco has to connect on its
// own is closed. HTTPClientSession reconnects by host name when it thinks the connection is
// stale or a write fails; here that throws instead, so no second DNS lookup can ever happen.
// (The constructors that take a connected socket cannot be used: they set the port afterwards,
// which Poco 1.11 refuses on a connected session.)
[[noreturn]] void refuseReconnect() {
    throw Poco::Net::NetException(
        "reconnecting is not allowed: the connection is pinned to a checked address");
}

// Keep-alive, because a session that is not closes its (already connected) socket before the
// first request and reconnects; the request itself says Connection: close. No proxy, whatever
// the process-wide proxy configuration says.
class PinnedHttpSession final : public Poco::Net::HTTPClientSession {
  public:
    PinnedHttpSession(const Poco::Net::StreamSocket& connected, const std::string& host,
                      Poco::UInt16 port)
        : HTTPClientSession(host, port) {
        setProxyConfig(ProxyConfig{});
        setKeepAlive(true);
        attachSocket(connected);
    }

  protected:
    void connect(const Poco::Net::SocketAddress&) override { refuseReconnect(); }
};

class PinnedHttpsSession final : public Poco::Net::HTTPSClientSession {
  public:
    PinnedHttpsSession(const Poco::Net::SecureStreamSocket& connected, const std::string& host,
                       Poco::UInt16 port, Poco::Net::Context::Ptr context)
        : HTTPSClientSession(host, port, context) {
        setProxyConfig(ProxyConfig{});
        setKeepAlive(true);
        attachSocket(connected);
    }

  protected:
    void connect(const Poco::Net::SocketAddress&) override { refuseReconnect(); }
};

// Enforces the total deadline from a watcher thread: when it passes, the connection is shut down,
// which wakes any blocked read or write (TLS handshake and header parsing included, which a
// per-read timeout alone cannot bound). It shuts down a duplicate of the descriptor it owns, so
// even if Poco closes the original first the number can never be reused under it.
class DeadlineGuard {
  public:
    DeadlineGuard(Clock::time_point deadline, poco_socket_t fd)
        : deadline_(deadline), fd_(::dup(fd)) {
        if (fd_ < 0) return;  // no watcher: the per-read timeouts still bound each read
        watcher_ = std::thread([this] {
            std::unique_lock<std::mutex> lock(mutex_);
            if (!cv_.wait_until(lock, deadline_, [this] { return done_; })) {
                expired_ = true;
                ::shutdown(fd_, SHUT_RDWR);
            }
        });
    }
    ~DeadlineGuard() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        if (watcher_.joinable()) watcher_.join();
        if (fd_ >= 0) ::close(fd_);
    }
    DeadlineGuard(const DeadlineGuard&) = delete;
    DeadlineGuard& operator=(const DeadlineGuard&) = delete;

    bool expired() {
        std::lock_guard<std::mutex> lock(mutex_);
        return expired_ || Clock::now() >= deadline_;
    }

  private:
    Clock::time_point deadline_;
    int fd_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    bool expired_ = false;
    std::thread watcher_;
};

SafeFetchResult failure(std::string why) {
    SafeFetchResult r;
    r.error = std::move(why);
    return r;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isJsonMediaType(const std::string& contentType) {
    std::string type = lower(contentType.substr(0, contentType.find(';')));
    type.erase(
        std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
        type.end());
    return type == "application/json" ||
           (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0 &&
            type.rfind("application/", 0) == 0);
}

// max-age from Cache-Control; no-store and no-cache count as 0 (the caller applies its floor).
std::optional<std::chrono::seconds> maxAgeOf(const std::string& cacheControl) {
    const std::string cc = lower(cacheControl);
    if (cc.find("no-store") != std::string::npos || cc.find("no-cache") != std::string::npos) {
        return std::chrono::seconds(0);
    }
    const auto at = cc.find("max-age=");
    if (at == std::string::npos) return std::nullopt;
    long long value = 0;
    std::size_t i = at + 8;
    if (i >= cc.size() || !std::isdigit(static_cast<unsigned char>(cc[i]))) return std::nullopt;
    for (; i < cc.size() && std::isdigit(static_cast<unsigned char>(cc[i])) && value < 100000000;
         ++i) {
        value = value * 10 + (cc[i] - '0');
    }
    return std::chrono::seconds(value);
}

}  // namespace

SafeDocumentFetcher::SafeDocumentFetcher(SafeFetchOptions options)
    : options_(std::move(options)),
      tlsContext_(options_.tlsContext ? options_.tlsContext : documentTlsContext()) {}

SafeFetchResult SafeDocumentFetcher::fetch(const CimdClientIdUrl& url) const {
    if (url.scheme == "http" && !options_.allowHttp)
        return failure("plain http document URLs are not allowed");
    if (url.scheme != "https" && url.scheme != "http") return failure("unsupported URL scheme");
    const Clock::time_point deadline = Clock::now() + options_.totalTimeout;

    // 1. Resolve once.
    std::vector<Poco::Net::IPAddress> addresses;
    try {
        if (url.hostIsIpLiteral) {
            addresses.push_back(Poco::Net::IPAddress::parse(url.host));
        } else if (options_.resolve) {
            addresses = options_.resolve(url.host);
        } else {
            addresses = Poco::Net::DNS::hostByName(url.host).addresses();
        }
    } catch (const Poco::Exception&) {
        return failure("cannot resolve " + url.host);
    }
    if (addresses.empty()) return failure("cannot resolve " + url.host);

    // 2. Check every address before connecting: one bad answer refuses the lot, so a name that
    // mixes public and internal addresses cannot win by retrying.
    if (!options_.allowPrivateAddresses) {
        for (const auto& address : addresses) {
            const AddressClass c = CimdAddressPolicy::classify(address);
            if (c != AddressClass::Public) {
                return failure(url.host + " resolves to a " + CimdAddressPolicy::describe(c) +
                               " address");
            }
        }
    }

    // 3. Connect to a checked address (at most three tries; the deadline bounds them all).
    Poco::Net::StreamSocket tcp;
    bool connected = false;
    std::string lastError = "no address";
    for (std::size_t i = 0; i < addresses.size() && i < 3 && !connected; ++i) {
        const milliseconds left = remainingUntil(deadline);
        if (left.count() <= 0) break;
        try {
            Poco::Net::StreamSocket attempt;
            attempt.connect(Poco::Net::SocketAddress(addresses[i], url.port),
                            toTimespan(std::min(options_.connectTimeout, left)));
            tcp = attempt;
            connected = true;
        } catch (const Poco::Exception& e) {
            lastError = e.displayText();
        }
    }
    if (!connected) return failure("cannot connect to " + url.authority + ": " + lastError);

    // 4. One request on that connection. Declared in this order so the guard stops watching
    // before the session and the socket are closed.
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    DeadlineGuard guard(deadline, tcp.impl()->sockfd());
    try {
        const Poco::Timespan perRead =
            toTimespan(std::min(options_.readTimeout, remainingUntil(deadline)));
        tcp.setReceiveTimeout(perRead);
        tcp.setSendTimeout(perRead);
        tcp.setNoDelay(true);
        if (url.scheme == "https") {
            // The handshake sends SNI for the name and verifies the certificate against it.
            Poco::Net::SecureStreamSocket tls =
                Poco::Net::SecureStreamSocket::attach(tcp, url.host, tlsContext_);
            session = std::make_unique<PinnedHttpsSession>(tls, url.host, url.port, tlsContext_);
        } else {
            session = std::make_unique<PinnedHttpSession>(tcp, url.host, url.port);
        }

        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, url.target,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Host", url.authority);
        request.setKeepAlive(false);
        request.set("Accept", "application/json");
        request.set("User-Agent", options_.userAgent);
        session->sendRequest(request);

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        const int status = static_cast<int>(response.getStatus());
        if (status >= 300 && status < 400) {
            return failure("answered with a redirect (HTTP " + std::to_string(status) +
                           "), which is not followed");
        }
        if (status != 200) return failure("answered HTTP " + std::to_string(status));
        if (!isJsonMediaType(response.getContentType()))
            return failure("answered with a non-JSON content type");
        const std::size_t cap = options_.maxBytes;
        if (response.hasContentLength() &&
            response.getContentLength64() > static_cast<Poco::Int64>(cap)) {
            return failure("document larger than " + std::to_string(cap) + " bytes");
        }
        // At most cap + 1 bytes: one byte over is enough to know it is too big.
        std::string body;
        char buffer[2048];
        while (body.size() <= cap) {
            in.read(buffer,
                    static_cast<std::streamsize>(std::min(sizeof buffer, cap + 1 - body.size())));
            const auto got = in.gcount();
            if (got <= 0) break;
            body.append(buffer, static_cast<std::size_t>(got));
        }
        if (guard.expired())
            return failure("took longer than " + std::to_string(options_.totalTimeout.count()) +
                           " ms");
        if (in.bad()) return failure("connection failed while reading the document");
        if (body.size() > cap)
            return failure("document larger than " + std::to_string(cap) + " bytes");

        SafeFetchResult result;
        result.body = std::move(body);
        result.maxAge = maxAgeOf(response.get("Cache-Control", ""));
        return result;
    } catch (const Poco::Exception& e) {
        if (guard.expired())
            return failure("took longer than " + std::to_string(options_.totalTimeout.count()) +
                           " ms");
        // displayText() describes the transport or TLS failure; it never includes a body.
        return failure("request to " + url.authority + " failed: " + e.displayText());
    } catch (const std::exception& e) {
        return failure("request to " + url.authority + " failed: " + e.what());
    }
}

}  // namespace mcph::auth::server

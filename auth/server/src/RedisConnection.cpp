#include "mcphost/auth/server/RedisConnection.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/Redis/Command.h>

namespace mcph::auth::server {

RedisConnection::RedisConnection(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {
    const std::string& url = endpoint_.url;
    const std::string tcp = "redis://";
    const std::string unixScheme = "unix://";
    if (url.rfind(unixScheme, 0) == 0 && url.size() > unixScheme.size() + 1 &&
        url[unixScheme.size()] == '/') {
        socketPath_ = url.substr(unixScheme.size());
        return;
    }
    if (url.rfind(tcp, 0) != 0) {
        throw std::invalid_argument("expected redis://host:port or unix:///path, got \"" + url +
                                    "\"");
    }
    std::string rest = url.substr(tcp.size());
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.find('@') != std::string::npos) {
        // Never echo it: it may hold a password.
        throw std::invalid_argument(
            "a redis URL must not carry credentials: set the password in the environment");
    }
    const auto colon = rest.rfind(':');
    unsigned port = 6379;
    if (colon != std::string::npos) {
        if (!Poco::NumberParser::tryParseUnsigned(rest.substr(colon + 1), port) || port == 0 ||
            port > 65535) {
            throw std::invalid_argument("bad port in redis URL \"" + url + "\"");
        }
        rest.resize(colon);
    }
    if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']')
        rest = rest.substr(1, rest.size() - 2);
    if (rest.empty()) throw std::invalid_argument("no host in redis URL \"" + url + "\"");
    host_ = rest;
    port_ = static_cast<int>(port);
}

void RedisConnection::ensureConnectedLocked() {
    if (client_.isConnected()) return;
    try {
        client_.connect(socketAddress(), endpoint_.timeout);
        client_.setReceiveTimeout(endpoint_.timeout);
        if (!endpoint_.password.empty()) {
            Poco::Redis::Array auth;
            auth << "AUTH";
            if (!endpoint_.username.empty()) auth << endpoint_.username;
            auth << endpoint_.password;
            client_.execute<std::string>(auth);
        }
    } catch (const Poco::Redis::RedisException& e) {
        client_.disconnect();
        // WRONGPASS and NOAUTH name no secret; say which it was.
        throw RedisUnavailable("redis " + endpoint_.url + ": " + e.message());
    } catch (const Poco::Exception& e) {
        client_.disconnect();
        throw RedisUnavailable("redis " + endpoint_.url + ": " + e.displayText());
    }
}

Poco::Net::SocketAddress RedisConnection::socketAddress() const {
    if (!socketPath_.empty())
        return Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, socketPath_);
    return Poco::Net::SocketAddress(host_, static_cast<Poco::UInt16>(port_));
}

bool RedisConnection::unavailableReply(const std::string& message) {
    if (message.empty()) return true;
    for (const char* prefix :
         {"Lost connection", "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "NOAUTH"}) {
        if (message.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

std::string RedisConnection::problem() {
    try {
        Poco::Redis::Array ping;
        ping << "PING";
        const std::string answer = execute<std::string>(ping);
        return answer == "PONG" ? std::string() : "unexpected answer to PING";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace mcph::auth::server

#include "mcphost/auth/server/RedirectUriPolicy.h"

#include <algorithm>
#include <cctype>

namespace mcph::auth::server {

namespace {

// A URI taken apart without rewriting anything; only what the checks below need.
struct Uri {
    std::string scheme;     // lowercased
    bool hierarchical = false;  // "scheme://authority..."
    std::string authority;  // as written
    std::string host;       // as written ("[::1]" keeps its brackets)
    std::string port;       // digits, "" when absent
    std::string path;       // as written, "" or starting with '/'
    std::string query;      // as written, without '?'
    bool hasQuery = false;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Schemes that run code, read local files or otherwise are never a redirect target. Private-use
// schemes (RFC 8252 §7.1) are otherwise allowed: desktop clients (Cursor) use them.
bool deniedScheme(const std::string& s) {
    static const char* denied[] = {"javascript", "data", "file", "vbscript", "about", "blob", "filesystem",
                                   "view-source", "ftp", "ws", "wss", "mailto", "tel", "sms", "intent", "chrome",
                                   "chrome-extension", "resource", "jar"};
    return std::any_of(std::begin(denied), std::end(denied), [&](const char* d) { return s == d; });
}

// Parses and applies the character-level rules; fills `reason` on failure.
std::optional<Uri> parse(const std::string& text, std::string& reason) {
    if (text.empty()) return reason = "empty redirect URI", std::nullopt;
    if (text.size() > RedirectUriPolicy::kMaxUriLength) return reason = "redirect URI too long", std::nullopt;
    for (unsigned char c : text) {
        // Whitespace and control characters are how "https://good.example\t@evil" tricks start;
        // a backslash is read as '/' by browsers; raw non-ASCII should have been percent-encoded.
        if (c <= 0x20 || c >= 0x7f) return reason = "redirect URI contains whitespace, control or non-ASCII characters", std::nullopt;
        if (c == '\\') return reason = "redirect URI contains a backslash", std::nullopt;
    }
    if (text.find('#') != std::string::npos) return reason = "redirect URI has a fragment", std::nullopt;
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(text[0]))) {
        return reason = "redirect URI is not absolute", std::nullopt;
    }
    Uri u;
    u.scheme = lower(text.substr(0, colon));
    for (char c : u.scheme) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
            return reason = "redirect URI is not absolute", std::nullopt;
        }
    }
    std::string rest = text.substr(colon + 1);
    if (rest.empty()) return reason = "redirect URI is only a scheme", std::nullopt;
    const auto q = rest.find('?');
    if (q != std::string::npos) {
        u.hasQuery = true;
        u.query = rest.substr(q + 1);
        rest.resize(q);
    }
    if (rest.rfind("//", 0) == 0) {
        u.hierarchical = true;
        const auto slash = rest.find('/', 2);
        u.authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
        u.path = slash == std::string::npos ? "" : rest.substr(slash);
        if (u.authority.find('@') != std::string::npos) return reason = "redirect URI has userinfo", std::nullopt;
        std::string hostPort = u.authority;
        if (!hostPort.empty() && hostPort[0] == '[') {
            const auto close = hostPort.find(']');
            if (close == std::string::npos) return reason = "redirect URI has a malformed host", std::nullopt;
            u.host = hostPort.substr(0, close + 1);
            // An IPv6 literal: hex digits, colons and dots only (no zone ids, no percent tricks).
            if (close < 3 || !std::all_of(u.host.begin() + 1, u.host.end() - 1, [](unsigned char c) {
                    return std::isxdigit(c) || c == ':' || c == '.';
                })) {
                return reason = "redirect URI has a malformed host", std::nullopt;
            }
            hostPort = hostPort.substr(close + 1);
            if (!hostPort.empty() && hostPort[0] != ':') return reason = "redirect URI has a malformed host", std::nullopt;
            if (!hostPort.empty()) u.port = hostPort.substr(1);
        } else {
            const auto pc = hostPort.find(':');
            u.host = hostPort.substr(0, pc);
            if (pc != std::string::npos) u.port = hostPort.substr(pc + 1);
            for (char c : u.host) {
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
                    return reason = "redirect URI has a malformed host", std::nullopt;
                }
            }
        }
        if (!u.port.empty() || (!u.authority.empty() && u.authority.back() == ':')) {
            const bool digits = !u.port.empty() && u.port.size() <= 5 &&
                                std::all_of(u.port.begin(), u.port.end(), [](unsigned char c) { return std::isdigit(c); });
            if (!digits || std::stol(u.port) < 1 || std::stol(u.port) > 65535) {
                return reason = "redirect URI has an invalid port", std::nullopt;
            }
        }
    } else {
        u.path = rest;
    }
    return u;
}

bool isLoopbackHost(const std::string& host) { return host == "localhost" || host == "127.0.0.1" || host == "[::1]"; }

// Scheme, lowercased host, effective port and path: how the host's own callback is recognised
// whatever spelling a client uses. The port counts, loopback included: a client's own loopback
// listener on another port with the same path (the MCP Inspector's
// http://127.0.0.1:6276/oauth/callback next to a host on 127.0.0.1:8080) is a different
// server. Since matches() checks the presented URI too, a registered loopback URI can still
// never be presented with the host's own port.
std::string callbackKey(const Uri& u) {
    const std::string host = lower(u.host);
    std::string port = u.port;
    if ((u.scheme == "https" && port == "443") || (u.scheme == "http" && port == "80")) port.clear();
    std::string path = u.path.empty() ? "/" : u.path;
    return u.scheme + "://" + host + ":" + port + path;
}

}  // namespace

RedirectUriPolicy::RedirectUriPolicy(std::vector<std::string> ownCallbacks) : ownCallbacks_(std::move(ownCallbacks)) {}

std::optional<std::string> RedirectUriPolicy::rejectReason(const std::string& uri) const {
    std::string reason;
    const auto u = parse(uri, reason);
    if (!u) return reason;
    if (deniedScheme(u->scheme)) return "redirect URI scheme \"" + u->scheme + "\" is not allowed";
    if (u->scheme == "http" || u->scheme == "https") {
        if (!u->hierarchical || u->host.empty()) return std::string("redirect URI has no host");
        if (u->scheme == "http" && !isLoopbackHost(u->host)) {
            // Case matters here: matching is exact, and "LOCALHOST" would be a second spelling.
            return std::string("http redirect URIs are allowed only on localhost, 127.0.0.1 or [::1]");
        }
        for (const auto& own : ownCallbacks_) {
            std::string ignored;
            const auto o = parse(own, ignored);
            if (o && callbackKey(*o) == callbackKey(*u)) return std::string("redirect URI is the host's own callback");
        }
    } else if (u->hierarchical && u->authority.empty() && u->path.size() <= 1) {
        return std::string("redirect URI has no target");  // "myapp://" or "myapp:///"
    }
    return std::nullopt;
}

RedirectUriFilterResult RedirectUriPolicy::filter(const std::vector<std::string>& uris) const {
    RedirectUriFilterResult result;
    for (const auto& uri : uris) {
        if (auto reason = rejectReason(uri)) {
            result.rejected.emplace_back(uri, std::move(*reason));
        } else if (std::find(result.accepted.begin(), result.accepted.end(), uri) == result.accepted.end()) {
            result.accepted.push_back(uri);
        }
    }
    return result;
}

bool RedirectUriPolicy::isLoopbackHttp(const std::string& uri) {
    std::string reason;
    const auto u = parse(uri, reason);
    return u && u->scheme == "http" && u->hierarchical && isLoopbackHost(u->host);
}

bool RedirectUriPolicy::matches(const std::string& registered, const std::string& presented) const {
    if (rejectReason(presented)) return false;
    if (registered == presented) return true;
    std::string reason;
    const auto r = parse(registered, reason);
    const auto p = parse(presented, reason);
    if (!r || !p) return false;
    // The raw scheme text must be identical too ("HTTP://" is not "http://").
    if (registered.compare(0, 5, "http:") != 0 || presented.compare(0, 5, "http:") != 0) return false;
    if (!isLoopbackHost(r->host) || r->host != p->host) return false;
    return r->path == p->path && r->hasQuery == p->hasQuery && r->query == p->query;
}

bool RedirectUriPolicy::matchesAny(const std::vector<std::string>& registered, const std::string& presented) const {
    return std::any_of(registered.begin(), registered.end(),
                       [&](const std::string& r) { return matches(r, presented); });
}

}  // namespace mcph::auth::server

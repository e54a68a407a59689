#pragma once

#include <optional>
#include <string>

namespace mcph::config {

/// True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and "localhost".
bool isLoopbackHost(const std::string& host);

/// True for the bind-everything addresses "0.0.0.0" and "::".
bool isWildcardHost(const std::string& host);

/// An IPv4 literal (dotted quad), an IPv6 literal (without brackets) or a DNS host name.
bool isValidHost(const std::string& host);

/// The parts of an absolute URL of the form scheme://host[:port][/path].
struct ParsedUrl {
    std::string scheme;  ///< lower case
    std::string host;    ///< lower case; IPv6 without brackets
    int port = 0;        ///< 0 when not written
    std::string path;    ///< "" or starting with '/'
};

/// Parses an absolute URL, refusing user information, queries and fragments. On failure
/// returns nullopt and sets `problem` to a message that never repeats the URL's user
/// information (it may hold a password).
std::optional<ParsedUrl> parseAbsoluteUrl(const std::string& text, std::string& problem);

/// server.publicUrl → normalized form: http or https, scheme and host lower-cased, trailing
/// slashes removed. nullopt with `problem` set if the URL is not acceptable.
std::optional<std::string> normalizePublicUrl(const std::string& text, std::string& problem);

/// An http(s) origin as browsers send it: scheme://host[:port], no path. Lower-cased, and the
/// default port of http (80) and https (443) dropped, so it compares equal to an Origin header.
std::optional<std::string> normalizeOrigin(const std::string& text, std::string& problem);

/// Checks an MCP endpoint path such as "/mcp": starts with "/", is not "/" alone, has no
/// trailing slash, no query or fragment, no empty, "." or ".." segments, and only URL path
/// characters. Returns the problem, or nullopt when the path is fine.
std::optional<std::string> mcpPathProblem(const std::string& path);

/// The URL clients use for the MCP endpoint: the public base URL (trailing slashes ignored)
/// followed by the MCP path, e.g. ("https://example.com/", "/mcp") → "https://example.com/mcp".
std::string canonicalMcpUrl(const std::string& publicBaseUrl, const std::string& mcpPath);

/// The path of a public base URL ("" or "/tools", no trailing slash): behind a reverse proxy
/// that keeps the path, the host serves the MCP endpoint and the OAuth routes under it.
std::string publicBasePath(const std::string& publicBaseUrl);

/// The base URL derived from where the server listens, for when server.publicUrl is not set:
/// http(s)://host:port, with a wildcard host replaced by the matching loopback address.
/// Call it with the bound port (server.port may be 0 until the socket is bound).
std::string derivedBaseUrl(const std::string& host, int port, bool tls);

}  // namespace mcph::config

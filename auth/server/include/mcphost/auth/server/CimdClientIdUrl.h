#pragma once
// A client id that names a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-
// document, MCP 2025-11-25 authorization): an https URL with a path, no fragment, no userinfo and
// no dot segments. Pure string checks, no I/O; the parts the fetcher needs come out already split.
//
// Stricter than the draft where no real client is affected: printable ASCII only (no raw
// whitespace or non-ASCII, no backslash), well-formed percent escapes, dot segments refused in
// their percent-encoded forms too (%2e), a path longer than "/", at most kMaxLength characters,
// and the scheme in lower case (the id is compared byte for byte with the document's client_id,
// so nothing is normalised).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mcph::auth::server {

struct CimdClientIdUrl {
    static constexpr std::size_t kMaxLength = 512;  // real ids are under 60 characters

    std::string url;        // the client id, unchanged
    std::string scheme;     // "https" ("http" only when allowed for tests)
    std::string authority;  // host[:port] as written: the Host header
    std::string host;       // as written; an IPv6 literal without its brackets
    bool hostIsIpLiteral = false;
    std::uint16_t port = 443;
    std::string target;  // path and query, as written: the request target

    // The URL split into parts, or null with `reason` set (safe to log: it never echoes input).
    static std::optional<CimdClientIdUrl> parse(const std::string& text, bool allowHttp,
                                                std::string* reason = nullptr);

    // True for ids that start like an http(s) URL: those are metadata-document ids and never go
    // to the registration store (whose ids are random tokens and never start with a scheme).
    static bool looksLikeUrl(const std::string& clientId);
};

}  // namespace mcph::auth::server

#include "mcphost/auth/BearerAuthenticator.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace mcph::auth {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    std::vector<std::string> seen;
    for (const auto& item : items) {
        if (item.empty() || std::find(seen.begin(), seen.end(), item) != seen.end()) continue;
        seen.push_back(item);
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

// RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. Anything else is
// replaced, so a description can never break out of its quotes or the header line.
std::string safeDescription(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '"')
            out += '\'';
        else if (c == '\\')
            out += '/';
        else if (c < 0x20 || c > 0x7E)
            out += '?';
        else
            out += static_cast<char>(c);
    }
    return out;
}

bool isToken68Char(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

}  // namespace

BearerAuthenticator::BearerAuthenticator(std::shared_ptr<TokenVerifier> verifier,
                                         std::string resourceMetadataUrl,
                                         std::vector<std::string> defaultScopes)
    : verifier_(std::move(verifier)),
      resourceMetadataUrl_(std::move(resourceMetadataUrl)),
      defaultScope_(join(defaultScopes)) {
    if (!verifier_) throw std::invalid_argument("BearerAuthenticator needs a token verifier");
    if (resourceMetadataUrl_.empty())
        throw std::invalid_argument("BearerAuthenticator needs the resource metadata URL");
}

std::string BearerAuthenticator::quote(const std::string& value) {
    std::string out = "\"";
    for (unsigned char c : value) {
        if (c < 0x20 || c == 0x7F) continue;
        if (c == '"' || c == '\\') out += '\\';
        out += static_cast<char>(c);
    }
    return out + "\"";
}

std::optional<std::string> BearerAuthenticator::parseBearer(const std::string& header,
                                                            bool& isBearer) {
    static const std::string kScheme = "bearer";
    const auto space = header.find_first_of(" \t");
    const std::string scheme = header.substr(0, space);
    isBearer = scheme.size() == kScheme.size() &&
               std::equal(scheme.begin(), scheme.end(), kScheme.begin(),
                          [](unsigned char a, unsigned char b) { return std::tolower(a) == b; });
    if (!isBearer || space == std::string::npos || header[space] != ' ') return std::nullopt;
    const std::string token = header.substr(space + 1);
    // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". This also refuses
    // a second space, a comma-joined second credential, and an empty token.
    std::size_t i = 0;
    while (i < token.size() && isToken68Char(static_cast<unsigned char>(token[i]))) ++i;
    if (i == 0) return std::nullopt;
    while (i < token.size() && token[i] == '=') ++i;
    if (i != token.size()) return std::nullopt;
    return token;
}

AuthDecision BearerAuthenticator::challenge(int status, const std::string& error,
                                            const std::string& description,
                                            const std::string& scope) const {
    AuthDecision d;
    d.httpStatus = status;
    std::string value = "Bearer ";
    if (status == 403) {
        value += "error=" + quote(error) + ", scope=" + quote(scope) +
                 ", resource_metadata=" + quote(resourceMetadataUrl_);
    } else {
        value += "resource_metadata=" + quote(resourceMetadataUrl_);
        if (!scope.empty()) value += ", scope=" + quote(scope);
        if (!error.empty()) value += ", error=" + quote(error);
    }
    if (!description.empty()) value += ", error_description=" + quote(safeDescription(description));
    d.wwwAuthenticate = value;
    d.errorDescription =
        description.empty() ? "Unauthorized" : "Unauthorized: " + safeDescription(description);
    return d;
}

AuthDecision BearerAuthenticator::authenticate(const std::string& authorizationHeader) {
    // RFC 6750 §3.1: no credentials, or another scheme, gets a challenge without an error code;
    // every 401 for a request that carried Bearer credentials says invalid_token, whatever was
    // wrong with them (malformed, expired, revoked, another issuer, an unknown key, ...).
    if (authorizationHeader.empty()) return challenge(401, "", "", defaultScope_);
    bool isBearer = false;
    const auto token = parseBearer(authorizationHeader, isBearer);
    if (!isBearer) return challenge(401, "", "", defaultScope_);
    if (!token) return challenge(401, "invalid_token", "malformed Bearer credentials", defaultScope_);

    VerifyResult result;
    try {
        result = verifier_->verify(*token);
    } catch (const std::exception&) {
        result = VerifyResult::fail("token could not be checked right now", true);
    }
    if (result.context) return AuthDecision::allow(std::move(*result.context));
    if (result.unavailable) {
        // Our dependency is down: a 503 tells the client to retry, not to sign in again.
        AuthDecision d;
        d.httpStatus = 503;
        d.errorDescription = "Service unavailable: " + safeDescription(result.error);
        return d;
    }
    return challenge(401, "invalid_token", result.error, defaultScope_);
}

AuthDecision BearerAuthenticator::insufficientScope(
    const std::vector<std::string>& requiredScopes) {
    const std::string scope = join(requiredScopes);
    AuthDecision d =
        challenge(403, "insufficient_scope", "this operation requires the scopes: " + scope, scope);
    d.errorDescription = "Forbidden: this operation requires the scopes: " + scope;
    return d;
}

AuthDecision BearerAuthenticator::invalidRequest(const std::string& description) {
    AuthDecision d = challenge(400, "invalid_request", description, defaultScope_);
    d.errorDescription = "Bad Request: " + safeDescription(description);
    return d;
}

}  // namespace mcph::auth

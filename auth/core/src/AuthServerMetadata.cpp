#include "mcphost/auth/AuthServerMetadata.h"

#include <algorithm>

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/ResourceUrl.h"

namespace mcph::auth {

namespace {

bool readString(const Poco::JSON::Object& doc, const char* name, std::string& out,
                std::string& error) {
    if (!doc.has(name)) return true;
    const auto value = JsonFields::string(doc, name);
    if (!value) {
        error = std::string("\"") + name + "\" is not a string";
        return false;
    }
    out = *value;
    return true;
}

bool readArray(const Poco::JSON::Object& doc, const char* name, std::vector<std::string>& out,
               std::string& error) {
    if (!doc.has(name)) return true;
    const auto value = JsonFields::stringOrArray(doc, name);
    if (!value || doc.get(name).isString()) {
        error = std::string("\"") + name + "\" is not an array of strings";
        return false;
    }
    out = *value;
    return true;
}

}  // namespace

std::vector<std::string> AuthServerMetadata::candidateUrls(const std::string& issuer) {
    const auto parts = ResourceUrl::split(issuer);
    if (!parts) return {};
    std::string path = parts->path;
    if (!path.empty() && path.back() == '/') path.pop_back();  // RFC 8414 §3.1
    const std::string origin = parts->scheme + "://" + parts->authority;
    std::vector<std::string> urls = {
        origin + "/.well-known/oauth-authorization-server" + path,
        origin + "/.well-known/openid-configuration" + path,
        origin + path + "/.well-known/openid-configuration",
    };
    urls.erase(std::unique(urls.begin(), urls.end()), urls.end());
    return urls;
}

std::optional<AuthServerMetadata> AuthServerMetadata::parse(const std::string& json,
                                                            const std::string& expectedIssuer,
                                                            std::string& error) {
    const auto doc = JsonFields::parseObject(json);
    if (!doc) {
        error = "not a JSON object";
        return std::nullopt;
    }
    AuthServerMetadata m;
    const auto issuer = JsonFields::string(*doc, "issuer");
    if (!issuer) {
        error = "no \"issuer\"";
        return std::nullopt;
    }
    if (*issuer != expectedIssuer) {
        error = "issuer \"" + *issuer + "\" does not match the configured issuer \"" +
                expectedIssuer + "\"";
        return std::nullopt;
    }
    m.issuer = *issuer;
    if (!readString(*doc, "authorization_endpoint", m.authorizationEndpoint, error) ||
        !readString(*doc, "token_endpoint", m.tokenEndpoint, error) ||
        !readString(*doc, "jwks_uri", m.jwksUri, error) ||
        !readString(*doc, "introspection_endpoint", m.introspectionEndpoint, error) ||
        !readString(*doc, "registration_endpoint", m.registrationEndpoint, error) ||
        !readString(*doc, "revocation_endpoint", m.revocationEndpoint, error) ||
        !readString(*doc, "userinfo_endpoint", m.userinfoEndpoint, error) ||
        !readArray(*doc, "scopes_supported", m.scopesSupported, error) ||
        !readArray(*doc, "code_challenge_methods_supported", m.codeChallengeMethodsSupported,
                   error)) {
        return std::nullopt;
    }
    return m;
}

AuthServerDiscovery AuthServerMetadata::discover(HttpFetcher& fetcher, const std::string& issuer) {
    AuthServerDiscovery result;
    const auto urls = candidateUrls(issuer);
    if (urls.empty()) {
        result.error = "issuer \"" + issuer + "\" is not an absolute URL";
        return result;
    }
    std::string errors;
    for (const auto& url : urls) {
        std::string why;
        const FetchResult fetched = fetcher.get(url);
        if (!fetched.ok()) {
            why = fetched.error;
        } else if (fetched.response->status != 200) {
            why = "HTTP " + std::to_string(fetched.response->status);
        } else if (auto parsed = parse(fetched.response->body, issuer, why)) {
            parsed->sourceUrl = url;
            result.metadata = std::move(parsed);
            return result;
        }
        // Each location is judged on its own; a mismatching document is never used.
        errors += (errors.empty() ? "" : "; ") + url + ": " + why;
    }
    result.error = "no usable authorization server metadata for " + issuer + " (" + errors + ")";
    return result;
}

}  // namespace mcph::auth

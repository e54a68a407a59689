#include "mcphost/auth/server/RegistrationRequest.h"

#include <algorithm>

#include <Poco/JSON/Array.h>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth::server {

namespace {

RegistrationParseResult fail(std::string code, std::string description) {
    RegistrationParseResult r;
    r.error = {std::move(code), std::move(description)};
    return r;
}

std::string optionalString(const Poco::JSON::Object& doc, const char* name) {
    return JsonFields::string(doc, name).value_or("");
}

bool printable(const std::string& s) {
    return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// The strings of a JSON array member; non-string elements are skipped (and counted).
std::vector<std::string> stringsOf(const Poco::JSON::Object& doc, const char* name, std::size_t* skipped = nullptr) {
    std::vector<std::string> out;
    const auto array = doc.getArray(name);
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto v = array->get(static_cast<unsigned>(i));
        if (v.isString()) out.push_back(v.extract<std::string>());
        else if (skipped) ++*skipped;
    }
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

RegistrationParseResult RegistrationRequest::parse(const std::string& body, const RedirectUriPolicy& policy) {
    if (body.size() > kMaxBodyBytes) return fail("invalid_client_metadata", "registration request too large");
    const auto doc = JsonFields::parseObject(body);
    if (!doc) return fail("invalid_client_metadata", "registration request is not a JSON object");

    RegistrationRequest req;
    std::vector<std::string> uris;
    std::size_t nonStrings = 0;
    if (doc->has("redirect_uris") && doc->get("redirect_uris").isString()) {
        uris.push_back(doc->getValue<std::string>("redirect_uris"));  // lenient: one URI as a bare string
    } else if (doc->isArray("redirect_uris")) {
        uris = stringsOf(*doc, "redirect_uris", &nonStrings);
    } else if (doc->has("redirect_uris")) {
        return fail("invalid_redirect_uri", "redirect_uris must be an array of strings");
    }
    if (uris.empty()) return fail("invalid_redirect_uri", "at least one redirect URI is required");
    if (uris.size() > kMaxRedirectUris) return fail("invalid_redirect_uri", "too many redirect URIs");

    auto filtered = policy.filter(uris);
    req.redirectUris = std::move(filtered.accepted);
    req.rejectedRedirectUris = std::move(filtered.rejected);
    for (std::size_t i = 0; i < nonStrings; ++i) req.rejectedRedirectUris.emplace_back("", "not a string");
    if (req.redirectUris.empty()) {
        const std::string why = req.rejectedRedirectUris.empty() ? "no usable redirect URI"
                                                                 : req.rejectedRedirectUris.front().second;
        return fail("invalid_redirect_uri", why);
    }

    const std::string name = optionalString(*doc, "client_name");
    if (name.size() <= kMaxNameLength && printable(name)) req.clientName = name;

    req.requestedAuthMethod = optionalString(*doc, "token_endpoint_auth_method");
    if (req.requestedAuthMethod == "client_secret_post" || req.requestedAuthMethod == "client_secret_basic") {
        req.authMethod = req.requestedAuthMethod;
    }

    // Keep our supported grants in our order; an explicit list narrows them, but never to
    // nothing: a client that registers must be able to use the authorization code flow.
    if (doc->isArray("grant_types")) {
        const auto asked = stringsOf(*doc, "grant_types");
        std::vector<std::string> grants;
        for (const char* g : {"authorization_code", "refresh_token"}) {
            if (contains(asked, g)) grants.emplace_back(g);
        }
        if (contains(grants, "authorization_code")) req.grantTypes = grants;
    }

    req.scope = optionalString(*doc, "scope");
    req.clientUri = optionalString(*doc, "client_uri");
    req.logoUri = optionalString(*doc, "logo_uri");
    req.softwareId = optionalString(*doc, "software_id");
    req.softwareVersion = optionalString(*doc, "software_version");

    RegistrationParseResult r;
    r.request = std::move(req);
    return r;
}

}  // namespace mcph::auth::server

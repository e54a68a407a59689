#include "mcphost/auth/server/ClientRedirect.h"

#include <Poco/URI.h>

#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

std::string formEncode(const std::string& value) {
    std::string out;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%", out);
    return out;
}

EndpointResponse redirectTo(const std::string& location) {
    EndpointResponse r;
    r.status = 302;
    r.contentType = "text/plain";
    r.headers = {{"Location", location}, {"Cache-Control", "no-store"}, {"Pragma", "no-cache"},
                 {"Referrer-Policy", "no-referrer"}};
    return r;
}

}  // namespace

ClientRedirect::ClientRedirect(AuthStore& store, const AuthorizationServerSettings& settings)
    : store_(store), settings_(settings) {}

std::string ClientRedirect::appendQuery(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out = uri;
    char separator = uri.find('?') == std::string::npos ? '?' : '&';
    if (!uri.empty() && (uri.back() == '?' || uri.back() == '&')) separator = 0;
    for (const auto& [name, value] : params) {
        if (separator) out += separator;
        out += formEncode(name) + "=" + formEncode(value);
        separator = '&';
    }
    return out;
}

EndpointResponse ClientRedirect::withCode(const PendingAuthorization& pending, const SignedInUser& user,
                                          const std::vector<std::string>& scopes) const {
    AuthorizationCode code;
    code.code = Secrets::randomToken(32);
    code.grant.clientId = pending.clientId;
    code.grant.subject = user.subject;
    code.grant.email = user.email;
    code.grant.name = user.name;
    code.grant.scopes = scopes;
    code.grant.facts = user.facts;
    code.grant.resource = pending.resource;
    code.redirectUri = pending.redirectUri;
    code.codeChallenge = pending.codeChallenge;
    code.expiresAt = settings_.now() + settings_.codeLifetime;
    store_.putCode(code);

    std::vector<std::pair<std::string, std::string>> params{{"code", code.code}};
    if (!pending.clientState.empty()) params.emplace_back("state", pending.clientState);
    params.emplace_back("iss", settings_.issuer);
    return redirectTo(appendQuery(pending.redirectUri, params));
}

EndpointResponse ClientRedirect::withError(const std::string& redirectUri, const std::string& clientState,
                                           const std::string& error, const std::string& description) const {
    std::vector<std::pair<std::string, std::string>> params{{"error", error}};
    if (!description.empty()) params.emplace_back("error_description", description);
    if (!clientState.empty()) params.emplace_back("state", clientState);
    params.emplace_back("iss", settings_.issuer);
    return redirectTo(appendQuery(redirectUri, params));
}

}  // namespace mcph::auth::server

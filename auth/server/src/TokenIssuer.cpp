#include "mcphost/auth/server/TokenIssuer.h"

#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Object.h>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

std::string toJson(const Poco::JSON::Object& obj) {
    std::ostringstream out;
    obj.stringify(out);
    return out.str();
}

}  // namespace

TokenIssuer::TokenIssuer(std::shared_ptr<const SigningKey> key, TokenIssuerOptions options)
    : key_(std::move(key)), options_(std::move(options)) {
    if (!key_) throw std::invalid_argument("token issuer needs a signing key");
    if (options_.issuer.empty() || options_.audience.empty()) {
        throw std::invalid_argument("token issuer needs an issuer and an audience");
    }
    if (options_.lifetime.count() <= 0) throw std::invalid_argument("token lifetime must be positive");
}

IssuedAccessToken TokenIssuer::issue(const AccessTokenClaims& c) const {
    if (c.subject.empty() || c.clientId.empty()) throw std::invalid_argument("access token needs sub and client_id");
    const auto now = options_.now();
    const long long iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const long long exp = iat + options_.lifetime.count();

    Poco::JSON::Object header(Poco::JSON_PRESERVE_KEY_ORDER);
    header.set("alg", "ES256");
    header.set("typ", "at+jwt");  // RFC 9068 §2.1: not mistakable for an ID token
    header.set("kid", key_->kid());

    IssuedAccessToken issued;
    issued.jti = Secrets::randomToken(16);
    std::string scope;
    for (const auto& s : c.scopes) scope += (scope.empty() ? "" : " ") + s;
    Poco::JSON::Object payload(Poco::JSON_PRESERVE_KEY_ORDER);
    payload.set("iss", options_.issuer);
    payload.set("aud", options_.audience);
    payload.set("sub", c.subject);
    if (!c.email.empty()) payload.set("email", c.email);
    if (!c.name.empty()) payload.set("name", c.name);
    payload.set("scope", scope);
    payload.set("client_id", c.clientId);
    payload.set("iat", iat);
    payload.set("exp", exp);
    payload.set("jti", issued.jti);
    if (!c.grantId.empty()) payload.set("sid", c.grantId);

    const std::string input = Base64Url::encode(toJson(header)) + "." + Base64Url::encode(toJson(payload));
    issued.token = input + "." + Base64Url::encode(key_->signEs256(input));
    issued.expiresIn = options_.lifetime.count();
    issued.expiresAt = TimePoint(std::chrono::seconds(exp));
    return issued;
}

}  // namespace mcph::auth::server

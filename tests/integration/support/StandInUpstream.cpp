#include "support/StandInUpstream.h"

#include <chrono>

#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/FormUrlEncoded.h"

namespace mcph::testing {

namespace {

long long nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

auth::server::AuthorizationServerOptions StandInUpstream::proxySettings(const std::string& storeFile) const {
    auth::server::AuthorizationServerOptions s;
    s.providerName = "proxy";
    s.storeFile = storeFile;
    auto& u = s.upstream.emplace();
    u.authEndpoint = server.url("/authorize");
    u.tokenEndpoint = server.url("/token");
    u.issuer = server.url();
    u.clientId = kStandInUpstreamClient;
    u.clientSecret = kStandInUpstreamSecret;
    u.scopes = {"openid", "email", "profile"};
    u.identity = auth::server::UpstreamIdentityMethod::IdToken;
    u.jwksUrl = server.url("/jwks");
    return s;
}

StandInUpstream::StandInUpstream() {
    server.serve("/jwks", 200, authtest::jwks({key.jwk()}));
    server.route("/token", [this](const authtest::TestHttpServer::Request& req) { return token(req); });
}

void StandInUpstream::prepare(const std::string& code, const std::string& idTokenPayload) {
    std::lock_guard<std::mutex> lock(mutex);
    idTokens[code] = authtest::signJwt("RS256", key, R"({"alg":"RS256","kid":"up-1","typ":"JWT"})", idTokenPayload);
}

std::string StandInUpstream::idTokenClaims(const std::string& sub, const std::string& nonce, const std::string& aud,
                                           const std::string& iss) const {
    const long long now = nowSeconds();
    return R"({"iss":")" + (iss.empty() ? server.url() : iss) + R"(","aud":")" + aud + R"(","sub":")" + sub +
           R"(","email":")" + sub + R"(@example.com","email_verified":true,"xms_edov":true,"name":"User )" + sub + R"(","nonce":")" +
           nonce + R"(","iat":)" + std::to_string(now) + R"(,"exp":)" + std::to_string(now + 300) + "}";
}

authtest::TestHttpServer::Reply StandInUpstream::token(const authtest::TestHttpServer::Request& req) {
    auth::server::EndpointRequest form;
    auth::server::FormUrlEncoded::parseInto(req.body, form);
    std::lock_guard<std::mutex> lock(mutex);
    lastExchange = form.params;
    if (form.param("client_id") != kStandInUpstreamClient || form.param("client_secret") != kStandInUpstreamSecret) {
        return {401, R"({"error":"invalid_client"})"};
    }
    auto it = idTokens.find(form.param("code"));
    if (it == idTokens.end() || form.param("grant_type") != "authorization_code") return {400, R"({"error":"invalid_grant"})"};
    const std::string idToken = it->second;
    idTokens.erase(it);
    return {200, R"({"access_token":")" + std::string(kStandInUpstreamAccessToken) +
                     R"(","token_type":"Bearer","expires_in":3600,"id_token":")" + idToken + R"("})"};
}

}  // namespace mcph::testing

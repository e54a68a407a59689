#include "config/providers/NativeKeys.h"

#include "config/providers/ValueReaders.h"

namespace mcph::config {

void readNativeProvider(ObjectReader& auth, AuthConfig& out, auth::ResourceServerOptions s,
                        const std::optional<std::string>& derivedIssuer) {
    const bool allowHttp = readAllowInsecureHttp(auth);
    auto issuer = readHttpUrl(auth, "issuer", allowHttp);
    if (issuer) {
        s.issuer = *issuer;
    } else if (!auth.has("issuer")) {
        s.issuer = derivedIssuer.value_or("");
        // A preset whose own keys are missing has said so already.
        if (!derivedIssuer)
            auth.diagnostics().error(auth.pathOf("issuer"), "is required for this provider");
    }
    if (auto audience = auth.string("audience")) s.audience = audience->value;
    if (auto jwks = readHttpUrl(auth, "jwksUrl", allowHttp)) s.jwksUrl = *jwks;
    s.scopes = readTokenList(auth, "scopes", s.scopes, nullptr);
    s.algorithms = readTokenList(auth, "algorithms", s.algorithms, &supportedJwsAlgorithms());
    if (auto leeway = auth.integer("leewaySeconds", 0, 300))
        s.leeway = std::chrono::seconds(*leeway);
    if (auto format = auth.string("tokenFormat")) {
        if (format->value == "jwt" || format->value == "opaque") {
            s.tokenFormat =
                format->value == "jwt" ? auth::TokenFormat::Jwt : auth::TokenFormat::Opaque;
        } else {
            auth.diagnostics().error(auth.pathOf("tokenFormat"),
                                     "must be \"jwt\" or \"opaque\", got " + format->shown());
        }
    }
    if (auto intro = auth.object("introspection")) {
        if (auto endpoint = readHttpUrl(*intro, "endpoint", allowHttp))
            s.introspection.endpoint = *endpoint;
        if (auto id = intro->string("clientId")) s.introspection.clientId = id->value;
        if (auto secret = intro->secret("clientSecret"))
            s.introspection.clientSecret = secret->value;
        if (auto allow = intro->boolean("dangerouslyAllowMissingAudience")) {
            s.introspection.allowMissingAudience = *allow;
            if (*allow) {
                intro->diagnostics().warning(
                    intro->pathOf("dangerouslyAllowMissingAudience"),
                    "active tokens whose introspection answer has no audience (aud) are "
                    "accepted, so a token the authorization server issued for another resource "
                    "or client works here too; only for servers that cannot send aud");
            }
        }
        intro->finish();
    }
    if (s.tokenFormat == auth::TokenFormat::Opaque && s.introspection.clientId.empty()) {
        auth.diagnostics().error(
            auth.pathOf("introspection"),
            "tokenFormat \"opaque\" needs introspection.clientId and clientSecret");
    }
    if (auto userinfo = auth.boolean("userinfo")) s.userinfo = *userinfo;
    readClaimNames(auth, "claims", s.claims, {"userId", "email", "name", "scopes", "clientId"});
    out.settings = std::move(s);
}

std::string readPresetKey(ObjectReader& auth, const std::string& key) {
    auto v = auth.string(key);
    if (!v && !auth.has("issuer"))
        auth.diagnostics().error(auth.pathOf(key), "is required (or set issuer)");
    return v ? v->value : std::string();
}

}  // namespace mcph::config

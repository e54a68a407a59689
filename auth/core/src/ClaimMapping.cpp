#include "mcphost/auth/ClaimMapping.h"

#include <algorithm>
#include <sstream>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth {

namespace {

void addScopes(const std::string& spaceSeparated, std::vector<std::string>& out) {
    std::istringstream in(spaceSeparated);
    std::string scope;
    while (in >> scope) {
        if (std::find(out.begin(), out.end(), scope) == out.end()) out.push_back(scope);
    }
}

}  // namespace

VerifyResult ClaimMapping::map(const Poco::JSON::Object& claims, const std::string& issuer) const {
    const auto userId = JsonFields::string(claims, names_.userId);
    if (!userId || userId->empty())
        return VerifyResult::fail("token has no subject (" + names_.userId + ")");
    // principalKey() joins issuer and subject with '\n'; a subject holding one could collide.
    if (userId->find_first_of("\r\n") != std::string::npos)
        return VerifyResult::fail("token subject is malformed");

    AuthContext ctx;
    ctx.authenticated = true;
    ctx.userId = *userId;
    ctx.issuer = issuer;
    ctx.email = JsonFields::string(claims, names_.email).value_or("");
    ctx.name = JsonFields::string(claims, names_.name).value_or("");
    if (ctx.name.empty()) ctx.name = JsonFields::string(claims, names_.nameFallback).value_or("");
    ctx.picture = JsonFields::string(claims, names_.picture).value_or("");
    // Plugins may decide on roles, groups or organisation: they get every verified claim (the
    // claims only; the token is never part of them).
    std::ostringstream json;
    claims.stringify(json);
    ctx.claimsJson = json.str();
    ctx.clientId = JsonFields::string(claims, names_.clientId).value_or("");
    if (ctx.clientId.empty())
        ctx.clientId = JsonFields::string(claims, names_.clientIdFallback).value_or("");

    if (const auto scope = JsonFields::string(claims, names_.scope)) {
        addScopes(*scope, ctx.scopes);
    } else if (const auto scp = JsonFields::stringOrArray(claims, names_.scopeArray)) {
        for (const auto& item : *scp) addScopes(item, ctx.scopes);
    }
    return VerifyResult::ok(std::move(ctx));
}

}  // namespace mcph::auth

// Dynamic client registration bodies (POST /register, RFC 7591; open to anyone):
// auth::server::RegistrationRequest::parse (redirect_uris through RedirectUriPolicy,
// client_name, the auth method, grant types), then RegistrationResponse::json for the 201 body
// or ::errorJson for the 400, both of which must be JSON objects the client can read.
//
// parse() documents no exception: a refusal is a result with an RFC 7591 error. So nothing is
// caught.
#include <algorithm>
#include <initializer_list>
#include <optional>

#include "FuzzSupport.h"
#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/server/RegistrationRequest.h"
#include "mcphost/auth/server/RegistrationResponse.h"

using namespace mcph::auth::server;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "registration_request";

const RedirectUriPolicy& policy() {
    static const RedirectUriPolicy p({"https://mcp.example.com/oauth/callback"});
    return p;
}

bool oneOf(const std::string& s, std::initializer_list<const char*> allowed) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return s == a; });
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body = mcph::fuzz::bytes(data, size);
    const RegistrationParseResult parsed = RegistrationRequest::parse(body, policy());
    if (!parsed.request) {
        if (!oneOf(parsed.error.error, {"invalid_redirect_uri", "invalid_client_metadata"}))
            fuzzFail(kTarget, "an error code RFC 7591 does not define: " + parsed.error.error);
        if (parsed.error.description.empty()) fuzzFail(kTarget, "a refusal without a description");
        if (!mcph::auth::JsonFields::parseObject(RegistrationResponse::errorJson(parsed.error)))
            fuzzFail(kTarget, "the 400 body is not a JSON object");
        return 0;
    }
    const RegistrationRequest& req = *parsed.request;
    if (req.redirectUris.empty() || req.redirectUris.size() > RegistrationRequest::kMaxRedirectUris)
        fuzzFail(kTarget, "registered with no or too many redirect URIs");
    for (const auto& uri : req.redirectUris) {
        if (policy().rejectReason(uri)) fuzzFail(kTarget, "registered a redirect URI the policy refuses");
    }
    if (req.clientName.size() > RegistrationRequest::kMaxNameLength ||
        mcph::fuzz::hasHeaderBreakingByte(req.clientName) || req.clientName.find('\t') != std::string::npos)
        fuzzFail(kTarget, "kept a client_name that is too long or has control characters");
    if (!oneOf(req.authMethod, {"none", "client_secret_post", "client_secret_basic"}))
        fuzzFail(kTarget, "registered the auth method " + req.authMethod);
    if (req.needsSecret() != (req.authMethod != "none")) fuzzFail(kTarget, "needsSecret disagrees with the method");
    if (std::find(req.grantTypes.begin(), req.grantTypes.end(), "authorization_code") == req.grantTypes.end())
        fuzzFail(kTarget, "registered without the authorization_code grant");
    for (const auto& g : req.grantTypes) {
        if (!oneOf(g, {"authorization_code", "refresh_token"})) fuzzFail(kTarget, "registered the grant " + g);
    }
    const std::optional<std::string> secret =
        req.needsSecret() ? std::optional<std::string>("s3cret") : std::nullopt;
    const auto json = RegistrationResponse::json(req, "client-1", secret, mcph::fuzz::fixedNow());
    const auto echoed = mcph::auth::JsonFields::parseObject(json);
    if (!echoed) fuzzFail(kTarget, "the 201 body is not a JSON object");
    if (mcph::auth::JsonFields::string(*echoed, "client_id") != std::optional<std::string>("client-1"))
        fuzzFail(kTarget, "the 201 body does not carry the client id");
    return 0;
}

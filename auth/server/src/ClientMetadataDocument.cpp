#include "mcphost/auth/server/ClientMetadataDocument.h"

#include <algorithm>

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/server/RegistrationRequest.h"

namespace mcph::auth::server {

namespace {

ClientMetadataDocumentResult fail(std::string why) {
    ClientMetadataDocumentResult r;
    r.error = std::move(why);
    return r;
}

bool contains(const std::vector<std::string>& v, const char* s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool sharedSecretMethod(const std::string& m) {
    return m == "client_secret_basic" || m == "client_secret_post" || m == "client_secret_jwt";
}

// Present members must be arrays of strings; an absent member is nullopt, a malformed one an
// empty vector plus `malformed`.
std::optional<std::vector<std::string>> stringArray(const Poco::JSON::Object& doc, const char* name,
                                                    bool& malformed) {
    if (!doc.has(name)) return std::nullopt;
    const auto value = JsonFields::stringOrArray(doc, name);
    if (!value || doc.get(name).isString()) {
        malformed = true;
        return std::vector<std::string>{};
    }
    return value;
}

}  // namespace

ClientRecord ClientMetadataDocument::toClientRecord(TimePoint now) const {
    ClientRecord record;
    record.clientId = clientId;
    record.redirectUris = redirectUris;
    record.name = clientName;
    record.authMethod = "none";
    record.createdAt = now;
    return record;
}

ClientMetadataDocumentResult ClientMetadataDocument::parse(const std::string& body,
                                                           const std::string& expectedClientId,
                                                           const RedirectUriPolicy& policy,
                                                           std::size_t maxBytes) {
    if (body.size() > maxBytes)
        return fail("document larger than " + std::to_string(maxBytes) + " bytes");
    const auto doc = JsonFields::parseObject(body);
    if (!doc) return fail("document is not a JSON object");

    const auto clientId = JsonFields::string(*doc, "client_id");
    if (!clientId) return fail("document has no client_id");
    if (*clientId != expectedClientId) return fail("document client_id does not match its URL");

    if (doc->has("client_secret") || doc->has("client_secret_expires_at")) {
        return fail("document contains a client secret");
    }
    ClientMetadataDocument out;
    out.clientId = *clientId;
    if (doc->has("token_endpoint_auth_method")) {
        const auto method = JsonFields::string(*doc, "token_endpoint_auth_method");
        if (!method) return fail("token_endpoint_auth_method is not a string");
        out.declaredAuthMethod = *method;
    }
    bool malformed = false;
    const auto supported = stringArray(*doc, "token_endpoint_auth_methods_supported", malformed);
    if (malformed) return fail("token_endpoint_auth_methods_supported is not an array of strings");
    const std::string& method = out.declaredAuthMethod;
    if (sharedSecretMethod(method))
        return fail("document asks for a shared-secret client authentication method");
    if (supported && std::any_of(supported->begin(), supported->end(), sharedSecretMethod) &&
        !contains(*supported, "none")) {
        return fail("document offers only shared-secret client authentication");
    }
    const bool offersNone = supported ? contains(*supported, "none") : method.empty();
    if (!(method == "none" || offersNone)) {
        return fail(
            "document does not offer public-client authentication (none); private_key_jwt is not "
            "supported");
    }

    const auto grants = stringArray(*doc, "grant_types", malformed);
    if (malformed) return fail("grant_types is not an array of strings");
    if (grants && !contains(*grants, "authorization_code"))
        return fail("document does not allow the authorization_code grant");
    const auto responses = stringArray(*doc, "response_types", malformed);
    if (malformed) return fail("response_types is not an array of strings");
    if (responses && !contains(*responses, "code"))
        return fail("document does not allow the code response type");

    // redirect_uris and client_name are read exactly as a registration would read them.
    const auto registration = RegistrationRequest::parse(body, policy);
    if (!registration.request) return fail("redirect_uris: " + registration.error.description);
    out.redirectUris = registration.request->redirectUris;
    out.rejectedRedirectUris = registration.request->rejectedRedirectUris;
    out.clientName = registration.request->clientName;

    ClientMetadataDocumentResult r;
    r.document = std::move(out);
    return r;
}

}  // namespace mcph::auth::server

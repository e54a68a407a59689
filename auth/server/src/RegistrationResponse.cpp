#include "mcphost/auth/server/RegistrationResponse.h"

#include <sstream>

#include <Poco/JSON/Array.h>

namespace mcph::auth::server {

namespace {

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : items) a->add(s);
    return a;
}

void setIfPresent(Poco::JSON::Object& doc, const char* name, const std::string& value) {
    if (!value.empty()) doc.set(name, value);
}

std::string toJson(const Poco::JSON::Object& obj) {
    std::ostringstream out;
    obj.stringify(out);
    return out.str();
}

}  // namespace

Poco::JSON::Object::Ptr RegistrationResponse::build(const RegistrationRequest& r, const std::string& clientId,
                                                    const std::optional<std::string>& clientSecret,
                                                    TimePoint issuedAt) {
    Poco::JSON::Object::Ptr doc = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    doc->set("client_id", clientId);
    doc->set("client_id_issued_at",
             static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(issuedAt.time_since_epoch()).count()));
    if (clientSecret) {
        doc->set("client_secret", *clientSecret);
        doc->set("client_secret_expires_at", 0);  // RFC 7591: 0 = does not expire
    }
    doc->set("redirect_uris", array(r.redirectUris));
    doc->set("token_endpoint_auth_method", r.authMethod);
    doc->set("grant_types", array(r.grantTypes));
    doc->set("response_types", array(r.responseTypes));
    setIfPresent(*doc, "client_name", r.clientName);
    setIfPresent(*doc, "scope", r.scope);
    setIfPresent(*doc, "client_uri", r.clientUri);
    setIfPresent(*doc, "logo_uri", r.logoUri);
    setIfPresent(*doc, "software_id", r.softwareId);
    setIfPresent(*doc, "software_version", r.softwareVersion);
    return doc;
}

std::string RegistrationResponse::json(const RegistrationRequest& r, const std::string& clientId,
                                       const std::optional<std::string>& clientSecret, TimePoint issuedAt) {
    return toJson(*build(r, clientId, clientSecret, issuedAt));
}

std::string RegistrationResponse::errorJson(const RegistrationError& error) {
    Poco::JSON::Object doc(Poco::JSON_PRESERVE_KEY_ORDER);
    doc.set("error", error.error);
    setIfPresent(doc, "error_description", error.description);
    return toJson(doc);
}

}  // namespace mcph::auth::server

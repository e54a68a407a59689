#include "mcphost/auth/server/AuthServerMetadataDocument.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Array.h>

#include "mcphost/auth/ResourceUrl.h"

namespace mcph::auth::server {

namespace {

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : items) a->add(s);
    return a;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::optional<std::string> AuthServerMetadataDocument::issuerFor(const std::string& publicUrl) {
    const auto parts = ResourceUrl::split(publicUrl);
    if (!parts) return std::nullopt;
    const std::string scheme = lower(parts->scheme);
    if ((scheme != "http" && scheme != "https") || parts->authority.empty() ||
        parts->authority.find('@') != std::string::npos) {
        return std::nullopt;
    }
    std::string authority = lower(parts->authority);
    const std::string defaultPort = scheme == "https" ? ":443" : ":80";
    if (authority.size() > defaultPort.size() &&
        authority.compare(authority.size() - defaultPort.size(), defaultPort.size(), defaultPort) == 0) {
        authority.resize(authority.size() - defaultPort.size());
    }
    std::string path = parts->path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    return scheme + "://" + authority + path;
}

std::string AuthServerMetadataDocument::basePathOf(const std::string& issuer) {
    const auto parts = ResourceUrl::split(issuer);
    return parts ? parts->path : std::string();
}

std::string AuthServerMetadataDocument::metadataPathFor(const std::string& issuer) {
    return std::string(kMetadataPath) + basePathOf(issuer);
}

Poco::JSON::Object::Ptr AuthServerMetadataDocument::build(const AuthServerMetadataOptions& o) {
    const auto issuer = issuerFor(o.publicUrl);
    if (!issuer) throw std::invalid_argument("public URL \"" + o.publicUrl + "\" is not an absolute http(s) URL");
    Poco::JSON::Object::Ptr doc = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    doc->set("issuer", *issuer);
    doc->set("authorization_endpoint", *issuer + kAuthorizePath);
    doc->set("token_endpoint", *issuer + kTokenPath);
    doc->set("registration_endpoint", *issuer + kRegisterPath);
    if (o.revocation) doc->set("revocation_endpoint", *issuer + kRevokePath);
    if (o.jwks) doc->set("jwks_uri", *issuer + kJwksPath);
    if (!o.scopesSupported.empty()) doc->set("scopes_supported", array(o.scopesSupported));
    doc->set("response_types_supported", array({"code"}));
    doc->set("response_modes_supported", array({"query"}));
    doc->set("grant_types_supported", array({"authorization_code", "refresh_token"}));
    doc->set("code_challenge_methods_supported", array({"S256"}));
    const std::vector<std::string> methods = {"none", "client_secret_post", "client_secret_basic"};
    doc->set("token_endpoint_auth_methods_supported", array(methods));
    if (o.revocation) doc->set("revocation_endpoint_auth_methods_supported", array(methods));
    if (o.issParameterSupported) doc->set("authorization_response_iss_parameter_supported", true);
    if (o.clientIdMetadataDocumentSupported) doc->set("client_id_metadata_document_supported", true);
    return doc;
}

std::string AuthServerMetadataDocument::json(const AuthServerMetadataOptions& o) {
    std::ostringstream out;
    build(o)->stringify(out);
    return out.str();
}

}  // namespace mcph::auth::server

#include "mcphost/auth/server/ClientAuthentication.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <sstream>

#include "mcphost/auth/server/FormUrlEncoded.h"
#include "mcphost/auth/server/Secrets.h"

#include <Poco/Base64Decoder.h>

namespace mcph::auth::server {

namespace {

struct BasicCredentials {
    std::string id;
    std::string secret;
};

// "Basic base64(urlencode(id):urlencode(secret))"; nullopt when malformed.
std::optional<BasicCredentials> parseBasic(const std::string& header) {
    if (header.size() < 6 || Poco::icompare(header.substr(0, 6), "Basic ") != 0) return std::nullopt;
    std::string encoded = Poco::trim(header.substr(6));
    if (encoded.empty() || encoded.size() > 4096) return std::nullopt;
    std::string decoded;
    try {
        std::istringstream in(encoded);
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        decoded = out.str();
    } catch (...) {
        return std::nullopt;
    }
    const std::size_t colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    BasicCredentials c{FormUrlEncoded::decode(decoded.substr(0, colon)), FormUrlEncoded::decode(decoded.substr(colon + 1))};
    if (c.id.empty()) return std::nullopt;
    return c;
}

ClientAuthResult refuse(const std::string& description, bool triedBasic) {
    EndpointResponse r = oauthError(401, "invalid_client", description);
    if (triedBasic) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"mcp-host\"");
    return {std::nullopt, r};
}

}  // namespace

EndpointResponse oauthError(int status, const std::string& error, const std::string& description) {
    Poco::JSON::Object body;
    body.set("error", error);
    if (!description.empty()) body.set("error_description", description);
    std::ostringstream out;
    body.stringify(out);
    EndpointResponse r;
    r.status = status;
    r.body = out.str();
    r.headers = {{"Cache-Control", "no-store"}, {"Pragma", "no-cache"}};
    return r;
}

ClientAuthResult ClientAuthentication::authenticate(const EndpointRequest& request, ClientLookup& clients) {
    const bool triedBasic = !request.authorization.empty();
    std::string clientId = request.param("client_id");
    std::string secret = request.param("client_secret");
    if (triedBasic) {
        auto basic = parseBasic(request.authorization);
        if (!basic) return refuse("malformed Basic credentials", true);
        if (!clientId.empty() && clientId != basic->id) return refuse("client_id differs from the Basic credentials", true);
        if (!secret.empty()) return refuse("use one client authentication method, not two", true);
        clientId = basic->id;
        secret = basic->secret;
    }
    if (clientId.empty()) return refuse("client authentication required (client_id)", triedBasic);
    auto client = clients.find(clientId);
    if (!client) return refuse("unknown client", triedBasic);
    if (!client->secretHash.empty()) {
        if (secret.empty()) return refuse("this client must authenticate with its client_secret", triedBasic);
        if (!Secrets::matchesHash(secret, client->secretHash)) return refuse("wrong client credentials", triedBasic);
    }
    return {client, std::nullopt};
}

}  // namespace mcph::auth::server

#pragma once
// RFC 9728 Protected Resource Metadata: the document that tells an MCP client which
// authorization server to sign in at, and where that document lives.
#include <string>
#include <vector>

namespace mcph::auth {

struct ProtectedResourceMetadata {
    std::string resource;             // the canonical MCP URL, published exactly as configured
    std::string authorizationServer;  // the issuer, byte for byte as its own metadata says
    std::vector<std::string> scopesSupported;
    std::string resourceName;           // optional
    std::string resourceDocumentation;  // optional

    // The JSON document. `authorization_servers` has exactly one entry (clients use only the
    // first); `bearer_methods_supported` is ["header"] (never the query string).
    std::string toJson() const;

    struct WellKnown {
        std::string pathInserted;  // "/.well-known/oauth-protected-resource/mcp" (= root for a bare origin)
        std::string root;          // "/.well-known/oauth-protected-resource"
        std::string metadataUrl;   // absolute URL of the path-inserted document, for challenges
    };
    // Throws std::invalid_argument if `resourceUrl` is not an absolute URL without query or
    // fragment.
    static WellKnown wellKnownFor(const std::string& resourceUrl);
};

}  // namespace mcph::auth

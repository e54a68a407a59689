#include "mcphost/auth/server/PinnedClientDocuments.h"

namespace mcph::auth::server {

// Source: each document as its client_id URL served it, quoted verbatim in public test fixtures
// and client-interop notes (fetched live between 2026-08-03 and 2026-10-06; the copies below are
// the ones quoted as fetched on 2026-09-21, cross-checked against the other quotes). None had to
// be reconstructed. When a vendor changes its document, replace the copy and the date here.
const std::vector<PinnedClientDocument>& PinnedClientDocuments::all() {
    static const std::vector<PinnedClientDocument> documents{
        // Claude (claude.ai / Desktop connectors). Lists the jwt-bearer grant, which is ignored.
        {"https://claude.ai/oauth/mcp-oauth-client-metadata",
         R"({"client_id":"https://claude.ai/oauth/mcp-oauth-client-metadata","client_name":"Claude","client_uri":"https://claude.ai","redirect_uris":["https://claude.ai/api/mcp/auth_callback"],"grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:jwt-bearer"],"response_types":["code"],"token_endpoint_auth_method":"none"})"},
        // Claude Code: portless loopback redirects; the runtime port is ignored (RFC 8252 §7.3).
        {"https://claude.ai/oauth/claude-code-client-metadata",
         R"({"client_id":"https://claude.ai/oauth/claude-code-client-metadata","client_name":"Claude Code","client_uri":"https://claude.ai","redirect_uris":["http://localhost/callback","http://127.0.0.1/callback"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none"})"},
        // ChatGPT: prefers private_key_jwt but lists none among its supported methods, so it is
        // served as a public client. (An August 2026 copy omitted token_endpoint_auth_method and
        // kept only the supported list; both forms are accepted.)
        {"https://chatgpt.com/oauth/client.json",
         R"({"client_id":"https://chatgpt.com/oauth/client.json","client_uri":"https://chatgpt.com/","redirect_uris":["https://chatgpt.com/connector_platform_oauth_redirect"],"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_methods_supported":["none","private_key_jwt"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"client_name":"ChatGPT","logo_uri":"https://persistent.oaistatic.com/sonic/misc/openai-logo.png","token_endpoint_auth_signing_alg":"RS256","jwks_uri":"https://chatgpt.com/oauth/jwks.json"})"},
        // VS Code: lists the device_code grant, which is ignored.
        {"https://vscode.dev/oauth/client-metadata.json",
         R"({"client_name":"Visual Studio Code","logo_uri":"https://code.visualstudio.com/assets/branding/code-stable.png","grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"],"response_types":["code"],"token_endpoint_auth_method":"none","application_type":"native","client_id":"https://vscode.dev/oauth/client-metadata.json","client_uri":"https://vscode.dev/product","redirect_uris":["http://127.0.0.1:33418/","https://vscode.dev/redirect"]})"},
        // Zed (crates/context_server/src/oauth.rs names this URL).
        {"https://zed.dev/oauth/client-metadata.json", R"({"client_id":"https://zed.dev/oauth/client-metadata.json","client_name":"Zed","client_uri":"https://zed.dev","redirect_uris":["http://127.0.0.1/callback"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none","logo_uri":"https://cdn.zed.dev/images/logo-dark.png"})"},
        // Goose (crates/goose/src/oauth/mod.rs, CLIENT_METADATA_URL).
        {"https://goose-docs.ai/oauth/client-metadata.json",
         R"({"client_id":"https://goose-docs.ai/oauth/client-metadata.json","client_name":"goose","logo_uri":"https://goose-docs.ai/img/logo_light.png","redirect_uris":["http://127.0.0.1/oauth_callback","http://[::1]/oauth_callback"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none","code_challenge_methods_supported":["S256"]})"},
    };
    return documents;
}

}  // namespace mcph::auth::server

#pragma once
// Registration bodies (RFC 7591) as real MCP clients send them to /register.
//
// HONESTY NOTE: these are RECONSTRUCTED from public descriptions (the clients' public source,
// docs and issue threads as summarised in the project's shared client-interop notes), not captured from the
// wire. Field sets and redirect URIs follow those descriptions (Cursor with three URIs, VS Code
// with four, Claude web asking for client_secret_post, mcp-remote's software_id, a jwt-bearer
// grant, an empty scope); exact values such as ports, names and ids are illustrative. Replace
// with captured bodies when available.
#include <string>
#include <vector>

namespace proxytest {

struct ClientFixture {
    const char* client;
    const char* body;
    std::vector<std::string> redirectUris;  // what the body lists, in order
    const char* expectedAuthMethod;
};

inline const std::vector<ClientFixture>& registrationFixtures() {
    static const std::vector<ClientFixture> fixtures = {
        {"Claude (web)",
         R"J({"client_name":"Claude","redirect_uris":["https://claude.ai/api/mcp/auth_callback"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "token_endpoint_auth_method":"client_secret_post","scope":"mcp:read mcp:write"})J",
         {"https://claude.ai/api/mcp/auth_callback"}, "client_secret_post"},
        {"Cursor",
         R"J({"client_name":"Cursor","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",
             "https://www.cursor.com/agents/mcp/oauth/callback","http://localhost:51721/oauth/callback"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "token_endpoint_auth_method":"none"})J",
         {"cursor://anysphere.cursor-mcp/oauth/callback", "https://www.cursor.com/agents/mcp/oauth/callback",
          "http://localhost:51721/oauth/callback"},
         "none"},
        {"VS Code",
         R"J({"client_name":"Visual Studio Code","redirect_uris":["https://insiders.vscode.dev/redirect",
             "https://vscode.dev/redirect","http://127.0.0.1/","http://127.0.0.1:33418/"],
             "grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"],
             "response_types":["code"],"token_endpoint_auth_method":"none","application_type":"native"})J",
         {"https://insiders.vscode.dev/redirect", "https://vscode.dev/redirect", "http://127.0.0.1/",
          "http://127.0.0.1:33418/"},
         "none"},
        {"ChatGPT",
         R"J({"client_name":"ChatGPT","redirect_uris":["https://chatgpt.com/connector/oauth/e7c1b0a2"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "token_endpoint_auth_method":"none","scope":""})J",
         {"https://chatgpt.com/connector/oauth/e7c1b0a2"}, "none"},
        {"Claude Code",
         R"J({"client_name":"Claude Code (my-server)","redirect_uris":["http://localhost:54545/callback"],
             "grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:jwt-bearer"],
             "response_types":["code"],"token_endpoint_auth_method":"none"})J",
         {"http://localhost:54545/callback"}, "none"},
        {"mcp-remote",
         R"J({"redirect_uris":["http://localhost:3334/oauth/callback"],"token_endpoint_auth_method":"none",
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "client_name":"MCP CLI Proxy","client_uri":"https://github.com/modelcontextprotocol/mcp-cli",
             "software_id":"2e6dc280-f3c3-4e01-99a7-8181dbd1d23d","software_version":"0.1.30"})J",
         {"http://localhost:3334/oauth/callback"}, "none"},
        {"TypeScript SDK example client",
         R"J({"client_name":"Simple OAuth MCP Client","redirect_uris":["http://localhost:8090/callback"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "token_endpoint_auth_method":"client_secret_post","scope":"mcp:tools"})J",
         {"http://localhost:8090/callback"}, "client_secret_post"},
    };
    return fixtures;
}

}  // namespace proxytest

#pragma once
// What real MCP clients send in the OAuth flow, as data: one profile per client, replayed by
// client_replay_proxy_test.cpp (the host as the authorization server) and
// client_replay_native_test.cpp (the host as a protected resource only).
//
// Each profile cites where its requests come from. "source" means the client's own public code
// or a public report that logged the request; "reconstructed" means the detail is not public
// and follows docs/client-interop.md#sources (and says so). Ports, callback ids, names and states
// are illustrative where the client picks them at run time.
//
// Placeholders, expanded by the replay:
//   ${PORT}          the client's loopback callback port for this login
//   ${SCOPE}         the scopes the client picked (see ScopeChoice); "" when none
//   ${SCOPE_MEMBER}  `,"scope":"<scopes>"` in a JSON body, or nothing when there are none
//   ${GRANT_TYPES}   a JSON array: the client's grant types intersected with the server's
//                    grant_types_supported (VS Code, Zed)
//   ${CLIENT_ID} ${CLIENT_SECRET} ${REDIRECT} ${RESOURCE} ${STATE} ${CHALLENGE} ${CODE}
//   ${VERIFIER} ${REFRESH_TOKEN}  what the names say
// A request parameter whose value expands to "" and whose name ends in '?' is left out (the
// client omits it), e.g. {"scope?", "${SCOPE}"}.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mcph::testing::replay {

using Params = std::vector<std::pair<std::string, std::string>>;  // in the client's order

// One GET of discovery. Required: 200 and a usable document. Probe: the client tries it and
// moves on; the host must answer 404 or a complete document (a partial OIDC document makes the
// TypeScript SDK throw instead of moving on).
struct Fetch {
    std::string path;
    bool required = true;
};

enum class ScopeChoice {
    None,                  // sends no scope
    Challenge,             // `scope` of the 401 challenge, else PRM scopes_supported (MCP spec order)
    ProtectedResource,     // PRM scopes_supported
    AuthorizationServer,   // AS metadata scopes_supported (Cursor)
    ChallengePlusOffline,  // Challenge, plus offline_access when the AS lists it or always (Claude Code)
    Literal,               // `literalScope` as is
};

// How the client sends `resource` (RFC 8707) at /authorize and /token.
enum class ResourceForm {
    Canonical,      // the MCP URL exactly
    TrailingSlash,  // the MCP URL plus '/'
    WithQuery,      // the MCP URL plus `resourceQuery` (ChatGPT's ?kb_name=…)
    UpperCaseHost,  // scheme and host in upper case (a user typing it so)
    Omitted,        // not sent
};

// Client authentication at /token.
enum class TokenAuth {
    AsRegistered,      // whatever token_endpoint_auth_method the registration response says (Claude reads it back)
    None,              // client_id in the body
    Post,              // client_id + client_secret in the body
    Basic,             // Authorization: Basic
    BasicAndClientId,  // Basic plus the same client_id in the body
};

enum class RefreshHabit {
    Rotate,             // refresh, keep the rotated token, refresh again with it
    ReusePrevious,      // two sessions share one refresh token: the previous one is used again within the grace window
    KeepOldIfAbsent,    // refresh; keep the old refresh token if none comes back (Zed)
};

struct ClientProfile {
    std::string name;
    std::string sources;  // where this profile comes from, for the failure message

    // Registration (RFC 7591): the exact body. Empty: the client does not register by DCR.
    std::string registrationBody;
    // Client ID Metadata Document URL the client uses instead of DCR when the AS advertises
    // client_id_metadata_document_supported (empty: not CIMD-capable).
    std::string cimdClientId;
    std::string cimdRedirect;  // the redirect it then uses (from its published document)
    bool registersEveryLogin = false;  // Claude, Zed, Claude Code: a new registration per sign-in
    std::vector<std::string> grantTypes;  // for ${GRANT_TYPES}

    std::vector<Fetch> discovery;  // in the client's order, after its first unauthenticated request
    std::string origin;            // browser-based clients send Origin (and preflight); "" otherwise

    // Authorization request.
    std::string redirect;   // with ${PORT}
    std::vector<int> ports;  // one login per port (loopback clients pick a new port per login)
    // Further sign-ins of the same registration on its other registered redirect URIs
    // (another surface of the same product: VS Code for the Web, Cursor's agents and CLI).
    std::vector<std::string> otherRedirects;
    ScopeChoice scope = ScopeChoice::Challenge;
    std::string literalScope;
    ResourceForm resource = ResourceForm::Canonical;
    std::string resourceQuery;  // for WithQuery
    Params authorize;           // the parameters, in order, with placeholders

    // Token request.
    TokenAuth tokenAuth = TokenAuth::None;
    Params token;    // authorization_code grant
    Params refresh;  // refresh_token grant
    RefreshHabit refreshHabit = RefreshHabit::Rotate;

    bool reconnectWithoutScope = false;  // ChatGPT: a later authorization with no scope at all
    bool stepUpReplacesScopes = false;   // VS Code: on 403 insufficient_scope, re-authorize with exactly the challenged set

    // Native mode: the `aud` forms this client's resource parameter produces at an external AS.
    std::vector<std::string> audienceSuffixes;  // appended to the MCP URL ("" = canonical)
};

// The profiles. Defined inline so each test file can pick its clients by name.
inline const std::vector<ClientProfile>& clientProfiles() {
    static const std::vector<ClientProfile> profiles = [] {
        std::vector<ClientProfile> p;

        // ---- Claude (web and Desktop: the claude.ai backend does the OAuth, python-httpx) ----
        {
            ClientProfile c;
            c.name = "Claude (claude.ai)";
            c.sources =
                "source: anthropics/claude-code#5826 (the /register body Claude sent, logged: claude.ai callback, "
                "client_secret_post), anthropics/claude-ai-mcp#764 (logged discovery: PRM, then "
                "/.well-known/oauth-authorization-server at the root, MCP-Protocol-Version header), "
                "anthropics/claude-ai-mcp#82 (Claude reads token_endpoint_auth_method back from the registration "
                "response; 'none' is fine), anthropics/claude-ai-mcp#667 (secret sent in the body at /token). "
                "reconstructed: scope=claudeai (seen in server READMEs, e.g. vadimklimenko86/ClaudeModelBridge), "
                "resource on both grants, the OIDC probe";
            c.registrationBody =
                R"J({"client_name":"Claude","redirect_uris":["https://claude.ai/api/mcp/auth_callback"],)J"
                R"J("token_endpoint_auth_method":"client_secret_post","grant_types":["authorization_code","refresh_token"],)J"
                R"J("response_types":["code"],"scope":"claudeai"})J";
            c.cimdClientId = "https://claude.ai/oauth/mcp-oauth-client-metadata";
            c.cimdRedirect = "https://claude.ai/api/mcp/auth_callback";
            c.registersEveryLogin = true;
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true},
                           {"/.well-known/openid-configuration", false}};
            c.redirect = "https://claude.ai/api/mcp/auth_callback";
            c.ports = {0};
            c.scope = ScopeChoice::Literal;
            c.literalScope = "claudeai";
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"redirect_uri", "${REDIRECT}"},
                           {"code_challenge", "${CHALLENGE}"}, {"code_challenge_method", "S256"}, {"state", "${STATE}"},
                           {"scope", "${SCOPE}"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::AsRegistered;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"redirect_uri", "${REDIRECT}"},
                       {"code_verifier", "${VERIFIER}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.audienceSuffixes = {"", "/"};
            p.push_back(c);

            // Claude on claude.com: the same client, the other callback host.
            c.name = "Claude (claude.com)";
            c.registrationBody =
                R"J({"client_name":"Claude","redirect_uris":["https://claude.com/api/mcp/auth_callback"],)J"
                R"J("token_endpoint_auth_method":"client_secret_post","grant_types":["authorization_code","refresh_token"],)J"
                R"J("response_types":["code"],"scope":"claudeai"})J";
            c.redirect = "https://claude.com/api/mcp/auth_callback";
            c.cimdClientId.clear();  // the pinned Claude document lists the claude.ai callback only
            c.sources += "; claude.com callback from docs/client-interop.md (reconstructed)";
            p.push_back(c);
        }

        // ---- ChatGPT (developer-mode connectors) ----
        {
            ClientProfile c;
            c.name = "ChatGPT";
            c.sources =
                "source: danielealbano/android-remote-control-mcp#166 and garrytan/gbrain#894 (ChatGPT registers a "
                "public client, token_endpoint_auth_method none, redirect https://chatgpt.com/connector/oauth/<id> "
                "or the legacy connector_platform_oauth_redirect), docs/client-interop.md (no scope on reconnect, "
                "?kb_name= on the resource, empty scope in the registration, CIMD document "
                "https://chatgpt.com/oauth/client.json). reconstructed: discovery order and the OIDC probe, "
                "resource on both grants";
            c.registrationBody =
                R"J({"client_name":"ChatGPT","redirect_uris":["https://chatgpt.com/connector/oauth/Zm9vYmFyMTIz"],)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("token_endpoint_auth_method":"none","scope":""})J";
            c.cimdClientId = "https://chatgpt.com/oauth/client.json";
            c.cimdRedirect = "https://chatgpt.com/connector_platform_oauth_redirect";
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true},
                           {"/.well-known/openid-configuration", false}};
            c.redirect = "https://chatgpt.com/connector/oauth/Zm9vYmFyMTIz";
            c.ports = {0};
            c.scope = ScopeChoice::ProtectedResource;
            c.resource = ResourceForm::WithQuery;
            c.resourceQuery = "?kb_name=Team%20Notes";
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"redirect_uri", "${REDIRECT}"},
                           {"state", "${STATE}"}, {"scope?", "${SCOPE}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"redirect_uri", "${REDIRECT}"},
                       {"code_verifier", "${VERIFIER}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.reconnectWithoutScope = true;
            c.audienceSuffixes = {"", "?kb_name=Team%20Notes"};
            p.push_back(c);

            // Connectors created before the per-connector callbacks use the fixed legacy one.
            c.name = "ChatGPT (legacy callback)";
            c.registrationBody =
                R"J({"client_name":"ChatGPT","redirect_uris":["https://chatgpt.com/connector_platform_oauth_redirect"],)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("token_endpoint_auth_method":"none","scope":""})J";
            c.redirect = "https://chatgpt.com/connector_platform_oauth_redirect";
            c.reconnectWithoutScope = false;
            p.push_back(c);
        }

        // ---- Cursor ----
        {
            ClientProfile c;
            c.name = "Cursor";
            c.sources =
                "source: erp-mafia/accounted#2225 and soflyy/agent-connector-for-wp#111 (Cursor's /register body "
                "lists three redirect URIs: cursor://anysphere.cursor-mcp/oauth/callback, "
                "https://www.cursor.com/agents/mcp/oauth/callback, http://localhost:8787/callback; public client), "
                "makeplane/plane-mcp-server#159 (the desktop app comes back on the cursor:// URI), "
                "docs/client-interop.md "
                "(scopes from the AS metadata). reconstructed: the other fields, resource and the refresh form";
            c.registrationBody =
                R"J({"client_name":"Cursor","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",)J"
                R"J("https://www.cursor.com/agents/mcp/oauth/callback","http://localhost:8787/callback"],)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("token_endpoint_auth_method":"none"})J";
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "cursor://anysphere.cursor-mcp/oauth/callback";
            c.ports = {0};
            // Cursor's background agents (koala73/worldmonitor#8303) and cursor-agent CLI / Grok Bot
            // (tripsyapp/cli#8, bytebase/bytebase#20510) come back on the other two.
            c.otherRedirects = {"https://www.cursor.com/agents/mcp/oauth/callback", "http://localhost:8787/callback"};
            c.scope = ScopeChoice::AuthorizationServer;
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"redirect_uri", "${REDIRECT}"}, {"state", "${STATE}"},
                           {"scope?", "${SCOPE}"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"code_verifier", "${VERIFIER}"},
                       {"redirect_uri", "${REDIRECT}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- VS Code (GitHub Copilot Chat's MCP client) ----
        {
            ClientProfile c;
            c.name = "VS Code";
            c.sources =
                "source: microsoft/vscode src/vs/base/common/oauth.ts (fetchDynamicRegistration: the body, four "
                "redirect URIs, grant types intersected with grant_types_supported, application_type native, "
                "scope from the challenge; fetchResourceMetadata: path-inserted PRM then root, resource compared "
                "after URL normalisation; fetchAuthorizationServerMetadata: RFC 8414 then OIDC path-inserted then "
                "path-appended; DEFAULT_AUTH_FLOW_PORT 33418), docs/client-interop.md (step-up replaces the scope set). "
                "reconstructed: resource at /authorize and /token, scope on refresh";
            c.registrationBody =
                R"J({"client_name":"Visual Studio Code","client_uri":"https://code.visualstudio.com",)J"
                R"J("grant_types":${GRANT_TYPES},"response_types":["code"],"redirect_uris":["https://insiders.vscode.dev/redirect",)J"
                R"J("https://vscode.dev/redirect","http://127.0.0.1/","http://127.0.0.1:33418/"]${SCOPE_MEMBER},)J"
                R"J("token_endpoint_auth_method":"none","application_type":"native"})J";
            c.grantTypes = {"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"};
            c.cimdClientId = "https://vscode.dev/oauth/client-metadata.json";
            c.cimdRedirect = "http://127.0.0.1:33418/";
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "http://127.0.0.1:${PORT}/";
            // 33418 when free, else any port: the registration lists the port-less URI for that.
            c.ports = {33418, 54321};
            c.otherRedirects = {"https://vscode.dev/redirect"};  // VS Code for the Web, remote and Codespaces
            c.scope = ScopeChoice::Challenge;
            c.authorize = {{"client_id", "${CLIENT_ID}"}, {"response_type", "code"}, {"redirect_uri", "${REDIRECT}"},
                           {"state", "${STATE}"}, {"code_challenge", "${CHALLENGE}"}, {"code_challenge_method", "S256"},
                           {"scope?", "${SCOPE}"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"redirect_uri", "${REDIRECT}"},
                       {"code_verifier", "${VERIFIER}"}, {"resource", "${RESOURCE}"}};
            // reconstructed: the refresh repeats the session's scopes.
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"scope?", "${SCOPE}"},
                         {"resource", "${RESOURCE}"}};
            c.stepUpReplacesScopes = true;
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- Claude Code (CLI; the TypeScript SDK's client auth) ----
        {
            ClientProfile c;
            c.name = "Claude Code";
            c.sources =
                "source: anthropics/claude-code#10439 (the logged authorize URL: response_type, client_id, "
                "code_challenge, code_challenge_method, redirect_uri=http://localhost:<random port>/callback, state, "
                "scope, resource), anthropics/claude-code#66511 and code.claude.com/docs/en/mcp (the redirect is "
                "always http://localhost:PORT/callback with a random port), docs/client-interop.md (offline_access, a new "
                "registration on every login, root metadata fetch, parallel sessions sharing a refresh token), "
                "the TypeScript SDK's auth.ts (token and refresh forms). reconstructed: the exact registration body";
            c.registrationBody =
                R"J({"client_name":"Claude Code (mcp-host)","redirect_uris":["http://localhost:${PORT}/callback"],)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("token_endpoint_auth_method":"none"${SCOPE_MEMBER}})J";
            c.cimdClientId = "https://claude.ai/oauth/claude-code-client-metadata";
            c.cimdRedirect = "http://localhost:${PORT}/callback";
            c.registersEveryLogin = true;
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server/mcp", false},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "http://localhost:${PORT}/callback";
            c.ports = {56648, 61023};
            c.scope = ScopeChoice::ChallengePlusOffline;
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"redirect_uri", "${REDIRECT}"}, {"state", "${STATE}"},
                           {"scope", "${SCOPE}"}, {"resource", "${RESOURCE}"}, {"prompt", "consent"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"code_verifier", "${VERIFIER}"},
                       {"redirect_uri", "${REDIRECT}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.refreshHabit = RefreshHabit::ReusePrevious;
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- MCP Inspector (in a browser at http://localhost:6274) ----
        {
            ClientProfile c;
            c.name = "MCP Inspector";
            c.sources =
                "source: modelcontextprotocol/inspector client/src/lib/auth.ts (clientMetadata: redirect "
                "window.location.origin + /oauth/callback, none, client_name MCP Inspector, client_uri, "
                "scope: this.scope ?? \"\"), the TypeScript SDK's auth.ts (discovery with MCP-Protocol-Version, "
                "token and refresh forms, client_id in the body for public clients), docs/client-interop.md (CORS preflights "
                "on /register, /token, /mcp). reconstructed: which requests the browser preflights";
            c.registrationBody =
                R"J({"redirect_uris":["http://localhost:6274/oauth/callback"],"token_endpoint_auth_method":"none",)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("client_name":"MCP Inspector","client_uri":"https://github.com/modelcontextprotocol/inspector",)J"
                R"J("scope":"${SCOPE}"})J";
            c.origin = "http://localhost:6274";
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "http://localhost:6274/oauth/callback";
            c.ports = {0};
            c.scope = ScopeChoice::Challenge;
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"redirect_uri", "${REDIRECT}"}, {"state", "${STATE}"},
                           {"scope?", "${SCOPE}"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"code_verifier", "${VERIFIER}"},
                       {"redirect_uri", "${REDIRECT}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- mcp-remote (stdio bridge) ----
        {
            ClientProfile c;
            c.name = "mcp-remote";
            c.sources =
                "source: geelen/mcp-remote src/lib/node-oauth-client-provider.ts and its tests (clientMetadata: "
                "redirect http://localhost:<port>/oauth/callback, none, grant types, MCP CLI Proxy, client_uri, "
                "software_id 2e6dc280-f3c3-4e01-99a7-8181dbd1d23d, software_version; the port is derived per server "
                "and varies), docs/client-interop.md (fallback scopes openid email profile). reconstructed: the version string";
            c.registrationBody =
                R"J({"redirect_uris":["http://localhost:${PORT}/oauth/callback"],"token_endpoint_auth_method":"none",)J"
                R"J("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)J"
                R"J("client_name":"MCP CLI Proxy","client_uri":"https://github.com/modelcontextprotocol/mcp-cli",)J"
                R"J("software_id":"2e6dc280-f3c3-4e01-99a7-8181dbd1d23d","software_version":"0.1.29","scope":"openid email profile"})J";
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "http://localhost:${PORT}/oauth/callback";
            c.ports = {3334, 15218};
            c.scope = ScopeChoice::Literal;
            c.literalScope = "openid email profile";
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"redirect_uri", "${REDIRECT}"}, {"state", "${STATE}"},
                           {"scope", "${SCOPE}"}, {"resource", "${RESOURCE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"code_verifier", "${VERIFIER}"},
                       {"redirect_uri", "${REDIRECT}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}, {"resource", "${RESOURCE}"}};
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- Goose (rmcp's AuthorizationManager) ----
        {
            ClientProfile c;
            c.name = "Goose";
            c.sources =
                "source: aaif-goose/goose#8550 (CIMD https://goose-docs.ai/oauth/client-metadata.json, DCR "
                "fallback), aaif-goose/goose#9670 (DCR through rmcp's AuthorizationManager when CIMD is not "
                "advertised), aaif-goose/goose#9209 (redirect http://127.0.0.1:<random port>/oauth_callback), "
                "aaif-goose/goose#9181 (a new registration and port per attempt). reconstructed: the DCR body "
                "fields, no resource parameter (the rule 'resource optional' is what a server must honour)";
            c.registrationBody =
                R"J({"client_name":"goose","redirect_uris":["http://127.0.0.1:${PORT}/oauth_callback"],)J"
                R"J("grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none",)J"
                R"J("response_types":["code"]})J";
            c.cimdClientId = "https://goose-docs.ai/oauth/client-metadata.json";
            c.cimdRedirect = "http://127.0.0.1:${PORT}/oauth_callback";
            c.registersEveryLogin = true;
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true},
                           {"/.well-known/openid-configuration", false}};
            c.redirect = "http://127.0.0.1:${PORT}/oauth_callback";
            c.ports = {51876};
            c.scope = ScopeChoice::ProtectedResource;
            c.resource = ResourceForm::Omitted;
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"state", "${STATE}"},
                           {"code_challenge", "${CHALLENGE}"}, {"code_challenge_method", "S256"},
                           {"redirect_uri", "${REDIRECT}"}, {"scope?", "${SCOPE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"code_verifier", "${VERIFIER}"},
                       {"redirect_uri", "${REDIRECT}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"}};
            c.audienceSuffixes = {""};
            p.push_back(c);
        }

        // ---- Zed ----
        {
            ClientProfile c;
            c.name = "Zed";
            c.sources =
                "source: zed-industries/zed crates/context_server/src/oauth.rs (dcr_registration_body: client_name "
                "Zed, the one loopback redirect, grant types intersected with grant_types_supported, none, scope only "
                "when known; discover: aborts without S256 in code_challenge_methods_supported, issuer must equal; "
                "protected_resource_metadata_urls / auth_server_metadata_urls order; build_authorization_url, "
                "token_exchange_params and token_refresh_params with resource; a fresh DCR per flow; "
                "CIMD https://zed.dev/oauth/client-metadata.json)";
            c.registrationBody =
                R"J({"client_name":"Zed","redirect_uris":["http://127.0.0.1:${PORT}/callback"],"grant_types":${GRANT_TYPES},)J"
                R"J("response_types":["code"],"token_endpoint_auth_method":"none"${SCOPE_MEMBER}})J";
            c.grantTypes = {"authorization_code", "refresh_token"};
            c.cimdClientId = "https://zed.dev/oauth/client-metadata.json";
            c.cimdRedirect = "http://127.0.0.1:${PORT}/callback";
            c.registersEveryLogin = true;
            c.discovery = {{"/.well-known/oauth-protected-resource/mcp", true},
                           {"/.well-known/oauth-authorization-server", true}};
            c.redirect = "http://127.0.0.1:${PORT}/callback";
            c.ports = {40411, 40977};
            c.scope = ScopeChoice::Challenge;
            c.authorize = {{"response_type", "code"}, {"client_id", "${CLIENT_ID}"}, {"redirect_uri", "${REDIRECT}"},
                           {"scope?", "${SCOPE}"}, {"resource", "${RESOURCE}"}, {"code_challenge", "${CHALLENGE}"},
                           {"code_challenge_method", "S256"}, {"state", "${STATE}"}};
            c.tokenAuth = TokenAuth::None;
            c.token = {{"grant_type", "authorization_code"}, {"code", "${CODE}"}, {"redirect_uri", "${REDIRECT}"},
                       {"client_id", "${CLIENT_ID}"}, {"code_verifier", "${VERIFIER}"}, {"resource", "${RESOURCE}"}};
            c.refresh = {{"grant_type", "refresh_token"}, {"refresh_token", "${REFRESH_TOKEN}"},
                         {"client_id", "${CLIENT_ID}"}, {"resource", "${RESOURCE}"}};
            c.refreshHabit = RefreshHabit::KeepOldIfAbsent;
            c.audienceSuffixes = {""};
            p.push_back(c);
        }
        return p;
    }();
    return profiles;
}

inline const ClientProfile& clientProfile(const std::string& name) {
    for (const auto& p : clientProfiles()) {
        if (p.name == name) return p;
    }
    throw std::runtime_error("no client profile named " + name);
}

}  // namespace mcph::testing::replay

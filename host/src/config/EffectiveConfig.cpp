#include "config/EffectiveConfig.h"
#include "config/sections/PluginRunKeys.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <sstream>

namespace mcph::config {

namespace {

using auth::server::AuthorizationServerOptions;
using auth::server::UpstreamIdentityMethod;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Array::Ptr array(const std::vector<std::string>& values) {
    Array::Ptr out = new Array;
    for (const auto& v : values) out->add(v);
    return out;
}

std::string secret(const std::string& value, bool redact) {
    return redact && !value.empty() ? std::string(kRedacted) : value;
}

// Plugin settings belong to the plugin, so which values are secret is a guess by key name:
// enough to keep an API key or password out of a pasted --print-config.
bool secretLookingKey(std::string key) {
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"secret", "password", "passwd", "token", "key", "credential"}) {
        if (key.find(word) != std::string::npos) return true;
    }
    return false;
}

Poco::Dynamic::Var redactSettings(const Poco::Dynamic::Var& value, bool secretKey) {
    if (value.type() == typeid(Object::Ptr)) {
        const Object::Ptr in = value.extract<Object::Ptr>();
        Object::Ptr out = object();
        for (const auto& name : in->getNames()) {
            out->set(name, redactSettings(in->get(name), secretLookingKey(name)));
        }
        return out;
    }
    if (value.type() == typeid(Array::Ptr)) {
        const Array::Ptr in = value.extract<Array::Ptr>();
        Array::Ptr out = new Array;
        for (std::size_t i = 0; i < in->size(); ++i)
            out->add(redactSettings(in->get(i), secretKey));
        return out;
    }
    if (secretKey && !value.isEmpty()) return std::string(kRedacted);
    return value;
}

Object::Ptr serverJson(const ServerConfig& s) {
    Object::Ptr o = object();
    o->set("host", s.host);
    o->set("port", s.port);
    o->set("publicUrl", s.publicUrl);  // "" = derived from host and the bound port
    o->set("stateDir", s.stateDir);
    o->set("threads", s.threads);
    o->set("maxQueued", s.maxQueued);
    o->set("drainSeconds", s.drainSeconds);
    Array::Ptr proxies = new Array;
    for (const auto& p : s.trustedProxies) proxies->add(p.toString());
    o->set("trustedProxies", proxies);
    o->set("forwardedHeader",
           s.forwardedHeader == ForwardedHeader::Forwarded ? "Forwarded" : "X-Forwarded-For");
    if (s.tls.enabled()) {
        Object::Ptr tls = object();
        tls->set("certificateFile", s.tls.certificateFile);
        tls->set("privateKeyFile", s.tls.privateKeyFile);
        o->set("tls", tls);
    }
    return o;
}

Object::Ptr mcpJson(const McpConfig& m, bool redact) {
    Object::Ptr o = object();
    o->set("path", m.path);
    o->set("allowedOrigins", array(m.allowedOrigins));
    o->set("maxRequestBytes", static_cast<Poco::UInt64>(m.maxRequestBytes));
    o->set("pageSize", m.pageSize);
    o->set("sessionIdleSeconds", m.sessionIdleSeconds);
    o->set("maxSessions", m.maxSessions);
    o->set("maxSessionsPerUser", m.maxSessionsPerUser);
    o->set("maxStreams", m.maxStreams);
    o->set("sseHeartbeatSeconds", m.sseHeartbeatSeconds);
    o->set("streamBufferBytes", static_cast<Poco::UInt64>(m.streamBufferBytes));
    o->set("requestStateSecret", secret(m.requestStateSecret, redact));  // "" = random per process
    return o;
}

Object::Ptr pluginsJson(const PluginsConfig& p, bool redact) {
    Object::Ptr o = object();
    o->set("dir", p.dir);
    Object::Ptr settings = object();
    for (const auto& [name, json] : p.settingsJson) {
        Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(json);
        settings->set(name, redact ? redactSettings(parsed, false) : parsed);
    }
    o->set("settings", settings);
    o->set("watch", p.watch);
    writePluginRunKeys(p.run, *o);  // isolation, callTimeoutSeconds, limits, overrides
    return o;
}

Object::Ptr claimsJson(const auth::ClaimNames& c, bool full) {
    Object::Ptr o = object();
    o->set("userId", c.userId);
    o->set("email", c.email);
    o->set("name", c.name);
    if (full) {
        o->set("scopes", c.scope);
        o->set("clientId", c.clientId);
    }
    return o;
}

void nativeJson(const auth::ResourceServerOptions& n, Object& o, bool redact) {
    o.set("issuer", n.issuer);
    o.set("audience", n.audience);  // "" = the canonical MCP URL
    o.set("jwksUrl", n.jwksUrl);    // "" = from the issuer's metadata
    o.set("scopes", array(n.scopes));
    o.set("algorithms", array(n.algorithms));
    o.set("leewaySeconds", static_cast<Poco::Int64>(n.leeway.count()));
    o.set("tokenFormat", n.tokenFormat == auth::TokenFormat::Opaque ? "opaque" : "jwt");
    if (n.tokenFormat == auth::TokenFormat::Opaque) {
        Object::Ptr i = object();
        i->set("endpoint", n.introspection.endpoint);
        i->set("clientId", n.introspection.clientId);
        i->set("clientSecret", secret(n.introspection.clientSecret, redact));
        i->set("dangerouslyAllowMissingAudience", n.introspection.allowMissingAudience);
        o.set("introspection", i);
    }
    o.set("claims", claimsJson(n.claims, true));
    o.set("userinfo", n.userinfo);
}

void upstreamJson(const auth::server::UpstreamOptions& u, Object& o, bool redact) {
    o.set("authEndpoint", u.authEndpoint);
    o.set("tokenEndpoint", u.tokenEndpoint);
    o.set("issuer", u.issuer);
    o.set("clientId", u.clientId);
    o.set("clientSecret", secret(u.clientSecret, redact));
    o.set("tokenEndpointAuthMethod",
          u.clientSecretBasic ? "client_secret_basic" : "client_secret_post");
    o.set("scopes", array(u.scopes));
    Object::Ptr extra = object();
    for (const auto& [name, value] : u.extraAuthorizeParams) extra->set(name, value);
    o.set("extraAuthorizeParams", extra);
    o.set("pkce", u.pkce);
    o.set("forwardResource", u.forwardResource);
    o.set("nonce", u.nonce);
    Object::Ptr verify = object();
    if (u.identity == UpstreamIdentityMethod::UserInfo) {
        Object::Ptr userinfo = object();
        userinfo->set("url", u.userInfoUrl);
        userinfo->set("emailsUrl", u.userEmailsUrl);
        userinfo->set("orgsUrl", u.userOrgsUrl);
        userinfo->set("teamsUrl", u.userTeamsUrl);
        verify->set("userinfo", userinfo);
    } else {
        Object::Ptr jwks = object();
        jwks->set("jwksUrl", u.jwksUrl);
        jwks->set("issuer", u.issuer);
        jwks->set("audience", u.audience);
        jwks->set("algorithms", array(u.algorithms));
        jwks->set("leewaySeconds", static_cast<Poco::Int64>(u.leeway.count()));
        jwks->set("token",
                  u.identity == UpstreamIdentityMethod::AccessToken ? "accessToken" : "idToken");
        verify->set("jwks", jwks);
    }
    verify->set("claims", claimsJson(u.claims, false));
    o.set("verify", verify);
}

Object::Ptr accessJson(const auth::server::AccessPolicy& policy) {
    Object::Ptr rules = object();
    for (const auto& r : policy.rules()) {
        Object::Ptr rule = object();
        if (r.everyone) rule->set("everyone", true);
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"users", &r.users},
            {"emails", &r.emails},
            {"emailDomains", &r.emailDomains},
            {"googleDomains", &r.googleDomains},
            {"entraTenants", &r.entraTenants},
            {"entraGroups", &r.entraGroups},
            {"githubOrgs", &r.githubOrgs},
            {"githubTeams", &r.githubTeams}};
        for (const auto& [key, values] : lists) {
            if (!values->empty()) rule->set(key, array(*values));
        }
        if (!r.claimName.empty()) {
            Object::Ptr claim = object();
            claim->set("name", r.claimName);
            claim->set("values", array(r.claimValues));
            rule->set("claim", claim);
        }
        rule->set("scopes", array(r.scopes));
        rules->set(r.name, rule);
    }
    return rules;
}

void authorizationServerJson(const AuthorizationServerOptions& s, Object& o, bool redact) {
    if (s.upstream) {
        upstreamJson(*s.upstream, o, redact);
    } else {
        // Unset: users.json beside the store, made with an "admin" user on first start.
        o.set("users",
              s.usersFile.empty() && !s.storeFile.empty()
                  ? (std::filesystem::path(s.storeFile).parent_path() / "users.json").string()
                  : s.usersFile);
    }
    o.set("mcpScopes", array(s.mcpScopes));  // [] = every scope a loaded tool requires
    Object::Ptr store = object();
    store->set("sqlite", s.storeFile);
    o.set("store", store);
    o.set("accessTokenSeconds", static_cast<Poco::Int64>(s.accessTokenLifetime.count()));
    o.set("refreshTokenDays", static_cast<Poco::Int64>(s.refreshTokenLifetime.count() / 24));
    if (s.refreshIdleTimeout.count() > 0) {
        o.set("refreshIdleHours", static_cast<Poco::Int64>(s.refreshIdleTimeout.count() / 3600));
    }
    o.set("refreshGraceSeconds", static_cast<Poco::Int64>(s.refreshGrace.count()));
    o.set("authorizationCodeSeconds",
          static_cast<Poco::Int64>(s.authorizationCodeLifetime.count()));
    o.set("loginTimeoutSeconds", static_cast<Poco::Int64>(s.loginTimeout.count()));
    o.set("maxClients", static_cast<Poco::UInt64>(s.maxClients));
    o.set("unusedClientHours", static_cast<Poco::Int64>(s.unusedClientLifetime.count()));
    o.set("registrationsPerMinute", s.registrationsPerMinute);
    Object::Ptr cimd = object();
    cimd->set("enabled", s.cimd.enabled);
    cimd->set("cacheSeconds", s.cimd.cacheSeconds);
    cimd->set("maxBytes", static_cast<Poco::UInt64>(s.cimd.maxBytes));
    cimd->set("allowPrivateAddresses", s.cimd.allowPrivateAddresses);
    cimd->set("allowHttp", s.cimd.allowHttp);
    o.set("cimd", cimd);
    if (s.access.restricted()) o.set("access", accessJson(s.access));
}

Object::Ptr authJson(const AuthConfig& a, bool redact) {
    Object::Ptr o = object();
    o->set("provider", a.provider);
    o->set("dangerouslyAllowUnauthenticatedNonLoopback",
           a.dangerouslyAllowUnauthenticatedNonLoopback);
    if (const auto* native = std::get_if<auth::ResourceServerOptions>(&a.settings)) {
        nativeJson(*native, *o, redact);
    } else if (const auto* server = std::get_if<AuthorizationServerOptions>(&a.settings)) {
        authorizationServerJson(*server, *o, redact);
    }
    return o;
}

void flatten(const Poco::Dynamic::Var& value, const std::string& path,
             std::map<std::string, std::string>& out) {
    if (value.type() == typeid(Object::Ptr)) {
        const Object::Ptr o = value.extract<Object::Ptr>();
        for (const auto& name : o->getNames()) {
            flatten(o->get(name), path.empty() ? name : path + "." + name, out);
        }
        return;
    }
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(value, text);
    out[path] = text.str();
}

}  // namespace

Object::Ptr effectiveConfigJson(const HostConfig& config, bool redactSecrets) {
    Object::Ptr root = object();
    root->set("server", serverJson(config.server));
    root->set("mcp", mcpJson(config.mcp, redactSecrets));
    root->set("plugins", pluginsJson(config.plugins, redactSecrets));
    root->set("auth", authJson(config.auth, redactSecrets));
    Object::Ptr logging = object();
    logging->set("level", config.logging.level);
    logging->set("format", config.logging.format);
    logging->set("accessLog", config.logging.accessLog);
    root->set("logging", logging);
    Object::Ptr admin = object();
    admin->set("enabled", config.admin.enabled);
    admin->set("host", config.admin.host);
    admin->set("port", config.admin.port);
    root->set("admin", admin);
    Object::Ptr redis = object();
    redis->set("url", config.redis.url);
    redis->set("username", config.redis.username);
    redis->set("password", secret(config.redis.password, redactSecrets));
    redis->set("keyPrefix", config.redis.keyPrefix);
    redis->set("signingKeySecret", secret(config.redis.signingKeySecret, redactSecrets));
    root->set("redis", redis);
    return root;
}

std::string printEffectiveConfig(const HostConfig& config) {
    std::ostringstream out;
    effectiveConfigJson(config, true)->stringify(out, 2);
    // Poco indents an empty array or object over three lines; a raw newline is never inside a
    // JSON string, so only structure matches.
    static const std::regex empty("([\\[{])\n\\s*([\\]}])");
    return std::regex_replace(out.str(), empty, "$1$2") + "\n";
}

std::map<std::string, std::string> flattenedConfig(const HostConfig& config) {
    std::map<std::string, std::string> out;
    flatten(effectiveConfigJson(config, false), "", out);
    return out;
}

}  // namespace mcph::config

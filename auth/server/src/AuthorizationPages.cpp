#include "mcphost/auth/server/AuthorizationPages.h"

#include "mcphost/auth/ResourceUrl.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"

namespace mcph::auth::server {

namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.4rem}.box{border:1px solid #ccc;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}"
    ".muted{color:#666;font-size:.9rem}.err{color:#a00;font-weight:600}code{word-break:break-all}"
    "label{display:block;margin:.5rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}"
    "button{padding:.5rem 1.2rem;margin-right:.5rem;font-size:1rem}";

EndpointResponse htmlAnswer(int status, const std::string& title, const std::string& body) {
    EndpointResponse r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
             "<meta name=\"referrer\" content=\"no-referrer\"><title>" +
             AuthorizationPages::escape(title) + "</title><style>" + kStyle + "</style></head><body>" + body +
             "</body></html>";
    r.headers = {
        {"Cache-Control", "no-store"},
        {"Pragma", "no-cache"},
        {"X-Frame-Options", "DENY"},
        // No scripts at all; inline style only. form-action is left open on purpose: browsers
        // apply it to the redirect after the post (to the upstream, or to the client's app).
        {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
    };
    return r;
}

}  // namespace

std::string AuthorizationPages::escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string AuthorizationPages::destinationOf(const std::string& redirectUri) {
    auto parts = ResourceUrl::split(redirectUri);
    if (!parts) return redirectUri;
    if (parts->authority.empty()) return parts->scheme + ":";
    return parts->scheme == "https" || parts->scheme == "http" ? parts->authority : parts->scheme + "://" + parts->authority;
}

EndpointResponse AuthorizationPages::consent(const ConsentView& v, int status) {
    std::string body = "<h1>Allow access to " + escape(v.serviceName) + "?</h1>";
    if (!v.errorMessage.empty()) body += "<p class=\"err\">" + escape(v.errorMessage) + "</p>";
    body += "<div class=\"box\"><p>An application that calls itself <strong>" +
            escape(v.clientName.empty() ? "(no name given)" : v.clientName) +
            "</strong> wants to use the tools of " + escape(v.serviceName) + " as you.</p>";
    body += "<p>After you approve, your browser goes to <strong>" + escape(destinationOf(v.redirectUri)) +
            "</strong><br><span class=\"muted\"><code>" + escape(v.redirectUri) + "</code></span></p>";
    if (!v.clientIdHost.empty()) {
        body += "<p>Its description was published by <strong>" + escape(v.clientIdHost) + "</strong>.</p>";
        // MCP authorization spec: a document client whose only redirect is this machine could
        // be any local program using that public client id.
        if (RedirectUriPolicy::isLoopbackHttp(v.redirectUri)) {
            body += "<p class=\"err\">It sends you back to a program on this computer. Any local program can claim to be " +
                    escape(v.clientIdHost) + ": approve only if you just started the sign-in yourself.</p>";
        }
    }
    body += "<p class=\"muted\">Client id: <code>" + escape(v.clientId) + "</code></p>";
    if (!v.scopes.empty()) {
        body += "<p>Permissions:</p><ul>";
        for (const auto& s : v.scopes) body += "<li><code>" + escape(s) + "</code></li>";
        body += "</ul>";
    }
    body += "<p class=\"muted\">Only approve if you started this from that application and you trust it.</p></div>";
    body += "<form method=\"post\" action=\"" + escape(v.formAction) + "\">";
    body += "<input type=\"hidden\" name=\"ticket\" value=\"" + escape(v.ticket) + "\">";
    body += "<input type=\"hidden\" name=\"csrf_token\" value=\"" + escape(v.csrfToken) + "\">";
    if (v.askCredentials) {
        body += "<label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\" value=\"" +
                escape(v.username) + "\"></label>";
        body += "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>";
    }
    body += "<button type=\"submit\" name=\"decision\" value=\"approve\">" +
            std::string(v.askCredentials ? "Sign in and approve" : "Approve") + "</button>";
    body += "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>";
    return htmlAnswer(status, "Allow access to " + v.serviceName, body);
}

EndpointResponse AuthorizationPages::error(int status, const std::string& title, const std::string& message) {
    return htmlAnswer(status, title, "<h1>" + escape(title) + "</h1><p>" + escape(message) + "</p>");
}

}  // namespace mcph::auth::server

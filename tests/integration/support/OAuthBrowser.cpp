#include "support/OAuthBrowser.h"

#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/FormUrlEncoded.h"
#include "mcphost/auth/server/Pkce.h"

namespace mcph::testing {

namespace authserver = auth::server;

HttpReply OAuthBrowser::get(const std::string& pathAndQuery, std::map<std::string, std::string> headers) {
    if (!cookies_.empty()) headers["Cookie"] = cookieHeader();
    HttpReply r = http_.request("GET", pathAndQuery, "", headers);
    remember(r);
    return r;
}

HttpReply OAuthBrowser::postForm(const std::string& path, const std::map<std::string, std::string>& form,
                                 std::map<std::string, std::string> headers) {
    if (!cookies_.empty()) headers["Cookie"] = cookieHeader();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    HttpReply r = http_.request("POST", path, formEncode(form), headers);
    remember(r);
    return r;
}

void OAuthBrowser::remember(const HttpReply& reply) {
    const std::string setCookie = reply.header("set-cookie");
    if (setCookie.empty()) return;
    const std::string pair = setCookie.substr(0, setCookie.find(';'));
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos) cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
}

std::string OAuthBrowser::cookieHeader() const {
    std::string out;
    for (const auto& [name, value] : cookies_) out += (out.empty() ? "" : "; ") + name + "=" + value;
    return out;
}

std::string formEncode(const std::map<std::string, std::string>& form) {
    std::string out;
    for (const auto& [name, value] : form) {
        out += (out.empty() ? "" : "&") + authserver::FormUrlEncoded::encode(name) + "=" + authserver::FormUrlEncoded::encode(value);
    }
    return out;
}

std::string hiddenField(const std::string& html, const std::string& name) {
    const std::string marker = "name=\"" + name + "\" value=\"";
    const std::size_t at = html.find(marker);
    if (at == std::string::npos) return "";
    const std::size_t start = at + marker.size();
    std::string value = html.substr(start, html.find('"', start) - start);
    // The host escapes values; tickets and tokens are base64url, so only &amp; could appear.
    for (std::size_t p; (p = value.find("&amp;")) != std::string::npos;) value.replace(p, 5, "&");
    return value;
}

std::map<std::string, std::string> queryOf(const std::string& url) {
    authserver::EndpointRequest r;
    const std::size_t q = url.find('?');
    if (q != std::string::npos) authserver::FormUrlEncoded::parseInto(url.substr(q + 1), r);
    return r.params;
}

std::string withoutQuery(const std::string& url) { return url.substr(0, url.find('?')); }

PkcePair newPkce() {
    PkcePair p;
    p.verifier = authserver::Pkce::generateVerifier();
    p.challenge = authserver::Pkce::challengeS256(p.verifier);
    return p;
}

}  // namespace mcph::testing

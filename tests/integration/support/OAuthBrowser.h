#pragma once
// What a person's browser and an MCP client do against the host's authorization server, over
// real HTTP: a cookie jar, form posts, reading the consent form's hidden fields and the
// parameters of a redirect. No redirects are followed: each test looks at every hop.
#include <map>
#include <string>

#include "support/HttpClient.h"

namespace mcph::testing {

class OAuthBrowser {
public:
    explicit OAuthBrowser(unsigned short port) : http_(port) {}

    HttpReply get(const std::string& pathAndQuery, std::map<std::string, std::string> headers = {});
    HttpReply postForm(const std::string& path, const std::map<std::string, std::string>& form,
                       std::map<std::string, std::string> headers = {});

    std::map<std::string, std::string>& cookies() { return cookies_; }

private:
    void remember(const HttpReply& reply);
    std::string cookieHeader() const;

    HttpClient http_;
    std::map<std::string, std::string> cookies_;
};

std::string formEncode(const std::map<std::string, std::string>& form);
// The value of the hidden input `name` in an HTML form ("" when absent), unescaped.
std::string hiddenField(const std::string& html, const std::string& name);
// The decoded query parameters of a URL.
std::map<std::string, std::string> queryOf(const std::string& url);
// The part of a URL before '?'.
std::string withoutQuery(const std::string& url);

struct PkcePair {
    std::string verifier;
    std::string challenge;
};
PkcePair newPkce();

}  // namespace mcph::testing

#include "mcphost/auth/server/UpstreamUserInfo.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/server/UpstreamClaims.h"
#include "mcphost/auth/server/UpstreamFacts.h"

namespace mcph::auth::server {

namespace {

using Kind = UpstreamError::Kind;

constexpr std::size_t kMaxJsonDepth = 16;  // GitHub's /user nests `plan`; nothing goes deeper
constexpr std::size_t kMaxEmails = 100;

HttpHeaders bearer(const std::string& accessToken) {
    return {{"Authorization", "Bearer " + accessToken}, {"Accept", "application/json"}};
}

bool retryableStatus(int status) { return status >= 500 || status == 408 || status == 429; }

// A JSON array of objects, or null.
Poco::JSON::Array::Ptr parseArray(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(kMaxJsonDepth);
        const Poco::Dynamic::Var value = parser.parse(text);
        if (value.type() != typeid(Poco::JSON::Array::Ptr)) return nullptr;
        return value.extract<Poco::JSON::Array::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace

UpstreamUserInfo::UpstreamUserInfo(std::shared_ptr<HttpFetcher> fetcher,
                                   const UpstreamOptions& options)
    : fetcher_(std::move(fetcher)),
      userInfoUrl_(options.userInfoUrl),
      userEmailsUrl_(options.userEmailsUrl),
      claims_(options.claims),
      factClaims_(options.factClaims),
      memberships_(fetcher_, options) {}

UpstreamSignIn UpstreamUserInfo::fetch(const std::string& accessToken) {
    const FetchResult fetched = fetcher_->get(userInfoUrl_, bearer(accessToken));
    if (!fetched.ok())
        return UpstreamSignIn::failure(Kind::Unavailable,
                                       "upstream userinfo unreachable: " + fetched.error);
    const HttpResponse& response = *fetched.response;
    const std::string status = "HTTP " + std::to_string(response.status);
    if (retryableStatus(response.status))
        return UpstreamSignIn::failure(Kind::Unavailable, "upstream userinfo failed: " + status);
    if (response.status != 200) {
        return UpstreamSignIn::failure(Kind::BadIdentity,
                                       "upstream userinfo refused our access token: " + status);
    }
    // A signed userinfo answer (application/jwt) is not something we verify: refused.
    const auto info = JsonFields::parseObject(response.body, kMaxJsonDepth);
    if (!info)
        return UpstreamSignIn::failure(Kind::BadIdentity, "upstream userinfo is not a JSON object");

    std::string why;
    auto identity = UpstreamClaims::identity(*info, claims_, why);
    if (!identity)
        return UpstreamSignIn::failure(Kind::BadIdentity, "upstream userinfo has " + why);
    if (identity->email.empty() && !userEmailsUrl_.empty())
        identity->email = primaryVerifiedEmail(accessToken);
    UpstreamFacts::addClaims(*info, UpstreamIdentityMethod::UserInfo, factClaims_, identity->facts);
    if (auto error = memberships_.read(accessToken, identity->facts))
        return UpstreamSignIn::failure(error->kind, error->message);
    return UpstreamSignIn::success(std::move(*identity));
}

std::string UpstreamUserInfo::primaryVerifiedEmail(const std::string& accessToken) {
    auto& log = Poco::Logger::get("mcp-host.auth");
    const FetchResult fetched = fetcher_->get(userEmailsUrl_, bearer(accessToken));
    if (!fetched.ok() || fetched.response->status != 200) {
        // Without the user:email scope GitHub answers 403 here; the sign-in needs no email.
        log.warning(
            "Upstream user emails not read: " +
            (fetched.ok() ? "HTTP " + std::to_string(fetched.response->status) : fetched.error));
        return {};
    }
    const auto emails = parseArray(fetched.response->body);
    if (!emails) {
        log.warning("Upstream user emails answer is not a JSON array");
        return {};
    }
    for (std::size_t i = 0; i < emails->size() && i < kMaxEmails; ++i) {
        const auto entry = emails->getObject(static_cast<unsigned>(i));
        if (!entry) continue;
        // Both flags must be JSON true: a string "true" is not GitHub's shape.
        if (JsonFields::boolean(*entry, "primary").value_or(false) &&
            JsonFields::boolean(*entry, "verified").value_or(false)) {
            const auto email = JsonFields::string(*entry, "email");
            if (email && !email->empty() && email->size() <= 512 &&
                email->find_first_of("\r\n") == std::string::npos) {
                return *email;
            }
        }
    }
    return {};
}

}  // namespace mcph::auth::server

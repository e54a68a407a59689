#include "mcphost/auth/server/UpstreamFacts.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth::server {

namespace {

// A fact may end up in a log line or a policy message: no control characters, bounded length.
constexpr std::size_t kMaxValueBytes = 1024;

std::optional<std::string> cleanString(const Poco::Dynamic::Var& value) {
    if (!value.isString()) return std::nullopt;
    auto text = value.extract<std::string>();
    if (text.empty() || text.size() > kMaxValueBytes ||
        std::any_of(text.begin(), text.end(),
                    [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return std::nullopt;
    return text;
}

// The clean strings of a string value or of an array value; empty for any other shape.
std::vector<std::string> strings(const Poco::JSON::Object& claims, const std::string& name,
                                 bool arrayOnly) {
    std::vector<std::string> out;
    if (!claims.has(name)) return out;
    if (const auto array = claims.getArray(name)) {
        for (std::size_t i = 0; i < array->size(); ++i) {
            if (auto text = cleanString(array->get(static_cast<unsigned>(i))))
                out.push_back(std::move(*text));
        }
    } else if (!arrayOnly) {
        if (auto text = cleanString(claims.get(name))) out.push_back(std::move(*text));
    }
    return out;
}

// Entra replaces `groups` with a pointer to Graph when a user has too many (over 200 in a JWT):
// `_claim_names: {"groups": "src1"}`, or `hasgroups: true` in the implicit flow.
bool groupOverage(const Poco::JSON::Object& claims) {
    if (JsonFields::boolean(claims, "hasgroups").value_or(false)) return true;
    const auto names = claims.getObject("_claim_names");
    return names && names->has("groups");
}

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

void UpstreamFacts::addClaims(const Poco::JSON::Object& claims, UpstreamIdentityMethod source,
                              const std::vector<std::string>& factClaims, UserFacts& facts) {
    const bool jwt = source != UpstreamIdentityMethod::UserInfo;
    // Google documents `hd` as a claim of the ID token; a userinfo or access-token `hd` is not
    // what a Workspace policy is written against.
    if (source == UpstreamIdentityMethod::IdToken && claims.has("hd")) {
        if (auto hd = cleanString(claims.get("hd"))) facts.hostedDomain = lowercase(*hd);
    }
    if (jwt) {
        if (claims.has("tid")) {
            if (auto tid = cleanString(claims.get("tid"))) facts.tenant = *tid;
        }
        if (groupOverage(claims)) {
            // The groups are only in Graph now; an incomplete list would be a wrong one.
            Poco::Logger::get("mcp-host.auth")
                .warning(
                    "Upstream token lists no groups: group overage (_claim_names.groups or "
                    "hasgroups); a policy on groups sees none for this sign-in");
        } else {
            facts.groups = strings(claims, "groups", true);
        }
    }
    for (const std::string& name : factClaims) {
        auto values = strings(claims, name, false);
        if (!values.empty()) facts.claims[name] = std::move(values);
    }
}

void UpstreamFacts::addIdentity(UpstreamIdentity& identity) {
    identity.facts.subject = identity.subject;
    identity.facts.email = lowercase(identity.email);
}

}  // namespace mcph::auth::server

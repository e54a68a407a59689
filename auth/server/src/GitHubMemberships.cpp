#include "mcphost/auth/server/GitHubMemberships.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth::server {

namespace {

using Kind = UpstreamError::Kind;

constexpr std::size_t kMaxJsonDepth = 16;  // a team nests its organisation; nothing goes deeper
constexpr std::size_t kPerPage = 100;      // GitHub's largest page
constexpr std::size_t kMaxLoginBytes = 100;

// A login or slug: GitHub allows letters, digits, '-', '_' and '.'; anything else (a '/', a
// control character) would make "org/slug" ambiguous or forge log lines.
std::optional<std::string> login(const Poco::JSON::Object& obj, const std::string& name) {
    auto text = JsonFields::string(obj, name);
    if (!text || text->empty() || text->size() > kMaxLoginBytes) return std::nullopt;
    for (char& c : *text) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '-' && c != '_' && c != '.') return std::nullopt;
        c = static_cast<char>(std::tolower(u));
    }
    return text;
}

std::optional<std::string> orgEntry(const Poco::JSON::Object& org) { return login(org, "login"); }

std::optional<std::string> teamEntry(const Poco::JSON::Object& team) {
    const auto slug = login(team, "slug");
    const auto org = team.getObject("organization");
    const auto orgLogin = org ? login(*org, "login") : std::nullopt;
    if (!slug || !orgLogin) return std::nullopt;
    return *orgLogin + "/" + *slug;
}

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

std::string pathOf(const std::string& url) {
    try {
        return Poco::URI(url).getPath();
    } catch (const std::exception&) {
        return "(bad URL)";
    }
}

std::string pageUrl(const std::string& url, std::size_t page) {
    std::string out = url + (url.find('?') == std::string::npos ? "?" : "&") +
                      "per_page=" + std::to_string(kPerPage);
    if (page > 1) out += "&page=" + std::to_string(page);
    return out;
}

// A user in more organisations or teams than the cap: an allow rule may miss one of the rest.
void warnCapped(const std::string& path, std::size_t cap) {
    Poco::Logger::get("mcp-host.auth")
        .warning("Upstream " + path + ": only the first " + std::to_string(cap) +
                 " entries are read; a policy sees no others");
}

}  // namespace

struct GitHubMemberships::List {
    const std::string& url;
    std::size_t maxPages;  // the cap on entries is maxPages * kPerPage
    std::optional<std::string> (*entry)(const Poco::JSON::Object&);
};

GitHubMemberships::GitHubMemberships(std::shared_ptr<HttpFetcher> fetcher,
                                     const UpstreamOptions& options)
    : fetcher_(std::move(fetcher)),
      orgsUrl_(options.userOrgsUrl),
      teamsUrl_(options.userTeamsUrl),
      readOrganizations_(options.readOrganizations),
      readTeams_(options.readTeams) {}

std::optional<UpstreamError> GitHubMemberships::read(const std::string& accessToken,
                                                     UserFacts& facts) {
    if (readOrganizations_) {
        if (auto error = readList({orgsUrl_, 1, &orgEntry}, accessToken, facts.organizations))
            return error;
    }
    if (readTeams_) {
        if (auto error = readList({teamsUrl_, 3, &teamEntry}, accessToken, facts.teams))
            return error;
    }
    return std::nullopt;
}

std::optional<UpstreamError> GitHubMemberships::readList(const List& list,
                                                         const std::string& accessToken,
                                                         std::vector<std::string>& out) {
    const std::string path = pathOf(list.url);
    const HttpHeaders headers{{"Authorization", "Bearer " + accessToken},
                              {"Accept", "application/vnd.github+json"}};
    const std::size_t cap = list.maxPages * kPerPage;
    out.clear();
    for (std::size_t page = 1; page <= list.maxPages; ++page) {
        const FetchResult fetched = fetcher_->get(pageUrl(list.url, page), headers);
        if (!fetched.ok())
            return UpstreamError{Kind::Unavailable,
                                 "upstream " + path + " unreachable: " + fetched.error};
        const int status = fetched.response->status;
        const std::string failed = "upstream " + path + " failed: HTTP " + std::to_string(status);
        if (status >= 500 || status == 408 || status == 429)
            return UpstreamError{Kind::Unavailable, failed};
        // 403 without read:org, 401 for a revoked token: no list, so no policy decision.
        if (status != 200) return UpstreamError{Kind::BadIdentity, failed};
        const auto entries = parseArray(fetched.response->body);
        if (!entries) {
            return UpstreamError{Kind::BadIdentity,
                                 "upstream " + path + " answer is not a JSON array (HTTP 200)"};
        }
        for (std::size_t i = 0; i < entries->size(); ++i) {
            const auto object = entries->getObject(static_cast<unsigned>(i));
            auto entry = object ? list.entry(*object) : std::nullopt;
            if (!entry) {
                return UpstreamError{Kind::BadIdentity,
                                     "upstream " + path + " entry " + std::to_string(i) +
                                         " is not the expected object (HTTP 200)"};
            }
            if (out.size() == cap) {
                warnCapped(path, cap);
                return std::nullopt;
            }
            if (std::find(out.begin(), out.end(), *entry) == out.end())
                out.push_back(std::move(*entry));
        }
        if (entries->size() < kPerPage) return std::nullopt;  // the last page
    }
    warnCapped(path, cap);  // every page full: there may be more
    return std::nullopt;
}

}  // namespace mcph::auth::server

// Redirect URIs at /register (and in Client ID Metadata Documents), /authorize and /token:
// auth::server::RedirectUriPolicy::rejectReason, filter, matches, matchesAny and isLoopbackHttp.
// The input is lines: the first is the URI a client presents, the others the URIs it registered.
//
// The policy documents no exception ("pure string logic"): a bad URI has a reason, a presented
// URI that fails validation never matches. So nothing is caught.
#include <algorithm>
#include <sstream>
#include <vector>

#include "FuzzSupport.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"

using mcph::auth::server::RedirectUriPolicy;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "redirect_uri";

const RedirectUriPolicy& policy() {
    static const RedirectUriPolicy p(
        {"https://mcp.example.com/oauth/callback", "http://127.0.0.1:8080/oauth/callback"});
    return p;
}
// A loopback http URI without its port: "http://127.0.0.1:8080/cb" -> "http://127.0.0.1/cb".
std::string withoutPort(const std::string& uri) {
    const std::size_t hostStart = uri.find("//") + 2;
    std::size_t hostEnd = uri[hostStart] == '[' ? uri.find(']', hostStart) + 1 : uri.find_first_of(":/?", hostStart);
    if (hostEnd == std::string::npos || hostEnd > uri.size()) hostEnd = uri.size();
    std::size_t rest = hostEnd;
    if (rest < uri.size() && uri[rest] == ':') {
        ++rest;
        while (rest < uri.size() && uri[rest] >= '0' && uri[rest] <= '9') ++rest;
    }
    return uri.substr(0, hostEnd) + uri.substr(rest);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> lines;
    {
        std::istringstream in(mcph::fuzz::bytes(data, size));
        std::string line;
        while (std::getline(in, line) && lines.size() < 16) lines.push_back(line);
    }
    if (lines.empty()) lines.emplace_back();
    const std::string presented = lines.front();
    const std::vector<std::string> registered(lines.begin() + 1, lines.end());

    const auto presentedReason = policy().rejectReason(presented);
    if (presentedReason && presentedReason->empty()) fuzzFail(kTarget, "a refusal without a reason");
    if (!presentedReason && !policy().matches(presented, presented))
        fuzzFail(kTarget, "an acceptable URI does not match itself");

    const auto filtered = policy().filter(registered);
    if (filtered.accepted.size() + filtered.rejected.size() > registered.size())
        fuzzFail(kTarget, "filter() returned more URIs than it was given");
    for (const auto& uri : filtered.accepted) {
        if (policy().rejectReason(uri)) fuzzFail(kTarget, "filter() accepted a URI rejectReason refuses");
        if (std::count(filtered.accepted.begin(), filtered.accepted.end(), uri) != 1)
            fuzzFail(kTarget, "filter() accepted a URI twice");
    }

    for (const auto& r : filtered.accepted) {
        if (!policy().matches(r, presented)) continue;
        if (presentedReason) fuzzFail(kTarget, "a URI that fails validation matched");
        // Only the port of a loopback http URI may differ (RFC 8252 §7.3).
        if (r != presented && !(RedirectUriPolicy::isLoopbackHttp(r) && RedirectUriPolicy::isLoopbackHttp(presented)))
            fuzzFail(kTarget, "matched two different URIs that are not both loopback http");
        if (r != presented && withoutPort(r) != withoutPort(presented))
            fuzzFail(kTarget, "matched two loopback URIs that differ in more than the port");
    }
    if (policy().matchesAny(filtered.accepted, presented) && presentedReason)
        fuzzFail(kTarget, "matchesAny accepted a URI that fails validation");
    return 0;
}

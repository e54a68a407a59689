// The Origin and Host headers of every MCP request (DNS-rebinding protection):
// http::OriginPolicy::originAllowed / ::hostAllowed, http::normalizeOrigin and
// http::hostOfHostHeader (config::normalizeOrigin and config::parseAbsoluteUrl underneath).
// The input is the Origin value, a newline, then the Host value.
//
// None documents an exception: a bad origin normalizes to "" and is refused. So nothing is
// caught.
#include "FuzzSupport.h"
#include "config/UrlChecks.h"
#include "http/OriginPolicy.h"

using mcph::fuzz::fuzzFail;
using mcph::http::OriginPolicy;

namespace {
constexpr const char* kTarget = "origin_header";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const OriginPolicy loopback({"https://app.example", "http://localhost:6274"}, "http://127.0.0.1:8080", true);
    static const OriginPolicy behindProxy({"https://app.example"}, "https://mcp.example.com", false);
    const auto [origin, host] = mcph::fuzz::splitOnce(mcph::fuzz::bytes(data, size), '\n');

    const std::string normalized = mcph::http::normalizeOrigin(origin);
    if (!normalized.empty() && mcph::http::normalizeOrigin(normalized) != normalized)
        fuzzFail(kTarget, "normalizeOrigin is not idempotent: " + normalized);
    if (!normalized.empty() && normalized.rfind("http://", 0) != 0 && normalized.rfind("https://", 0) != 0)
        fuzzFail(kTarget, "an origin normalized to something that is not http(s)");

    for (const OriginPolicy* policy : {&loopback, &behindProxy}) {
        if (policy->originAllowed(origin) && !origin.empty() && normalized.empty())
            fuzzFail(kTarget, "allowed an Origin that does not normalize");
    }
    if (loopback.originAllowed(origin) && !origin.empty() && normalized != "https://app.example" &&
        normalized != "http://localhost:6274" && normalized != "http://127.0.0.1:8080")
        fuzzFail(kTarget, "allowed an Origin that is not listed: " + normalized);

    const std::string hostName = mcph::http::hostOfHostHeader(host);
    if (loopback.hostAllowed(host)) {
        if (!mcph::config::isLoopbackHost(hostName) && hostName != "127.0.0.1")
            fuzzFail(kTarget, "a loopback listener allowed the Host " + hostName);
    }
    if (!behindProxy.hostAllowed(host)) fuzzFail(kTarget, "a listener behind a proxy refused a Host");
    return 0;
}

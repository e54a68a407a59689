// resources/read URIs against a plugin's RFC 6570 level-1 URI templates:
// pluginhost::ResourceTemplateSpec::match (see tests/unit/resource_template_match_test.cpp).
// The input is the template, a newline, then the URI (the URI comes from the client; the
// template from a plugin descriptor).
//
// match() documents no exception: no match is nullopt. So nothing is caught.
#include <map>
#include <set>

#include "FuzzSupport.h"
#include "pluginhost/OfferingSpecs.h"

using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "uri_template";

// The template with each {name} replaced by vars[name]; nullopt when a name repeats (then the
// map cannot tell which value went where).
std::optional<std::string> expand(const std::string& templ, const std::map<std::string, std::string>& vars) {
    std::string out;
    std::set<std::string> seen;
    for (std::size_t t = 0; t < templ.size();) {
        if (templ[t] != '{') {
            out += templ[t++];
            continue;
        }
        const std::size_t close = templ.find('}', t);
        const std::string name = templ.substr(t + 1, close - t - 1);
        if (!seen.insert(name).second) return std::nullopt;
        out += vars.at(name);
        t = close + 1;
    }
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [templ, uri] = mcph::fuzz::splitOnce(mcph::fuzz::bytes(data, size), '\n');
    mcph::pluginhost::ResourceTemplateSpec spec;
    spec.uriTemplate = templ;
    const auto vars = spec.match(uri);
    if (!vars) return 0;
    for (const auto& [name, value] : *vars) {
        if (value.empty()) fuzzFail(kTarget, "a variable matched no characters");
        if (value.find('/') != std::string::npos) fuzzFail(kTarget, "a variable matched a '/'");
    }
    if (const auto again = expand(templ, *vars); again && *again != uri)
        fuzzFail(kTarget, "expanding the template with the matched variables does not give the URI back");
    return 0;
}

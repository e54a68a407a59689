#include "config/providers/ValueReaders.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "config/UrlChecks.h"

namespace mcph::config {

const std::vector<std::string>& supportedJwsAlgorithms() {
    static const std::vector<std::string> algs = {"RS256", "RS384", "RS512", "PS256",
                                                  "PS384", "PS512", "ES256", "ES384"};
    return algs;
}

std::optional<std::string> readHttpUrl(ObjectReader& section, const std::string& key,
                                       bool allowHttp) {
    auto value = section.string(key);
    if (!value) return std::nullopt;
    std::string problem;
    auto url = parseAbsoluteUrl(value->value, problem);
    if (!url) {
        // The problem never repeats the URL: it may carry user:password@.
        section.diagnostics().error(section.pathOf(key), problem);
        return std::nullopt;
    }
    if (url->scheme != "https" && !(allowHttp && url->scheme == "http")) {
        section.diagnostics().error(
            section.pathOf(key),
            "must be an https URL (set auth.allowInsecureHttp for a local test server), got " +
                value->shown());
        return std::nullopt;
    }
    return value->value;
}

std::vector<std::string> readTokenList(ObjectReader& section, const std::string& key,
                                       std::vector<std::string> fallback,
                                       const std::vector<std::string>* allowed) {
    auto list = section.stringArray(key);
    if (!list) return fallback;
    std::vector<std::string> out;
    for (const auto& item : *list) {
        const bool blank =
            item.value.empty() || item.value.find_first_of(" \t\"\\") != std::string::npos;
        if (blank || (allowed &&
                      std::find(allowed->begin(), allowed->end(), item.value) == allowed->end())) {
            section.diagnostics().error(item.keyPath, "not an accepted value: " + item.shown());
            continue;
        }
        out.push_back(item.value);
    }
    return out;
}

void readClaimNames(ObjectReader& section, const std::string& key, auth::ClaimNames& out,
                    std::initializer_list<const char*> fields) {
    auto claims = section.object(key);
    if (!claims) return;
    const std::pair<const char*, std::string*> all[] = {{"userId", &out.userId},
                                                        {"email", &out.email},
                                                        {"name", &out.name},
                                                        {"scopes", &out.scope},
                                                        {"clientId", &out.clientId}};
    for (const char* field : fields) {
        for (const auto& [name, target] : all) {
            if (std::strcmp(name, field) != 0) continue;
            if (auto v = claims->string(name)) {
                if (v->value.empty()) {
                    claims->diagnostics().error(claims->pathOf(name), "must not be empty");
                } else {
                    *target = v->value;
                }
            }
        }
    }
    claims->finish();
}

bool readAllowInsecureHttp(ObjectReader& auth) {
    auto insecure = auth.boolean("allowInsecureHttp");
    return insecure && *insecure;
}

}  // namespace mcph::config

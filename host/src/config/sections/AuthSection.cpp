#include "config/providers/ProviderRegistry.h"
#include "config/reader/Suggest.h"
#include "config/sections/Sections.h"

namespace mcph::config {

namespace {

std::string unknownProviderProblem(const ConfigString& provider) {
    std::vector<std::string> names;
    std::string list;
    for (const AuthProvider& p : authProviders()) {
        names.emplace_back(p.name);
        list += (list.empty() ? "" : ", ") + names.back();
    }
    std::string problem = "unknown provider " + provider.shown();
    if (std::optional<std::string> match = closestMatch(provider.value, names)) {
        problem += " (did you mean " + quotedText(*match) + "?)";
    }
    return problem + "; known: " + list;
}

}  // namespace

void readAuthSection(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    const bool present = auth.has("provider");
    std::optional<ConfigString> provider = auth.string("provider");
    if (present && !provider) {  // wrong type or a bad ${NAME}: already reported
        out.provider.clear();    // neither "none" nor any provider: no rule below applies
        auth.ignoreRest();
        return;
    }
    if (provider) {
        const AuthProvider* known = findAuthProvider(provider->value);
        if (known == nullptr) {
            auth.diagnostics().error(auth.pathOf("provider"), unknownProviderProblem(*provider));
            // The other keys belong to a provider we do not know; reporting them all as
            // unknown, or applying the rules of "none", would only bury the real problem.
            out.provider.clear();
            auth.ignoreRest();
            return;
        }
        out.provider = known->name;
    }
    if (auto dangerous = auth.boolean("dangerouslyAllowUnauthenticatedNonLoopback")) {
        out.dangerouslyAllowUnauthenticatedNonLoopback = *dangerous;
    }
    findAuthProvider(out.provider)->read(auth, out, baseDir);
    auth.finish(" for auth provider " + quotedText(out.provider));
}

}  // namespace mcph::config

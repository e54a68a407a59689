#pragma once
// Which scopes an /authorize request gets, the way docs/client-interop.md#scope-handling says
// clients need it: no `scope` means the defaults (ChatGPT reconnects without one); unknown scopes
// (`openid email profile` from mcp-remote's fallback, `offline_access` from Claude Code) are
// dropped, never `invalid_scope`; a request left with nothing known gets the defaults too, since a
// token with no scope is useless and the consent page shows the user what is granted.
#include <string>
#include <vector>

namespace mcph::auth::server {

struct ScopeResolution {
    std::vector<std::string> granted;  // request order, no duplicates
    std::vector<std::string> dropped;  // unknown or malformed, for logs
    bool usedDefaults = false;
};

class ScopeResolver {
public:
    // `defaults` empty means all of `supported`. Defaults outside `supported` are ignored.
    ScopeResolver(std::vector<std::string> supported, std::vector<std::string> defaults = {});

    // `scopeParam`: the raw space-separated `scope` parameter ("" when absent).
    ScopeResolution resolve(const std::string& scopeParam) const;

    // RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E, at least one character.
    static bool isScopeToken(const std::string& token);
    static std::string join(const std::vector<std::string>& scopes);

private:
    std::vector<std::string> supported_;
    std::vector<std::string> defaults_;
};

}  // namespace mcph::auth::server

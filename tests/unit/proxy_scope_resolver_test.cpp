// ScopeResolver: what /authorize grants for the scope parameters real clients send.
#include <gtest/gtest.h>

#include "mcphost/auth/server/ScopeResolver.h"

using mcph::auth::server::ScopeResolver;
using V = std::vector<std::string>;

namespace {
const ScopeResolver resolver({"mcp:read", "mcp:write", "mcp:admin"}, {"mcp:read", "mcp:write"});
}

TEST(ProxyScopeResolver, NoScopeMeansTheDefaults) {
    const auto r = resolver.resolve("");
    EXPECT_EQ(r.granted, (V{"mcp:read", "mcp:write"}));
    EXPECT_TRUE(r.usedDefaults);
    EXPECT_EQ(resolver.resolve("   ").granted, (V{"mcp:read", "mcp:write"}));
}

TEST(ProxyScopeResolver, KnownScopesAreGrantedAsAsked) {
    const auto r = resolver.resolve("mcp:admin mcp:read mcp:admin");
    EXPECT_EQ(r.granted, (V{"mcp:admin", "mcp:read"}));
    EXPECT_FALSE(r.usedDefaults);
    EXPECT_TRUE(r.dropped.empty());
}

TEST(ProxyScopeResolver, UnknownScopesAreDroppedNotRefused) {
    const auto claudeCode = resolver.resolve("mcp:read offline_access");
    EXPECT_EQ(claudeCode.granted, V{"mcp:read"});
    EXPECT_EQ(claudeCode.dropped, V{"offline_access"});
    const auto mcpRemote = resolver.resolve("openid email profile");
    EXPECT_EQ(mcpRemote.granted, (V{"mcp:read", "mcp:write"}));
    EXPECT_TRUE(mcpRemote.usedDefaults);
    EXPECT_EQ(mcpRemote.dropped, (V{"openid", "email", "profile"}));
}

TEST(ProxyScopeResolver, MalformedTokensAreDroppedAndCaseMatters) {
    EXPECT_EQ(resolver.resolve("MCP:READ mcp:write").granted, V{"mcp:write"});
    EXPECT_EQ(resolver.resolve("mcp:read\tmcp:write").granted, (V{"mcp:read", "mcp:write"}));  // one bad token: defaults
    EXPECT_TRUE(resolver.resolve("mcp:read\tmcp:write").usedDefaults);
    EXPECT_EQ(resolver.resolve("mcp:read  mcp:write").granted, (V{"mcp:read", "mcp:write"}));
    EXPECT_FALSE(ScopeResolver::isScopeToken("a\"b"));
    EXPECT_FALSE(ScopeResolver::isScopeToken("a\\b"));
    EXPECT_FALSE(ScopeResolver::isScopeToken(""));
    EXPECT_FALSE(ScopeResolver::isScopeToken("caf\xc3\xa9"));
    EXPECT_TRUE(ScopeResolver::isScopeToken("https://graph.example/.default"));
}

TEST(ProxyScopeResolver, DefaultsAreAllSupportedUnlessNamed) {
    const ScopeResolver all({"a", "b"});
    EXPECT_EQ(all.resolve("").granted, (V{"a", "b"}));
    const ScopeResolver odd({"a", "b"}, {"b", "zzz"});  // a default we do not support is ignored
    EXPECT_EQ(odd.resolve("").granted, V{"b"});
    EXPECT_EQ(ScopeResolver::join({"a", "b"}), "a b");
    EXPECT_EQ(ScopeResolver::join({}), "");
}

// Required scopes with no auth: the anonymous caller holds none, so scoped tools are hidden
// and refused (fail closed), while the rest keep working.
#include <gtest/gtest.h>

#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

TEST(ScopesAnonymous, ScopedToolsAreHiddenAndRefusedWith403) {
    TestHost host(testConfig(MCPH_TEST_PLUGINS_DIR));
    ASSERT_TRUE(host.registry().snapshot()->find("scoped_read"));
    HttpClient c(host.port());
    auto sid = c.openSession();

    auto list = c.post(rpcRequest(1, "tools/list"), sid).json()->getObject("result")->getArray("tools");
    for (std::size_t i = 0; i < list->size(); ++i) {
        EXPECT_EQ(list->getObject(i)->getValue<std::string>("name").rfind("scoped_", 0), std::string::npos);
    }
    EXPECT_GT(list->size(), 0u);  // the unscoped tools are still listed

    auto denied = c.post(rpcRequest(2, "tools/call", R"({"name":"scoped_admin","arguments":{}})"), sid);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.header("www-authenticate"), R"(Bearer error="insufficient_scope", scope="secrets:read secrets:admin")");
    EXPECT_EQ(c.callTool(sid, "slow_in_flight", "{}")->has("isError"), false);
}

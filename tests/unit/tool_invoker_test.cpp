#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "pluginhost/HostApi.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolInvoker.h"

using namespace mcph::pluginhost;

namespace {

HostApiBlock& api() {
    static HostApiBlock block = [] {
        HostApiBlock b;
        initHostApiBlock(b, "test", nullptr);  // no resource updates in these tests
        return b;
    }();
    return block;
}

mcph_status textAndStructured(const mcph_call* call, mcph_result* r) {
    std::string who = call->auth->user_id;
    api().api.result_set_structured_json(r, "{\"user\":\"x\"}", 12);
    return api().api.result_add_text(r, who.data(), who.size());
}
mcph_status structuredOnly(const mcph_call*, mcph_result* r) { return api().api.result_set_structured_json(r, "{\"a\":1}", 7); }
mcph_status failsWithText(const mcph_call*, mcph_result* r) {
    api().api.result_add_text(r, "disk full", 9);
    return MCPH_ERR_FAILED;
}
mcph_status throws(const mcph_call*, mcph_result*) { throw std::runtime_error("boom"); }
mcph_status tooMuch(const mcph_call*, mcph_result* r) {
    std::string big(2048, 'x');
    return api().api.result_add_text(r, big.data(), big.size()) == MCPH_ERR_TOO_LARGE ? MCPH_ERR_TOO_LARGE : MCPH_OK;
}
mcph_status badContent(const mcph_call*, mcph_result* r) {
    return api().api.result_add_content_json(r, "[1]", 3) == MCPH_ERR_INVALID_ARGUMENT ? MCPH_OK : MCPH_ERR_FAILED;
}

struct Fixture {
    LoadedPlugin plugin;
    ToolSpec tool(mcph_invoke_fn fn) {
        ToolSpec t;
        t.name = "t";
        t.invoke = fn;
        t.plugin = &plugin;
        t.inputSchema = new Poco::JSON::Object;
        return t;
    }
};

std::string text0(const Poco::JSON::Object::Ptr& r) {
    return r->getArray("content")->getObject(0)->getValue<std::string>("text");
}

}  // namespace

TEST(ToolInvoker, PassesTheAuthContextAndCopiesTheResult) {
    Fixture f;
    auto ctx = mcph::auth::AuthContext::anonymous();
    auto r = ToolInvoker().call(f.tool(textAndStructured), nullptr, ctx);
    EXPECT_EQ(text0(r), "anonymous");
    EXPECT_EQ(r->getObject("structuredContent")->getValue<std::string>("user"), "x");
    EXPECT_FALSE(r->has("isError"));
}

TEST(ToolInvoker, StructuredOnlyGetsATextCopy) {
    Fixture f;
    auto r = ToolInvoker().call(f.tool(structuredOnly), nullptr, mcph::auth::AuthContext::anonymous());
    EXPECT_EQ(text0(r), "{\"a\":1}");
}

TEST(ToolInvoker, FailuresBecomeIsErrorResults) {
    Fixture f;
    auto ctx = mcph::auth::AuthContext::anonymous();
    auto failed = ToolInvoker().call(f.tool(failsWithText), nullptr, ctx);
    EXPECT_TRUE(failed->getValue<bool>("isError"));
    EXPECT_EQ(text0(failed), "disk full");

    auto thrown = ToolInvoker().call(f.tool(throws), nullptr, ctx);
    EXPECT_TRUE(thrown->getValue<bool>("isError"));
    EXPECT_NE(text0(thrown).find("failed"), std::string::npos);
}

TEST(ToolInvoker, EnforcesTheResultSizeLimit) {
    Fixture f;
    auto r = ToolInvoker(1024).call(f.tool(tooMuch), nullptr, mcph::auth::AuthContext::anonymous());
    EXPECT_TRUE(r->getValue<bool>("isError"));
    EXPECT_NE(text0(r).find("too large"), std::string::npos);
}

TEST(ToolInvoker, RefusesNonObjectContentBlocks) {
    Fixture f;
    auto r = ToolInvoker().call(f.tool(badContent), nullptr, mcph::auth::AuthContext::anonymous());
    EXPECT_FALSE(r->has("isError"));
}

TEST(ToolInvoker, OutputSchemaWithoutStructuredContentIsAnError) {
    Fixture f;
    auto t = f.tool(failsWithText);
    t.invoke = [](const mcph_call*, mcph_result* r) { return api().api.result_add_text(r, "hi", 2); };
    t.outputSchema = new Poco::JSON::Object;
    auto r = ToolInvoker().call(t, nullptr, mcph::auth::AuthContext::anonymous());
    EXPECT_TRUE(r->getValue<bool>("isError"));
}

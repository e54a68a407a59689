#include <gtest/gtest.h>

#include "pluginhost/DescriptorValidator.h"

using namespace mcph::pluginhost;

namespace {
mcph_status noop(const mcph_call*, mcph_result*) { return MCPH_OK; }

mcph_tool goodTool() {
    mcph_tool t{};
    t.struct_size = sizeof(mcph_tool);
    t.name = "echo";
    t.description = "Echoes";
    t.input_schema_json = R"({"type":"object","properties":{"text":{"type":"string"}},"$defs":{"x":{}}})";
    t.invoke = noop;
    return t;
}
}  // namespace

TEST(DescriptorValidator, Names) {
    EXPECT_TRUE(isValidToolName("notes_add"));
    EXPECT_TRUE(isValidToolName("a.b-c_D9"));
    EXPECT_TRUE(isValidToolName(std::string(128, 'x')));
    EXPECT_FALSE(isValidToolName(std::string(129, 'x')));
    EXPECT_FALSE(isValidToolName(""));
    EXPECT_FALSE(isValidToolName("has space"));
    EXPECT_FALSE(isValidToolName("slash/name"));
    EXPECT_TRUE(isValidPluginName("notes"));
    EXPECT_FALSE(isValidPluginName("Notes"));
    EXPECT_TRUE(isValidScopeToken("notes:write"));
    EXPECT_FALSE(isValidScopeToken("two words"));
    EXPECT_FALSE(isValidScopeToken("quote\""));
}

TEST(DescriptorValidator, ReadsAGoodToolAndKeepsTheSchemaAsIs) {
    auto t = goodTool();
    const char* scopes[] = {"notes:read"};
    t.required_scopes = scopes;
    t.required_scope_count = 1;
    auto spec = readTool(&t);
    ASSERT_TRUE(std::holds_alternative<ToolSpec>(spec)) << std::get<std::string>(spec);
    const auto& s = std::get<ToolSpec>(spec);
    EXPECT_EQ(s.name, "echo");
    EXPECT_TRUE(s.inputSchema->has("$defs"));  // passed through unmodified
    EXPECT_EQ(s.requiredScopes, std::vector<std::string>{"notes:read"});
}

TEST(DescriptorValidator, NullSchemaMeansAnEmptyObjectSchema) {
    auto t = goodTool();
    t.input_schema_json = nullptr;
    auto spec = readTool(&t);
    ASSERT_TRUE(std::holds_alternative<ToolSpec>(spec));
    EXPECT_EQ(std::get<ToolSpec>(spec).inputSchema->getValue<std::string>("type"), "object");
}

TEST(DescriptorValidator, RefusesBadTools) {
    struct Case {
        const char* what;
        void (*breakIt)(mcph_tool&);
        const char* expect;
    } cases[] = {
        {"bad name", [](mcph_tool& t) { t.name = "no spaces"; }, "invalid tool name"},
        {"schema not JSON", [](mcph_tool& t) { t.input_schema_json = "{nope"; }, "not valid JSON"},
        {"schema not object", [](mcph_tool& t) { t.input_schema_json = "[]"; }, "not a JSON object"},
        {"schema wrong type", [](mcph_tool& t) { t.input_schema_json = R"({"type":"string"})"; }, "\"type\": \"object\""},
        {"output schema", [](mcph_tool& t) { t.output_schema_json = "1"; }, "output schema"},
        {"no invoke", [](mcph_tool& t) { t.invoke = nullptr; }, "no invoke"},
        {"small struct", [](mcph_tool& t) { t.struct_size = 8; }, "struct_size"},
        {"null scopes", [](mcph_tool& t) { t.required_scope_count = 2; }, "required_scopes is NULL"},
    };
    for (const auto& c : cases) {
        auto t = goodTool();
        c.breakIt(t);
        auto spec = readTool(&t);
        ASSERT_TRUE(std::holds_alternative<std::string>(spec)) << c.what;
        EXPECT_NE(std::get<std::string>(spec).find(c.expect), std::string::npos) << c.what << ": " << std::get<std::string>(spec);
    }
}

TEST(DescriptorValidator, PluginDescriptorChecks) {
    mcph_plugin p{};
    p.magic = MCPH_PLUGIN_MAGIC;
    p.struct_size = sizeof(mcph_plugin);
    p.abi_major = MCPH_ABI_MAJOR;
    p.name = "good";
    EXPECT_FALSE(checkPluginDescriptor(&p));
    EXPECT_TRUE(checkPluginDescriptor(nullptr));
    auto bad = p;
    bad.magic = 0;
    EXPECT_NE(checkPluginDescriptor(&bad)->find("magic"), std::string::npos);
    bad = p;
    bad.abi_major = 2;
    EXPECT_NE(checkPluginDescriptor(&bad)->find("ABI major 2"), std::string::npos);
    bad = p;
    bad.struct_size = 4;
    EXPECT_NE(checkPluginDescriptor(&bad)->find("struct_size"), std::string::npos);
    bad = p;
    bad.name = "Bad Name";
    EXPECT_NE(checkPluginDescriptor(&bad)->find("plugin name"), std::string::npos);
    bad = p;
    bad.flags = 0x80;
    EXPECT_NE(checkPluginDescriptor(&bad)->find("flags"), std::string::npos);
}

TEST(DescriptorValidator, StepsThroughToolsByTheirOwnStructSize) {
    // A plugin built against an older, smaller mcph_tool: the host must not use its own sizeof.
    struct OldTool {
        mcph_tool v1;
    };
    static_assert(sizeof(OldTool) == sizeof(mcph_tool));
    unsigned char storage[2 * (sizeof(mcph_tool) + 16)] = {};
    auto* first = reinterpret_cast<mcph_tool*>(storage);
    first->struct_size = sizeof(mcph_tool) + 16;  // as if a newer minor appended 16 bytes
    auto* second = reinterpret_cast<mcph_tool*>(storage + sizeof(mcph_tool) + 16);
    second->struct_size = sizeof(mcph_tool) + 16;
    second->name = "second";
    mcph_plugin p{};
    p.tools = first;
    p.tool_count = 2;
    EXPECT_STREQ(toolAt(&p, 1)->name, "second");
}

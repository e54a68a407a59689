// The contract every plugin must meet, checked the way a host loader would, on each good
// plugin (it must pass) and each bad one (it must fail in exactly its one way).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "fake_host.hpp"
#include "test_json.hpp"

namespace abitest {
namespace {

// The end of the last 1.0 field: any 1.x descriptor is at least this large.
constexpr size_t kPluginSize10 = offsetof(mcph_plugin, tool_count) + sizeof(size_t);
constexpr size_t kToolSize10 = offsetof(mcph_tool, tool_data) + sizeof(void*);

bool isObjectSchema(const char* json) {
    try {
        return parseObject(json)->getValue<std::string>("type") == "object";
    } catch (const std::exception&) {
        return false;
    }
}

bool isJson(const char* json) {
    try {
        Poco::JSON::Parser().parse(json);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// The loader's checks as named problems; empty for a plugin the host must accept.
// `takenToolNames` stands for the tools other plugins registered first.
std::set<std::string> contractProblems(const std::string& path,
                                       const std::set<std::string>& takenToolNames = {}) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        return {"not_loadable"};
    }
    const bool hasEntry = dlsym(handle, MCPH_ENTRY_SYMBOL) != nullptr;
    dlclose(handle);
    if (!hasEntry) {
        return {"no_entry"};
    }
    LoadedPlugin plugin(path);
    const mcph_plugin* d = plugin.descriptor();
    if (d == nullptr) {
        return {"null_descriptor"};
    }
    if (d->magic != MCPH_PLUGIN_MAGIC) {
        return {"wrong_magic"};
    }
    if (d->abi_major != MCPH_ABI_MAJOR) {
        return {"abi_major"};
    }
    if (d->struct_size < kPluginSize10) {
        return {"struct_size"};
    }
    std::set<std::string> problems;
    if (d->name == nullptr || !std::regex_match(d->name, std::regex("[a-z0-9_-]{1,64}"))) {
        problems.insert("plugin_name");
    }
    if (d->flags & ~static_cast<uint32_t>(MCPH_PLUGIN_SERIALIZED)) {
        problems.insert("unknown_flags");
    }
    if (d->version == nullptr || (d->tool_count > 0 && d->tools == nullptr)) {
        problems.insert("descriptor_fields");
    }
    std::set<std::string> names = takenToolNames;
    for (size_t i = 0; d->tools != nullptr && i < d->tool_count; ++i) {
        const mcph_tool& tool = d->tools[i];
        if (tool.struct_size < kToolSize10 || tool.invoke == nullptr) {
            problems.insert("tool_fields");
            continue;
        }
        if (tool.name == nullptr ||
            !std::regex_match(tool.name, std::regex("[A-Za-z0-9_.-]{1,128}"))) {
            problems.insert("tool_name");
        } else if (!names.insert(tool.name).second) {
            problems.insert("duplicate_tool");
        }
        if (tool.input_schema_json != nullptr && !isJson(tool.input_schema_json)) {
            problems.insert("schema_not_json");
        } else if (tool.input_schema_json != nullptr && !isObjectSchema(tool.input_schema_json)) {
            problems.insert("schema_not_object");
        }
        if (tool.output_schema_json != nullptr && !isObjectSchema(tool.output_schema_json)) {
            problems.insert("output_schema");
        }
        if (tool.annotations != nullptr &&
            tool.annotations->struct_size < sizeof(mcph_tool_annotations)) {
            problems.insert("annotations");
        }
        if (tool.required_scope_count > 0 && tool.required_scopes == nullptr) {
            problems.insert("required_scopes");
        }
    }
    if (!problems.empty()) {
        return problems;
    }
    std::string reason;
    if (plugin.init("{}", &reason) != MCPH_OK) {
        return {"init_fails"};
    }
    return {};
}

std::string baseName(const std::string& path) {
    const size_t slash = path.rfind('/');
    const std::string file = path.substr(slash + 1);
    return file.substr(0, file.rfind('.'));
}

// ---- good plugins --------------------------------------------------------------------------

class GoodPlugin : public ::testing::TestWithParam<std::string> {};

TEST_P(GoodPlugin, MeetsTheContract) {
    EXPECT_EQ(contractProblems(GetParam()), std::set<std::string>{});
}

TEST_P(GoodPlugin, GivesTheSameDescriptorToAnOlderHostMinor) {
    LoadedPlugin plugin(GetParam());
    EXPECT_EQ(plugin.entry()(MCPH_ABI_MAJOR, 0), plugin.descriptor());
    EXPECT_LE(plugin.descriptor()->abi_minor, static_cast<uint32_t>(MCPH_ABI_MINOR));
}

TEST_P(GoodPlugin, InitsWithEmptySettingsThenShutsDown) {
    LoadedPlugin plugin(GetParam());
    std::string reason;
    ASSERT_EQ(plugin.init("{}", &reason), MCPH_OK) << reason;
    plugin.shutdown();
}

INSTANTIATE_TEST_SUITE_P(Plugins, GoodPlugin,
                         ::testing::Values(paths::echo, paths::whoami, paths::notes, paths::slow,
                                           paths::oldHeader, paths::cxxLayer),
                         [](const auto& info) { return baseName(info.param); });

// ---- bad plugins ---------------------------------------------------------------------------

struct BadCase {
    std::string file;
    std::string problem;
};

class BadPlugin : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPlugin, FailsInExactlyItsOneWay) {
    // "echo" stands registered, as it is when the host loads build/plugins first.
    EXPECT_EQ(contractProblems(paths::badDir + "/" + GetParam().file, {"echo"}),
              std::set<std::string>{GetParam().problem});
}

INSTANTIATE_TEST_SUITE_P(Plugins, BadPlugin,
                         ::testing::Values(BadCase{"bad_not_elf.so", "not_loadable"},
                                           BadCase{"bad_no_entry.so", "no_entry"},
                                           BadCase{"bad_null_entry.so", "null_descriptor"},
                                           BadCase{"bad_wrong_magic.so", "wrong_magic"},
                                           BadCase{"bad_abi_major2.so", "abi_major"},
                                           BadCase{"bad_struct_size.so", "struct_size"},
                                           BadCase{"bad_plugin_name.so", "plugin_name"},
                                           BadCase{"bad_tool_name.so", "tool_name"},
                                           BadCase{"bad_schema_not_json.so", "schema_not_json"},
                                           BadCase{"bad_schema_not_object.so", "schema_not_object"},
                                           BadCase{"bad_duplicate_echo.so", "duplicate_tool"},
                                           BadCase{"bad_init_fails.so", "init_fails"}),
                         [](const auto& info) { return baseName(info.param.file); });

TEST(BadPlugins, InitFailureComesWithAReason) {
    LoadedPlugin plugin(paths::badDir + "/bad_init_fails.so");
    std::string reason;
    EXPECT_NE(plugin.init("{}", &reason), MCPH_OK);
    EXPECT_EQ(reason, "bad_init_fails refuses to start, on purpose");
}

TEST(BadPlugins, InvokeFailsPassesTheContractButFailsEveryCall) {
    const std::string path = paths::badDir + "/bad_invoke_fails.so";
    EXPECT_EQ(contractProblems(path), std::set<std::string>{});
    LoadedPlugin plugin(path);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    const Outcome outcome = plugin.invoke("bad_invoke_fails", "{}");
    EXPECT_EQ(outcome.status, MCPH_ERR_FAILED);
    EXPECT_TRUE(outcome.result.texts.empty());
}

}  // namespace
}  // namespace abitest

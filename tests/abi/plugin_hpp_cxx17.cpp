// Compiled by the test abi.plugin_hpp_cxx17 with -std=c++17 -pedantic -Werror -Wall -Wextra
// -Wshadow -Wconversion: the C++ layer must stay warning-free in authors' strict builds. Every
// template is instantiated once so that its body is checked too.
#include <mcphost/plugin.hpp>

namespace {

struct State {
    int calls = 0;
};

void* start(const mcph::Host& host, std::string_view) {
    host.info("starting");
    return new State;
}

void stop(void* state) { delete static_cast<State*>(state); }

void fill(const mcph::Call& call, mcph::Result& result) {
    ++call.stateAs<State>().calls;
    result.addText(mcph::jsonString(call.userId)).setStructuredJson("{}");
    if (!call.hasScope("x")) {
        result.setError("no scope x");
    }
}

std::string text(const mcph::Call& call, mcph::Result&) { return std::string(call.arguments); }

constexpr auto kLambda = [](const mcph::Call&, mcph::Result& result) { result.addText("ok"); };

constexpr const char* kScopes[] = {"x"};
constexpr mcph_tool_annotations kHints = mcph::Annotations().readOnly().destructive(false);

constexpr mcph_tool kTools[] = {
    mcph::Tool("fill", mcph::invoke<fill>).requiredScopes(kScopes).annotations(&kHints),
    mcph::Tool("text", mcph::invoke<text>).title("Text").description("d").inputSchema("{}"),
    mcph::Tool("lambda", mcph::invoke<+kLambda>).outputSchema("{\"type\":\"object\"}"),
};

constexpr mcph_plugin kPlugin = mcph::Plugin("strict", "1", kTools)
                                    .description("strict")
                                    .serialized()
                                    .onInit<start>()
                                    .onShutdown<stop>();

static_assert(kPlugin.tool_count == 3 && kPlugin.flags == MCPH_PLUGIN_SERIALIZED, "");

}  // namespace

MCPH_PLUGIN_ENTRY(kPlugin)

// cxx_layer: exercises mcphost/plugin.hpp for the contract test: every way a C++ tool can end
// (return, ToolError, std::exception, a non-exception throw), init and shutdown hooks with
// state. Built beside the test, in no plugin directory.
#include <mcphost/plugin.hpp>
#include <stdexcept>
#include <string>

namespace {

struct State {
    mcph::Host host;
    std::string settings;
};

void* start(const mcph::Host& host, std::string_view settings) {
    if (settings.find("\"fail\"") != std::string_view::npos) {
        throw std::runtime_error("init refused: the settings asked for it");
    }
    return new State{host, std::string(settings)};
}

void stop(void* state) {
    const auto* s = static_cast<State*>(state);
    s->host.info("cxx_layer shut down");
    delete s;
}

void throwsStd(const mcph::Call&, mcph::Result& result) {
    result.addText("partial output before the failure");
    throw std::runtime_error("boom from std::runtime_error");
}

void throwsUnknown(const mcph::Call&, mcph::Result&) { throw 42; }

void toolError(const mcph::Call&, mcph::Result&) {
    throw mcph::ToolError("argument \"x\" is not acceptable");
}

std::string returnsString(const mcph::Call& call, mcph::Result&) {
    return "settings=" + call.stateAs<State>().settings;
}

constexpr auto kScopes = [](const mcph::Call& call, mcph::Result& result) {
    result.addText(call.hasScope("notes:write") ? "has notes:write" : "lacks notes:write");
};

constexpr mcph_tool kTools[] = {
    mcph::Tool("cxx_throws_std", mcph::invoke<throwsStd>),
    mcph::Tool("cxx_throws_unknown", mcph::invoke<throwsUnknown>),
    mcph::Tool("cxx_tool_error", mcph::invoke<toolError>),
    mcph::Tool("cxx_returns_string", mcph::invoke<returnsString>),
    mcph::Tool("cxx_scopes", mcph::invoke<+kScopes>),
};

constexpr mcph_plugin kPlugin =
    mcph::Plugin("cxx_layer", "1.0.0", kTools).onInit<start>().onShutdown<stop>();

}  // namespace

MCPH_PLUGIN_ENTRY(kPlugin)

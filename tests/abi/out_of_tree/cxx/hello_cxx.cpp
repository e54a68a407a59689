// hello_cxx: the out-of-tree C++ plugin (plugin.hpp, ABI 1.2 argument accessors).
#include <mcphost/plugin.hpp>

namespace {

std::string hello(const mcph::Call& call, mcph::Result&) {
    const auto name = call.argString("name");
    return "Hello from C++, " + name.value_or(std::string(call.userId)) + "!";
}

constexpr mcph_tool kTools[] = {
    mcph::Tool("hello_cxx", mcph::invoke<hello>)
        .description("Greets the `name` argument, else the caller."),
};
constexpr mcph_plugin kPlugin = mcph::Plugin("hello_cxx", "1.2.0", kTools);

}  // namespace

MCPH_PLUGIN_ENTRY(kPlugin)

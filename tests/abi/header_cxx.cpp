// Compiled by the test abi.header_cxx as C++11 with -pedantic -Werror -Wall -Wextra: the C
// header must be usable from any C++ a plugin or host is written in, with C linkage.
#include <mcphost/plugin.h>

#include <type_traits>

static_assert(std::is_standard_layout<mcph_plugin>::value, "descriptors must be plain C structs");
static_assert(std::is_trivially_copyable<mcph_tool>::value, "descriptors must be plain C structs");

// No extern "C" here: the header's declaration gives the definition C linkage.
const mcph_plugin* mcph_plugin_entry_v1(uint32_t, uint32_t) { return nullptr; }

/*
 * old_header: a good plugin built against the frozen copy of the 1.0 header in
 * tests/abi/old_header/. When later minors append to sdk/include/mcphost/plugin.h, this plugin
 * keeps being built from the old copy and must keep loading: that is the compatibility
 * promise of a minor version, pinned by a test. Never update the copy.
 * Tool `old_header_ping` answers "pong" and uses every 1.0 host entry.
 */
#include <mcphost/plugin.h>
#include <string.h>

/* Fails the build if the include path picked up the current header instead of the copy. */
typedef char built_against_abi_1_0[(MCPH_ABI_MAJOR == 1 && MCPH_ABI_MINOR == 0) ? 1 : -1];

static mcph_status ping_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    static const char structured[] = "{\"reply\":\"pong\",\"abi\":\"1.0\"}";
    mcph_status status = host->result_add_text(result, "pong", 4);
    if (status == MCPH_OK) {
        status = host->result_set_structured_json(result, structured, sizeof(structured) - 1);
    }
    return status;
}

static mcph_status old_init(const mcph_host_api* host, const char* settings_json,
                            void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    (void)err;
    (void)err_size;
    host->log(host, MCPH_LOG_INFO, "built against ABI 1.0");
    *plugin_state = (void*)host;
    return MCPH_OK;
}

static void old_shutdown(void* plugin_state) { (void)plugin_state; }

static const mcph_tool_annotations k_annotations = {
    .struct_size = sizeof(mcph_tool_annotations),
    .title = "Ping",
    .read_only_hint = MCPH_HINT_TRUE,
    .destructive_hint = MCPH_HINT_FALSE,
    .idempotent_hint = MCPH_HINT_TRUE,
    .open_world_hint = MCPH_HINT_FALSE,
};

static const mcph_tool k_tools[] = {{
    .struct_size = sizeof(mcph_tool),
    .name = "old_header_ping",
    .title = "Ping",
    .description = "Answers pong. Built against the ABI 1.0 header.",
    .input_schema_json = "{\"type\":\"object\",\"properties\":{}}",
    .output_schema_json = "{\"type\":\"object\",\"properties\":{\"reply\":{\"type\":\"string\"},"
                          "\"abi\":{\"type\":\"string\"}},\"required\":[\"reply\",\"abi\"]}",
    .annotations = &k_annotations,
    .invoke = ping_invoke,
}};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "old_header",
    .version = "1.0.0",
    .description = "Built against the frozen ABI 1.0 header.",
    .init = old_init,
    .shutdown = old_shutdown,
    .tools = k_tools,
    .tool_count = 1,
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return &k_plugin;
}

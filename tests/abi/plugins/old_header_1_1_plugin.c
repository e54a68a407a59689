/*
 * old_header_1_1: a good plugin built against the frozen copy of the 1.1 header in
 * tests/abi/old_header_1_1/, as old_header is for 1.0: it must keep loading on every later
 * minor. Never update the copy.
 * Tool `old11_ping` answers "pong 1.1" and reports progress (a 1.1 host entry); resource
 * `old11://greeting` reads "hello from 1.1"; prompt `old11_prompt` says "prompt from 1.1".
 */
#include <mcphost/plugin.h>

/* Fails the build if the include path picked up the current header instead of the copy. */
typedef char built_against_abi_1_1[(MCPH_ABI_MAJOR == 1 && MCPH_ABI_MINOR == 1) ? 1 : -1];

static const mcph_host_api* g_host;

static mcph_status ping_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    mcph_status status = g_host->progress(result, 1, 2, "half way");
    if (status == MCPH_OK) status = g_host->result_add_text(result, "pong 1.1", 8);
    return status;
}

static mcph_status greeting_read(const mcph_call* call, mcph_result* result) {
    (void)call;
    return g_host->result_add_text(result, "hello from 1.1", 14);
}

static mcph_status prompt_get(const mcph_call* call, mcph_result* result) {
    (void)call;
    return g_host->result_add_text(result, "prompt from 1.1", 15);
}

static mcph_status old_init(const mcph_host_api* host, const char* settings_json,
                            void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    (void)err;
    (void)err_size;
    (void)plugin_state;
    g_host = host;
    host->log(host, MCPH_LOG_INFO, "built against ABI 1.1");
    return MCPH_OK;
}

static const mcph_tool k_tools[] = {{
    .struct_size = sizeof(mcph_tool),
    .name = "old11_ping",
    .description = "Answers pong. Built against the ABI 1.1 header.",
    .input_schema_json = "{\"type\":\"object\"}",
    .invoke = ping_invoke,
}};

static const mcph_resource k_resources[] = {{
    .struct_size = sizeof(mcph_resource),
    .uri = "old11://greeting",
    .name = "greeting",
    .mime_type = "text/plain",
    .read = greeting_read,
}};

static const mcph_prompt k_prompts[] = {{
    .struct_size = sizeof(mcph_prompt),
    .name = "old11_prompt",
    .get = prompt_get,
}};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "old_header_1_1",
    .version = "1.1.0",
    .description = "Built against the frozen ABI 1.1 header.",
    .init = old_init,
    .tools = k_tools,
    .tool_count = 1,
    .resources = k_resources,
    .resource_count = 1,
    .prompts = k_prompts,
    .prompt_count = 1,
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    /* The 1.1 entries it uses must be there. */
    return host_abi_minor >= 1 ? &k_plugin : NULL;
}

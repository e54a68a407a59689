/* hello.c: a complete tool plugin in C99. Tool `hello` greets the caller by name. */
#include <mcphost/plugin.h>
#include <stdio.h>

/* init keeps the host's API table: it is valid until shutdown returns. */
static mcph_status hello_init(const mcph_host_api* host, const char* settings_json,
                              void** plugin_state, char* err, size_t err_size) {
    (void)settings_json; /* this plugin has no settings */
    (void)err;
    (void)err_size;
    *plugin_state = (void*)host;
    host->log(host, MCPH_LOG_INFO, "hello is ready");
    return MCPH_OK;
}

static mcph_status hello_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    const mcph_auth_context* auth = call->auth;
    const char* who = auth->name[0] != '\0' ? auth->name : auth->user_id;
    char text[256];
    int n = snprintf(text, sizeof text, "Hello, %s!", who);
    if (n < 0 || (size_t)n >= sizeof text) {
        /* Too long for the buffer: greet without the name rather than cut a UTF-8 character. */
        return host->result_add_text(result, "Hello!", 6);
    }
    /* The host copies the text before add_text returns; `text` may go out of scope. */
    return host->result_add_text(result, text, (size_t)n);
}

/* Designated initializers: fields not named are zero, i.e. NULL or "none". */
static const mcph_tool_annotations hello_hints = {
    .struct_size = sizeof(mcph_tool_annotations),
    .title = "Hello",
    .read_only_hint = MCPH_HINT_TRUE,
    .destructive_hint = MCPH_HINT_FALSE,
    .idempotent_hint = MCPH_HINT_TRUE,
    .open_world_hint = MCPH_HINT_FALSE,
};

static const mcph_tool hello_tools[] = {{
    .struct_size = sizeof(mcph_tool),
    .name = "hello",
    .title = "Hello",
    .description = "Greets the caller by name.",
    .input_schema_json = "{\"type\":\"object\",\"properties\":{}}", /* no arguments */
    .annotations = &hello_hints,
    .invoke = hello_invoke,
    /* no output schema (text only), no required scopes, no tool_data */
}};

static const mcph_plugin hello_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "hello", /* also the key of its settings: plugins.settings.hello */
    .version = "1.0.0",
    .description = "Greets the caller.",
    .flags = 0, /* invoke may run concurrently */
    .init = hello_init,
    .shutdown = NULL, /* nothing to release */
    .tools = hello_tools,
    .tool_count = sizeof hello_tools / sizeof hello_tools[0],
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major; /* always 1: the major is in this function's name */
    (void)host_abi_minor; /* check it before using host entries added after 1.0 */
    return &hello_plugin;
}

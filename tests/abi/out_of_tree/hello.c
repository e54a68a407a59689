/* hello.c: a complete tool plugin in C99. Tool `hello` greets whom its `name` argument
 * names (read through the host's argument accessors: no JSON parser needed), else the caller. */
#include <mcphost/plugin.h>
#include <stdio.h>

/* init keeps the host's API table: it is valid until shutdown returns. */
static mcph_status hello_init(const mcph_host_api* host, const char* settings_json,
                              void** plugin_state, char* err, size_t err_size) {
    (void)settings_json; /* this plugin has no settings */
    if (host->abi_minor < 2) { /* arg_string came with ABI 1.2 */
        snprintf(err, err_size, "needs a host with plugin ABI 1.2 or newer");
        return MCPH_ERR_UNSUPPORTED;
    }
    *plugin_state = (void*)host;
    host->log(host, MCPH_LOG_INFO, "hello is ready");
    return MCPH_OK;
}

static mcph_status hello_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    const mcph_auth_context* auth = call->auth;
    const char* who = auth->name[0] != '\0' ? auth->name : auth->user_id;
    const char* name = NULL;
    size_t name_len = 0;
    /* The host owns `name` until this call returns. */
    mcph_status status = host->arg_string(call, "name", &name, &name_len);
    if (status == MCPH_ERR_WRONG_TYPE) {
        /* A tool error the model can read and correct, not a failed call. */
        static const char message[] = "\"name\" must be a string";
        host->result_add_text(result, message, sizeof message - 1);
        return host->result_set_error(result, 1);
    }
    if (status == MCPH_OK && name_len > 0) who = name; /* MCPH_ERR_NOT_FOUND: not given */
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
    .description = "Greets someone by name: the `name` argument, else the caller.",
    .input_schema_json =
        "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}",
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
    .version = "1.2.0",
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
    (void)host_abi_minor; /* init checks host->abi_minor, and refuses with a reason */
    return &hello_plugin;
}

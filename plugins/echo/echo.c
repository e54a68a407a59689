/*
 * echo: a tool that sends its text argument back, written in plain C99 against the C ABI
 * alone. It is the smallest complete plugin in the tree and the proof that the ABI is C.
 */
#include <mcphost/plugin.h>
#include <stdlib.h>
#include <string.h>

#include "json_field.h"

static const char k_input_schema[] =
    "{\"type\":\"object\","
    "\"properties\":{\"text\":{\"type\":\"string\",\"description\":\"The text to send back.\"}},"
    "\"required\":[\"text\"]}";

static const mcph_tool_annotations k_annotations = {
    .struct_size = sizeof(mcph_tool_annotations),
    .title = "Echo",
    .read_only_hint = MCPH_HINT_TRUE,
    .destructive_hint = MCPH_HINT_FALSE,
    .idempotent_hint = MCPH_HINT_TRUE,
    .open_world_hint = MCPH_HINT_FALSE,
};

/* A tool error the model should see (isError: true); the call itself ran, so MCPH_OK. */
static mcph_status tool_error(const mcph_host_api* host, mcph_result* result, const char* message) {
    mcph_status status = host->result_add_text(result, message, strlen(message));
    if (status != MCPH_OK) {
        return status;
    }
    return host->result_set_error(result, 1);
}

static mcph_status echo_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    char* text = NULL;
    size_t text_len = 0;
    mcph_status status;

    switch (
        json_field_string(call->arguments_json, call->arguments_len, "text", &text, &text_len)) {
        case JSON_FIELD_OK:
            break;
        case JSON_FIELD_MISSING:
            return tool_error(host, result, "missing required argument \"text\"");
        case JSON_FIELD_WRONG_TYPE:
            return tool_error(host, result, "argument \"text\" must be a string");
        case JSON_FIELD_NO_MEMORY:
            return MCPH_ERR_NO_MEMORY;
        default:
            return tool_error(host, result, "arguments are not a valid JSON object");
    }
    status = host->result_add_text(result, text, text_len);
    free(text);
    return status;
}

/* The host API table is all the state echo needs; it stays valid until shutdown. */
static mcph_status echo_init(const mcph_host_api* host, const char* settings_json,
                             void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    (void)err;
    (void)err_size;
    *plugin_state = (void*)host;
    return MCPH_OK;
}

static const mcph_tool k_tools[] = {{
    .struct_size = sizeof(mcph_tool),
    .name = "echo",
    .title = "Echo",
    .description = "Returns the given text unchanged. Useful to check that tool calls work "
                   "end to end.",
    .input_schema_json = k_input_schema,
    .annotations = &k_annotations,
    .invoke = echo_invoke,
    /* no output schema: plain text only */
}};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "echo",
    .version = "1.0.0",
    .description = "Sends text back; the reference plugin in plain C.",
    .flags = 0, /* invoke is reentrant */
    .init = echo_init,
    .shutdown = NULL, /* nothing to release */
    .tools = k_tools,
    .tool_count = sizeof(k_tools) / sizeof(k_tools[0]),
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return &k_plugin;
}

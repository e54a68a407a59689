/*
 * A plugin that is wrong in exactly one way, chosen with -DBAD_<WAY> at build time (see
 * CMakeLists.txt beside this file; the file is named for the way, e.g. bad_wrong_magic.so).
 * Apart from that one way it is a valid 1.0 plugin, so a loader that accepts it has missed
 * exactly that check. PLUGIN_NAME is the file's base name; the one tool is named after it.
 */
#include <mcphost/plugin.h>
#include <stddef.h>
#include <string.h>

#ifndef PLUGIN_NAME
#error "define PLUGIN_NAME"
#endif

#if defined(BAD_WRONG_MAGIC)
#define MAGIC 0x4D504348u /* "MCPH" byte-swapped */
#else
#define MAGIC MCPH_PLUGIN_MAGIC
#endif

#if defined(BAD_ABI_MAJOR2)
#define ABI_MAJOR 2u /* still exports mcph_plugin_entry_v1, but claims major 2 */
#else
#define ABI_MAJOR MCPH_ABI_MAJOR
#endif

#if defined(BAD_STRUCT_SIZE)
#define PLUGIN_STRUCT_SIZE offsetof(mcph_plugin, tools) /* ends before the tool list */
#else
#define PLUGIN_STRUCT_SIZE sizeof(mcph_plugin)
#endif

#if defined(BAD_PLUGIN_NAME)
#define NAME "Bad Plugin Name!" /* outside [a-z0-9_-]{1,64} */
#else
#define NAME PLUGIN_NAME
#endif

#if defined(BAD_TOOL_NAME)
#define TOOL_NAME "bad tool name!" /* outside [A-Za-z0-9_.-]{1,128} */
#elif defined(BAD_DUPLICATE_ECHO)
#define TOOL_NAME "echo" /* valid alone; clashes with the echo plugin's tool */
#else
#define TOOL_NAME PLUGIN_NAME
#endif

#if defined(BAD_SCHEMA_NOT_JSON)
#define INPUT_SCHEMA "{\"type\":\"object\",\"properties\":{" /* truncated */
#elif defined(BAD_SCHEMA_NOT_OBJECT)
#define INPUT_SCHEMA "[\"type\",\"object\"]" /* JSON, but an array */
#else
#define INPUT_SCHEMA "{\"type\":\"object\",\"properties\":{}}"
#endif

static mcph_status bad_init(const mcph_host_api* host, const char* settings_json,
                            void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    *plugin_state = (void*)host;
#if defined(BAD_INIT_FAILS)
    if (err_size > 0) {
        static const char reason[] = "bad_init_fails refuses to start, on purpose";
        size_t n = sizeof(reason) - 1 < err_size - 1 ? sizeof(reason) - 1 : err_size - 1;
        memcpy(err, reason, n);
        err[n] = '\0';
    }
    return MCPH_ERR_FAILED;
#else
    (void)err;
    (void)err_size;
    return MCPH_OK;
#endif
}

static mcph_status bad_invoke(const mcph_call* call, mcph_result* result) {
#if defined(BAD_INVOKE_FAILS)
    (void)call;
    (void)result;
    return MCPH_ERR_FAILED; /* no text, no isError: the host must make the error result */
#else
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    return host->result_add_text(result, "ok", 2);
#endif
}

static const mcph_tool k_tools[] = {{
    .struct_size = sizeof(mcph_tool),
    .name = TOOL_NAME,
    .description = "A tool of a test plugin that is wrong on purpose.",
    .input_schema_json = INPUT_SCHEMA,
    .invoke = bad_invoke,
}};

static const mcph_plugin k_plugin = {
    .magic = MAGIC,
    .struct_size = PLUGIN_STRUCT_SIZE,
    .abi_major = ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = NAME,
    .version = "0.0.0",
    .description = "A test plugin that is wrong on purpose.",
    .init = bad_init,
    .tools = k_tools,
    .tool_count = 1,
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
#if defined(BAD_NULL_ENTRY)
    return NULL;
#else
    return &k_plugin;
#endif
}

/* scoped.c: a test plugin whose tools require OAuth scopes, for the host's scope checks
 * (403 insufficient_scope, tools/list filtered per caller). */
#include <mcphost/plugin.h>

static const mcph_host_api* host_api;

static mcph_status scoped_init(const mcph_host_api* host, const char* settings_json, void** state, char* err,
                               size_t err_size) {
    (void)settings_json;
    (void)state;
    (void)err;
    (void)err_size;
    host_api = host;
    return MCPH_OK;
}

static mcph_status read_secret(const mcph_call* call, mcph_result* result) {
    (void)call;
    return host_api->result_add_text(result, "the secret", 10);
}

static const char* const read_scopes[] = {"secrets:read"};
static const char* const admin_scopes[] = {"secrets:read", "secrets:admin"};

static const mcph_tool tools[] = {
    {.struct_size = sizeof(mcph_tool), .name = "scoped_read", .description = "Needs secrets:read.",
     .required_scopes = read_scopes, .required_scope_count = 1, .invoke = read_secret},
    {.struct_size = sizeof(mcph_tool), .name = "scoped_admin", .description = "Needs secrets:read and secrets:admin.",
     .required_scopes = admin_scopes, .required_scope_count = 2, .invoke = read_secret},
};

static const mcph_plugin plugin = {
    .magic = MCPH_PLUGIN_MAGIC, .struct_size = sizeof(mcph_plugin), .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR, .name = "scoped", .version = "1.0.0", .init = scoped_init,
    .tools = tools, .tool_count = sizeof tools / sizeof tools[0],
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major, uint32_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == MCPH_ABI_MAJOR ? &plugin : NULL;
}

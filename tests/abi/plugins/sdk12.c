/*
 * sdk12: ABI 1.2 in use, from plain C (no JSON parser, no JSON escaping):
 *   sdk12_args            reads its arguments through the accessors and answers with
 *                         structured content built member by member
 *   sdk12_add {name}      adds a tool `name` at run time (answers "dynamic <name>")
 *   sdk12_remove {name}   removes it again
 *   sdk12_whoami          the 1.2 auth context fields: picture and the claims
 *   sdk12_input_required  returns MCPH_ERR_INPUT_REQUIRED without asking for anything
 */
#include <mcphost/plugin.h>
#include <string.h>

static const mcph_host_api* g_host;

static mcph_status args_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* h = g_host;
    const char* text = NULL;
    size_t text_len = 0;
    int64_t count = 0;
    double ratio = 0;
    int32_t flag = 0;
    const char* json = NULL;
    size_t json_len = 0;
    mcph_status s = h->arg_string(call, "text", &text, &text_len);
    if (s != MCPH_OK) {
        h->result_add_text(result, "text must be a string", 21);
        h->result_set_error(result, 1);
        return MCPH_OK;
    }
    h->structured_set_string(result, "/text", text, text_len);
    if (h->arg_int(call, "count", &count) == MCPH_OK) h->structured_set_int(result, "/count", count);
    if (h->arg_number(call, "ratio", &ratio) == MCPH_OK) {
        h->structured_set_number(result, "/ratio", ratio);
    }
    if (h->arg_bool(call, "flag", &flag) == MCPH_OK) h->structured_set_bool(result, "/flag", flag);
    if (h->arg_string(call, "/nested/a~1b", &text, &text_len) == MCPH_OK) {
        h->structured_set_string(result, "/seen/slashKey", text, text_len);
    }
    if (h->arg_string(call, "/tags/1", &text, &text_len) == MCPH_OK) {
        h->structured_set_string(result, "/seen/secondTag", text, text_len);
    }
    if (h->arg_json(call, "nested", &json, &json_len) == MCPH_OK) {
        h->structured_set_json(result, "/seen/nested", json, json_len);
    }
    /* What the getters say about a missing member and about the wrong type. */
    h->structured_set_int(result, "/codes/missing", h->arg_string(call, "missing", &text, NULL));
    h->structured_set_int(result, "/codes/textAsInt", h->arg_int(call, "text", &count));
    h->structured_set_int(result, "/codes/badPointer", h->arg_int(call, "/tags/x~2", &count));
    h->structured_set_int(result, "/types/missing", h->arg_type(call, "missing"));
    h->structured_set_int(result, "/types/tags", h->arg_type(call, "tags"));
    h->structured_set_int(result, "/types/whole", h->arg_type(call, ""));
    h->structured_set_string(result, "/list/-", "first", 5);
    h->structured_set_string(result, "/list/-", "second", 6);
    return h->result_add_text(result, "read", 4);
}

static mcph_status dynamic_invoke(const mcph_call* call, mcph_result* result) {
    char text[160] = "dynamic ";
    strncat(text, call->tool_name, sizeof text - strlen(text) - 1);
    return g_host->result_add_text(result, text, strlen(text));
}

static mcph_status name_argument(const mcph_call* call, mcph_result* result, char* name,
                                 size_t size) {
    const char* value = NULL;
    size_t len = 0;
    if (g_host->arg_string(call, "name", &value, &len) != MCPH_OK || len == 0 || len >= size) {
        g_host->result_add_text(result, "name must be a short string", 27);
        g_host->result_set_error(result, 1);
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    memcpy(name, value, len + 1);
    return MCPH_OK;
}

static mcph_status add_invoke(const mcph_call* call, mcph_result* result) {
    char name[129]; /* on the stack: the host copies the descriptor in add_tool */
    if (name_argument(call, result, name, sizeof name) != MCPH_OK) return MCPH_OK;
    mcph_tool tool;
    memset(&tool, 0, sizeof tool);
    tool.struct_size = sizeof tool;
    tool.name = name;
    tool.description = "Added at run time.";
    tool.invoke = dynamic_invoke;
    const mcph_status s = g_host->add_tool(g_host, &tool);
    g_host->structured_set_int(result, "/status", s);
    return MCPH_OK;
}

static mcph_status remove_invoke(const mcph_call* call, mcph_result* result) {
    char name[129];
    if (name_argument(call, result, name, sizeof name) != MCPH_OK) return MCPH_OK;
    g_host->structured_set_int(result, "/status", g_host->remove_tool(g_host, name));
    return MCPH_OK;
}

static mcph_status whoami_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_auth_context* auth = call->auth;
    if (!MCPH_HAS_FIELD(auth, mcph_auth_context, claims_len)) return MCPH_ERR_UNSUPPORTED;
    g_host->structured_set_string(result, "/userId", auth->user_id, strlen(auth->user_id));
    g_host->structured_set_string(result, "/email", auth->email, strlen(auth->email));
    g_host->structured_set_string(result, "/name", auth->name, strlen(auth->name));
    g_host->structured_set_string(result, "/picture", auth->picture, strlen(auth->picture));
    return g_host->structured_set_json(result, "/claims", auth->claims_json, auth->claims_len);
}

static mcph_status input_required_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    (void)result;
    return MCPH_ERR_INPUT_REQUIRED;
}

static mcph_status sdk12_init(const mcph_host_api* host, const char* settings_json,
                              void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    (void)plugin_state;
    if (host->abi_minor < 2) {
        strncpy(err, "needs a host with ABI 1.2", err_size - 1);
        return MCPH_ERR_UNSUPPORTED;
    }
    g_host = host;
    return MCPH_OK;
}

#define NAME_SCHEMA "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}"

static const mcph_tool k_tools[] = {
    {.struct_size = sizeof(mcph_tool), .name = "sdk12_args", .invoke = args_invoke},
    {.struct_size = sizeof(mcph_tool),
     .name = "sdk12_add",
     .input_schema_json = NAME_SCHEMA,
     .invoke = add_invoke},
    {.struct_size = sizeof(mcph_tool),
     .name = "sdk12_remove",
     .input_schema_json = NAME_SCHEMA,
     .invoke = remove_invoke},
    {.struct_size = sizeof(mcph_tool), .name = "sdk12_whoami", .invoke = whoami_invoke},
    {.struct_size = sizeof(mcph_tool),
     .name = "sdk12_input_required",
     .invoke = input_required_invoke},
};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "sdk12",
    .version = "1.2.0",
    .init = sdk12_init,
    .tools = k_tools,
    .tool_count = sizeof k_tools / sizeof k_tools[0],
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return &k_plugin;
}

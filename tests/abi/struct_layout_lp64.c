/*
 * The ABI 1.x struct layout on x86_64 LP64 (Linux, macOS), pinned. Compiled by the test
 * abi.struct_layout_lp64. A failure here means the binary interface changed: plugins built
 * before the change would be misread. Append new fields at the end and bump the minor instead.
 */
#include <mcphost/plugin.h>
#include <stddef.h>

#if defined(__x86_64__) && defined(__LP64__)

#define PIN_SIZE(type, size) _Static_assert(sizeof(type) == (size), "sizeof " #type)
#define PIN(type, field, offset) _Static_assert(offsetof(type, field) == (offset), #type "." #field)

PIN_SIZE(mcph_status, 4);
PIN_SIZE(mcph_log_level, 4);

PIN_SIZE(mcph_auth_context, 88); /* 64 up to 1.1 */
PIN(mcph_auth_context, struct_size, 0);
PIN(mcph_auth_context, authenticated, 4);
PIN(mcph_auth_context, user_id, 8);
PIN(mcph_auth_context, issuer, 16);
PIN(mcph_auth_context, email, 24);
PIN(mcph_auth_context, name, 32);
PIN(mcph_auth_context, client_id, 40);
PIN(mcph_auth_context, scopes, 48);
PIN(mcph_auth_context, scope_count, 56);
PIN(mcph_auth_context, picture, 64); /* 1.2 */
PIN(mcph_auth_context, claims_json, 72);
PIN(mcph_auth_context, claims_len, 80);

PIN(mcph_host_api, struct_size, 0);
PIN(mcph_host_api, abi_major, 4);
PIN(mcph_host_api, abi_minor, 8);
PIN(mcph_host_api, result_add_text, 16);
PIN(mcph_host_api, result_add_content_json, 24);
PIN(mcph_host_api, result_set_structured_json, 32);
PIN(mcph_host_api, result_set_error, 40);
PIN(mcph_host_api, log, 48);
/* 1.1 */
/* 96 up to 1.1 */
PIN(mcph_host_api, progress, 56);
PIN(mcph_host_api, client_log, 64);
PIN(mcph_host_api, is_cancelled, 72);
PIN(mcph_host_api, request_input, 80);
PIN(mcph_host_api, resource_updated, 88);
/* 1.2 */
PIN_SIZE(mcph_host_api, 200);
PIN(mcph_host_api, arg_type, 96);
PIN(mcph_host_api, arg_string, 104);
PIN(mcph_host_api, arg_int, 112);
PIN(mcph_host_api, arg_number, 120);
PIN(mcph_host_api, arg_bool, 128);
PIN(mcph_host_api, arg_json, 136);
PIN(mcph_host_api, structured_set_string, 144);
PIN(mcph_host_api, structured_set_int, 152);
PIN(mcph_host_api, structured_set_number, 160);
PIN(mcph_host_api, structured_set_bool, 168);
PIN(mcph_host_api, structured_set_json, 176);
PIN(mcph_host_api, add_tool, 184);
PIN(mcph_host_api, remove_tool, 192);

PIN_SIZE(mcph_call, 56);
PIN(mcph_call, struct_size, 0);
PIN(mcph_call, tool_name, 8);
PIN(mcph_call, arguments_json, 16);
PIN(mcph_call, arguments_len, 24);
PIN(mcph_call, auth, 32);
PIN(mcph_call, plugin_state, 40);
PIN(mcph_call, tool_data, 48);

PIN_SIZE(mcph_tool_annotations, 32);
PIN(mcph_tool_annotations, struct_size, 0);
PIN(mcph_tool_annotations, title, 8);
PIN(mcph_tool_annotations, read_only_hint, 16);
PIN(mcph_tool_annotations, destructive_hint, 20);
PIN(mcph_tool_annotations, idempotent_hint, 24);
PIN(mcph_tool_annotations, open_world_hint, 28);

PIN_SIZE(mcph_tool, 96);
PIN(mcph_tool, struct_size, 0);
PIN(mcph_tool, name, 8);
PIN(mcph_tool, title, 16);
PIN(mcph_tool, description, 24);
PIN(mcph_tool, input_schema_json, 32);
PIN(mcph_tool, output_schema_json, 40);
PIN(mcph_tool, annotations, 48);
PIN(mcph_tool, required_scopes, 56);
PIN(mcph_tool, required_scope_count, 64);
PIN(mcph_tool, invoke, 72);
PIN(mcph_tool, tool_data, 80);
PIN(mcph_tool, call_timeout_seconds, 88); /* 1.2 */

PIN(mcph_plugin, magic, 0);
PIN(mcph_plugin, struct_size, 4);
PIN(mcph_plugin, abi_major, 8);
PIN(mcph_plugin, abi_minor, 12);
PIN(mcph_plugin, name, 16);
PIN(mcph_plugin, version, 24);
PIN(mcph_plugin, description, 32);
PIN(mcph_plugin, flags, 40);
PIN(mcph_plugin, init, 48);
PIN(mcph_plugin, shutdown, 56);
PIN(mcph_plugin, tools, 64);
PIN(mcph_plugin, tool_count, 72);
/* 1.1 */
PIN_SIZE(mcph_plugin, 136);
PIN(mcph_plugin, resources, 80);
PIN(mcph_plugin, resource_count, 88);
PIN(mcph_plugin, resource_templates, 96);
PIN(mcph_plugin, resource_template_count, 104);
PIN(mcph_plugin, prompts, 112);
PIN(mcph_plugin, prompt_count, 120);
PIN(mcph_plugin, complete, 128);

/* 1.1 structs */
PIN_SIZE(mcph_resource, 64);
PIN(mcph_resource, struct_size, 0);
PIN(mcph_resource, uri, 8);
PIN(mcph_resource, name, 16);
PIN(mcph_resource, title, 24);
PIN(mcph_resource, description, 32);
PIN(mcph_resource, mime_type, 40);
PIN(mcph_resource, read, 48);
PIN(mcph_resource, data, 56);
PIN_SIZE(mcph_resource_template, 64);
PIN(mcph_resource_template, struct_size, 0);
PIN(mcph_resource_template, uri_template, 8);
PIN(mcph_resource_template, name, 16);
PIN(mcph_resource_template, title, 24);
PIN(mcph_resource_template, description, 32);
PIN(mcph_resource_template, mime_type, 40);
PIN(mcph_resource_template, read, 48);
PIN(mcph_resource_template, data, 56);
PIN_SIZE(mcph_prompt_argument, 32);
PIN(mcph_prompt_argument, struct_size, 0);
PIN(mcph_prompt_argument, name, 8);
PIN(mcph_prompt_argument, description, 16);
PIN(mcph_prompt_argument, required, 24);
PIN_SIZE(mcph_prompt, 64);
PIN(mcph_prompt, struct_size, 0);
PIN(mcph_prompt, name, 8);
PIN(mcph_prompt, title, 16);
PIN(mcph_prompt, description, 24);
PIN(mcph_prompt, arguments, 32);
PIN(mcph_prompt, argument_count, 40);
PIN(mcph_prompt, get, 48);
PIN(mcph_prompt, data, 56);

/* The values that cross as numbers. */
_Static_assert(MCPH_PLUGIN_MAGIC == 0x4850434Du, "magic");
_Static_assert(MCPH_OK == 0 && MCPH_ERR_INVALID_ARGUMENT == 1 && MCPH_ERR_FAILED == 2 &&
                   MCPH_ERR_UNSUPPORTED == 3 && MCPH_ERR_NO_MEMORY == 4 &&
                   MCPH_ERR_TOO_LARGE == 5 && MCPH_ERR_CANCELLED == 6 &&
                   MCPH_ERR_INPUT_REQUIRED == 7 && MCPH_ERR_NOT_FOUND == 8 &&
                   MCPH_ERR_WRONG_TYPE == 9,
               "status codes");
_Static_assert(MCPH_LOG_DEBUG == 0 && MCPH_LOG_INFO == 1 && MCPH_LOG_WARNING == 2 &&
                   MCPH_LOG_ERROR == 3,
               "log levels");
_Static_assert(MCPH_JSON_ABSENT == 0 && MCPH_JSON_NULL == 1 && MCPH_JSON_BOOL == 2 &&
                   MCPH_JSON_NUMBER == 3 && MCPH_JSON_STRING == 4 && MCPH_JSON_ARRAY == 5 &&
                   MCPH_JSON_OBJECT == 6,
               "JSON types");
_Static_assert(MCPH_HINT_UNSET == 0 && MCPH_HINT_TRUE == 1 && MCPH_HINT_FALSE == 2, "hints");
_Static_assert(MCPH_PLUGIN_SERIALIZED == 0x1u, "flags");

#else
#error "layout pinned for x86_64 LP64 only; the test is not registered on other targets"
#endif

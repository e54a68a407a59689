/*
 * hot: a test plugin for replacing plugins while the host runs, built twice from this file with
 * HOT_VERSION 1 and 2 (test-plugins/hot-v1/hot.so, test-plugins/hot-v2/hot.so) so a test can
 * tell which version answered. Both versions are the plugin "hot" with the same tools:
 *   hot_version    {}: "hot v<N>".
 *   hot_wait       {"until": path}: waits until the file `path` exists (or the call is
 *                  cancelled, or 60 s passed), then answers "hot v<N> waited". A call a test
 *                  holds in flight while it replaces the plugin.
 *   hot_in_flight  {}: structured {"inFlight": n}, the hot_wait calls of this version running
 *                  now, so a test waits until its call is inside instead of sleeping.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep; NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <errno.h>
#include <mcphost/plugin.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef HOT_VERSION
#error "build with HOT_VERSION=1 or 2"
#endif
#define HOT_STR2(x) #x
#define HOT_STR(x) HOT_STR2(x)
#define HOT_NAME "hot v" HOT_STR(HOT_VERSION)

#define POLL_MS 5
#define MAX_WAIT_MS 60000

static atomic_int g_in_flight = 0;

static mcph_status tool_error(const mcph_host_api* host, mcph_result* result, const char* message) {
    mcph_status status = host->result_add_text(result, message, strlen(message));
    return status != MCPH_OK ? status : host->result_set_error(result, 1);
}

static void sleep_ms(long ms) {
    struct timespec left;
    left.tv_sec = ms / 1000;
    left.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

static mcph_status version_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    return host->result_add_text(result, HOT_NAME, strlen(HOT_NAME));
}

static mcph_status wait_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    const char* until = NULL;
    if (host->arg_string(call, "until", &until, NULL) != MCPH_OK) {
        return tool_error(host, result, "argument \"until\" (a file path) is required");
    }
    atomic_fetch_add(&g_in_flight, 1);
    for (long waited = 0;
         waited < MAX_WAIT_MS && access(until, F_OK) != 0 && !host->is_cancelled(result);
         waited += POLL_MS) {
        sleep_ms(POLL_MS);
    }
    atomic_fetch_sub(&g_in_flight, 1);
    return host->result_add_text(result, HOT_NAME " waited", strlen(HOT_NAME " waited"));
}

static mcph_status in_flight_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    char json[64];
    int n = snprintf(json, sizeof(json), "{\"inFlight\":%d}", atomic_load(&g_in_flight));
    return host->result_set_structured_json(result, json, (size_t)n);
}

static mcph_status hot_init(const mcph_host_api* host, const char* settings_json,
                            void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    if (host->abi_minor < 2) {
        (void)snprintf(err, err_size, "needs host ABI 1.2 (argument accessors)");
        return MCPH_ERR_UNSUPPORTED;
    }
    *plugin_state = (void*)host;
    return MCPH_OK;
}

static const mcph_tool k_tools[] = {
    {
        .struct_size = sizeof(mcph_tool),
        .name = "hot_version",
        .description = "Which build of the hot test plugin answers.",
        .input_schema_json = "{\"type\":\"object\",\"properties\":{}}",
        .invoke = version_invoke,
    },
    {
        .struct_size = sizeof(mcph_tool),
        .name = "hot_wait",
        .description = "Waits until the file `until` exists, then answers. For tests.",
        .input_schema_json = "{\"type\":\"object\",\"properties\":{\"until\":{\"type\":"
                             "\"string\"}},\"required\":[\"until\"]}",
        .invoke = wait_invoke,
    },
    {
        .struct_size = sizeof(mcph_tool),
        .name = "hot_in_flight",
        .description = "How many hot_wait calls of this build are running now. For tests.",
        .input_schema_json = "{\"type\":\"object\",\"properties\":{}}",
        .invoke = in_flight_invoke,
    },
};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "hot",
    .version = HOT_STR(HOT_VERSION) ".0.0",
    .description = "A plugin built in two versions, for replacing plugins at run time.",
    .init = hot_init,
    .tools = k_tools,
    .tool_count = sizeof(k_tools) / sizeof(k_tools[0]),
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return &k_plugin;
}

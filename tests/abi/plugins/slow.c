/*
 * slow: a test plugin for graceful-shutdown and timeout tests. C11 for <stdatomic.h>.
 *   slow_sleep      {"ms": integer 0..600000}: sleeps that long, then answers "slept <ms> ms".
 *   slow_in_flight  {}: structured {"inFlight": n}, the number of slow_sleep calls running now,
 *                   so a test can wait until a call is in the plugin instead of sleeping.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep; NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <errno.h>
#include <mcphost/plugin.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json_field.h"

#define MAX_MS 600000

static atomic_int g_in_flight = 0;

static mcph_status tool_error(const mcph_host_api* host, mcph_result* result, const char* message) {
    mcph_status status = host->result_add_text(result, message, strlen(message));
    return status != MCPH_OK ? status : host->result_set_error(result, 1);
}

static void sleep_ms(int64_t ms) {
    struct timespec left;
    left.tv_sec = (time_t)(ms / 1000);
    left.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

static mcph_status sleep_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    char reply[64];
    int64_t ms = 0;
    json_field_status status = json_field_int(call->arguments_json, call->arguments_len, "ms", &ms);
    if (status == JSON_FIELD_MISSING) {
        return tool_error(host, result, "missing required argument \"ms\"");
    }
    if (status != JSON_FIELD_OK || ms < 0 || ms > MAX_MS) {
        return tool_error(host, result, "argument \"ms\" must be an integer from 0 to 600000");
    }
    atomic_fetch_add(&g_in_flight, 1);
    sleep_ms(ms);
    atomic_fetch_sub(&g_in_flight, 1);
    (void)snprintf(reply, sizeof(reply), "slept %ld ms", (long)ms);
    return host->result_add_text(result, reply, strlen(reply));
}

static mcph_status in_flight_invoke(const mcph_call* call, mcph_result* result) {
    const mcph_host_api* host = (const mcph_host_api*)call->plugin_state;
    char json[64];
    int n = snprintf(json, sizeof(json), "{\"inFlight\":%d}", atomic_load(&g_in_flight));
    return host->result_set_structured_json(result, json, (size_t)n);
}

static mcph_status slow_init(const mcph_host_api* host, const char* settings_json,
                             void** plugin_state, char* err, size_t err_size) {
    (void)settings_json;
    (void)err;
    (void)err_size;
    *plugin_state = (void*)host;
    return MCPH_OK;
}

static const mcph_tool_annotations k_read_only = {
    .struct_size = sizeof(mcph_tool_annotations),
    .read_only_hint = MCPH_HINT_TRUE,
    .destructive_hint = MCPH_HINT_FALSE,
    .idempotent_hint = MCPH_HINT_TRUE,
    .open_world_hint = MCPH_HINT_FALSE,
};

static const mcph_tool k_tools[] = {
    {
        .struct_size = sizeof(mcph_tool),
        .name = "slow_sleep",
        .description = "Sleeps for `ms` milliseconds, then answers. For tests.",
        .input_schema_json = "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\","
                             "\"minimum\":0,\"maximum\":600000}},\"required\":[\"ms\"]}",
        .annotations = &k_read_only,
        .invoke = sleep_invoke,
    },
    {
        .struct_size = sizeof(mcph_tool),
        .name = "slow_in_flight",
        .description = "How many slow_sleep calls are running right now. For tests.",
        .input_schema_json = "{\"type\":\"object\",\"properties\":{}}",
        .output_schema_json = "{\"type\":\"object\",\"properties\":{\"inFlight\":"
                              "{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"inFlight\"]}",
        .annotations = &k_read_only,
        .invoke = in_flight_invoke,
    },
};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = "slow",
    .version = "1.0.0",
    .description = "Tools that sleep and count sleepers, for tests.",
    .init = slow_init,
    .tools = k_tools,
    .tool_count = sizeof(k_tools) / sizeof(k_tools[0]),
};

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return &k_plugin;
}

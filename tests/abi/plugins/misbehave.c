/*
 * misbehave: a test plugin for isolation (plugins.isolation "process") and call timeouts. Built
 * twice (CMake): misbehave.so with tools "mb_*" and misbehave_local.so with "mbl_*", so one can
 * run isolated while the other runs in the host's process. TOOL(x) names a tool.
 *   _segfault  writes through a null pointer
 *   _abort     calls abort()
 *   _hang      never returns and ignores cancellation; once is_cancelled turns true it creates
 *              <markerDir>/<plugin name>.cancelled (settings {"markerDir": "..."}) and hangs on
 *   _hog       allocates and touches memory without bound; answers MCPH_ERR_NO_MEMORY when the
 *              allocator refuses (its descriptor sets its own timeout: 60 s)
 *   _talk      sends progress 1/2 and 2/2 and a client log message, then answers "talked"
 *   _pid       answers the process id it runs in
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep; NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <errno.h>
#include <fcntl.h>
#include <mcphost/plugin.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json_field.h"

#define TOOL(suffix) TOOL_PREFIX suffix

static const mcph_host_api* g_host;
static char g_marker_dir[1024];

static void sleep_ms(long ms) {
    struct timespec left;
    left.tv_sec = ms / 1000;
    left.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

static mcph_status text(mcph_result* result, const char* s) {
    return g_host->result_add_text(result, s, strlen(s));
}

static mcph_status segfault_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    (void)result;
    volatile int* nothing = NULL;
    *nothing = 1;
    return MCPH_OK;
}

static mcph_status abort_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    (void)result;
    abort();
}

static mcph_status hang_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    int marked = 0;
    for (;;) {
        if (!marked && g_host->is_cancelled(result) && g_marker_dir[0]) {
            char path[1200];
            (void)snprintf(path, sizeof path, "%s/%s.cancelled", g_marker_dir, PLUGIN_NAME);
            int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (fd >= 0) close(fd);
            marked = 1;
        }
        sleep_ms(20);
    }
    return MCPH_ERR_FAILED; /* never reached */
}

static mcph_status hog_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    (void)result;
    for (;;) {
        const size_t chunk = (size_t)16 << 20;
        char* block = malloc(chunk);
        if (!block) return MCPH_ERR_NO_MEMORY; /* what it held stays held: the worker is spent */
        memset(block, 1, chunk);
    }
}

static mcph_status talk_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    g_host->progress(result, 1, 2, "half way");
    static const char k_data[] = "\"talking from " PLUGIN_NAME "\"";
    g_host->client_log(result, "info", PLUGIN_NAME, k_data, sizeof k_data - 1);
    g_host->progress(result, 2, 2, "done");
    return text(result, "talked");
}

static mcph_status pid_invoke(const mcph_call* call, mcph_result* result) {
    (void)call;
    char reply[32];
    (void)snprintf(reply, sizeof reply, "%ld", (long)getpid());
    return text(result, reply);
}

static mcph_status misbehave_init(const mcph_host_api* host, const char* settings_json,
                                  void** plugin_state, char* err, size_t err_size) {
    (void)plugin_state;
    (void)err;
    (void)err_size;
    g_host = host;
    char* dir = NULL;
    size_t dir_len = 0;
    if (json_field_string(settings_json, strlen(settings_json), "markerDir", &dir, &dir_len) ==
        JSON_FIELD_OK) {
        (void)snprintf(g_marker_dir, sizeof g_marker_dir, "%s", dir);
        free(dir);
    }
    return MCPH_OK;
}

#define SIMPLE_TOOL(name_, fn_) \
    { .struct_size = sizeof(mcph_tool), .name = name_, .invoke = fn_ }

static const mcph_tool k_tools[] = {
    SIMPLE_TOOL(TOOL("_segfault"), segfault_invoke),
    SIMPLE_TOOL(TOOL("_abort"), abort_invoke),
    SIMPLE_TOOL(TOOL("_hang"), hang_invoke),
    /* Filling 256 MiB can take longer than the tests' 1 s on a busy machine: the descriptor's
     * own timeout (ABI 1.2) replaces the host's for this tool. */
    {.struct_size = sizeof(mcph_tool),
     .name = TOOL("_hog"),
     .invoke = hog_invoke,
     .call_timeout_seconds = 60},
    SIMPLE_TOOL(TOOL("_talk"), talk_invoke),
    SIMPLE_TOOL(TOOL("_pid"), pid_invoke),
};

static const mcph_plugin k_plugin = {
    .magic = MCPH_PLUGIN_MAGIC,
    .struct_size = sizeof(mcph_plugin),
    .abi_major = MCPH_ABI_MAJOR,
    .abi_minor = MCPH_ABI_MINOR,
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "Crashes, aborts, hangs and hogs memory on request. For isolation tests.",
    .init = misbehave_init,
    .tools = k_tools,
    .tool_count = sizeof k_tools / sizeof k_tools[0],
};

const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major, uint32_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == MCPH_ABI_MAJOR ? &k_plugin : NULL;
}

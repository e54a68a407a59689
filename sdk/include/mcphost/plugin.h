/*
 * mcphost/plugin.h: the mcp-host plugin ABI, major version 1.
 *
 * The single source of truth for what crosses between the host and a tool plugin. C99, no
 * dependencies beyond <stddef.h> and <stdint.h>. Read sdk/ABI.md for the rules in prose.
 *
 * Version history (minors only append; a plugin built against 1.N loads on any host >= 1.N,
 * and on older 1.x hosts as long as it checks host->abi_minor before using newer entries; the
 * full list, entry by entry, is "Version history" in sdk/ABI.md):
 *   1.0  entry point mcph_plugin_entry_v1, plugin and tool descriptors, auth context,
 *        result setters, logging.
 *   1.1  resources, resource templates, prompts and completions (appended to mcph_plugin);
 *        in-call services on mcph_host_api: progress, client log messages, cancellation,
 *        asking the client for input (sampling, elicitation, roots); resource update
 *        notifications (resource_updated); MCPH_ERR_INPUT_REQUIRED, MCPH_ERR_NOT_FOUND.
 *   1.2  argument accessors (arg_type, arg_string, arg_int, arg_number, arg_bool, arg_json: a
 *        C plugin reads its arguments without a JSON parser, by name or JSON Pointer);
 *        structured content builders (structured_set_*); add_tool / remove_tool change the
 *        plugin's own tools at run time (clients get notifications/tools/list_changed);
 *        `picture` and `claims_json` appended to mcph_auth_context; MCPH_ERR_WRONG_TYPE;
 *        MCPH_HAS_FIELD.
 *
 * OWNERSHIP, the one rule: every pointer that crosses is BORROWED for the duration of the call
 * that carries it. The receiver copies what it wants to keep. Nothing is ever freed across the
 * boundary. The one exception is the mcph_plugin struct: owned by the plugin, it must stay
 * valid from the moment the entry function returns it until `shutdown` returns (static storage
 * is the usual choice). The tool, resource, template and prompt descriptors it points to, and
 * every string in them, need only be valid when `init` returns: the host copies them then and
 * keeps no pointer into them (it keeps only their function pointers and data values).
 *
 * ERRORS: every function returns a status code. No exception, longjmp or signal may cross.
 *
 * STRINGS: UTF-8, NUL-terminated unless a length is passed beside them.
 */
#ifndef MCPHOST_PLUGIN_H
#define MCPHOST_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MCPH_ABI_MAJOR 1
#define MCPH_ABI_MINOR 2

/* True when `ptr` (a struct with struct_size first) was built with `field`: use it before
 * reading a field a later minor appended, e.g. MCPH_HAS_FIELD(call->auth, mcph_auth_context,
 * picture). */
#define MCPH_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((const type*)0)->field))

/* Magic at the start of the plugin descriptor: "MCPH" as a little-endian uint32. */
#define MCPH_PLUGIN_MAGIC 0x4850434Du

/* Export macro for the entry symbol. Build plugins with -fvisibility=hidden so that this is
 * the only symbol a plugin exports. */
#if defined(_WIN32)
#define MCPH_EXPORT __declspec(dllexport)
#else
#define MCPH_EXPORT __attribute__((visibility("default")))
#endif

/* The name of the entry function, with the ABI major in it: a plugin of another major is
 * simply not found, never misread. */
#define MCPH_ENTRY_SYMBOL "mcph_plugin_entry_v1"

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef enum mcph_status {
    MCPH_OK = 0,
    MCPH_ERR_INVALID_ARGUMENT = 1, /* the caller passed something malformed */
    MCPH_ERR_FAILED = 2,           /* the operation failed; see the message or result text */
    MCPH_ERR_UNSUPPORTED = 3,      /* not implemented by this side or this version */
    MCPH_ERR_NO_MEMORY = 4,
    MCPH_ERR_TOO_LARGE = 5,        /* a result would exceed the host's configured limit */
    MCPH_ERR_CANCELLED = 6,        /* the call was cancelled by the client */
    /* 1.1: request_input could not be answered within this call (2026-07-28 clients answer
     * by retrying the whole request). Return it from invoke unchanged; the host asks the
     * client and calls you again with the answer. */
    MCPH_ERR_INPUT_REQUIRED = 7,
    MCPH_ERR_NOT_FOUND = 8,        /* 1.1: no such resource; 1.2: no such argument or tool */
    MCPH_ERR_WRONG_TYPE = 9        /* 1.2: the argument exists but has another JSON type */
} mcph_status;

typedef enum mcph_log_level {
    MCPH_LOG_DEBUG = 0,
    MCPH_LOG_INFO = 1,
    MCPH_LOG_WARNING = 2,
    MCPH_LOG_ERROR = 3
} mcph_log_level;

/* ------------------------------------------------------------------------------------------ */
/* Opaque handles owned by the host                                                           */
/* ------------------------------------------------------------------------------------------ */

/* The result being built for one tool call. Valid only during that call's invoke. Later minors
 * append host functions that take this handle for in-call services (progress, cancellation). */
typedef struct mcph_result mcph_result;

/* Defined below; declared here for the host API table (1.2). */
struct mcph_call;
struct mcph_tool;

/* ------------------------------------------------------------------------------------------ */
/* Auth context: who is calling                                                               */
/* ------------------------------------------------------------------------------------------ */

/* OWNERSHIP: borrowed for the duration of invoke. The plugin never sees the bearer token.
 * With auth provider "none" the context is anonymous: authenticated = 0, user_id =
 * "anonymous", issuer/email/name/client_id = "" and no scopes. Every string is non-NULL. */
typedef struct mcph_auth_context {
    uint32_t struct_size;      /* sizeof(mcph_auth_context) as the host built it */
    int32_t authenticated;     /* 1 if a verified token stands behind this context, else 0 */
    const char* user_id;       /* the subject (`sub`): unique within `issuer` */
    const char* issuer;        /* who vouched for user_id; key per-user data on (issuer, user_id) */
    const char* email;         /* "" when unknown */
    const char* name;          /* "" when unknown */
    const char* client_id;     /* the OAuth client the user signed in with; "" when unknown */
    const char* const* scopes; /* granted scopes; scope_count entries */
    size_t scope_count;

    /* ---- 1.2 (check MCPH_HAS_FIELD(auth, mcph_auth_context, claims_len) first) ---- */
    const char* picture;       /* URL of the user's picture; "" when unknown */
    /* The verified token's claims (or the introspection answer) as a JSON object, "{}" when
     * there are none (anonymous). Never the token itself. For roles, groups, organisation. */
    const char* claims_json;
    size_t claims_len;
} mcph_auth_context;

/* ------------------------------------------------------------------------------------------ */
/* The host API: a table the host hands to the plugin at init                                 */
/* ------------------------------------------------------------------------------------------ */

/* OWNERSHIP: the table is owned by the host and stays valid until shutdown returns. Entries
 * are only ever appended; check struct_size (or abi_minor) before using one added after 1.0. */
typedef struct mcph_host_api {
    uint32_t struct_size;
    uint32_t abi_major; /* MCPH_ABI_MAJOR of the host */
    uint32_t abi_minor; /* the newest minor the host implements */

    /* Append one text content block to the result. The host copies `text` (`len` bytes). */
    mcph_status (*result_add_text)(mcph_result* result, const char* text, size_t len);

    /* Append one content block given as a JSON object (image, audio, resource_link, ...).
     * The host parses and copies it; a non-object is MCPH_ERR_INVALID_ARGUMENT. */
    mcph_status (*result_add_content_json)(mcph_result* result, const char* json, size_t len);

    /* Set the structured content (a JSON object). Replaces any earlier value. A tool with an
     * output schema must set it (the host answers with a tool error otherwise); the value must
     * match that schema. If no text block was added, the host adds the JSON text as one, for
     * clients that only read text. */
    mcph_status (*result_set_structured_json)(mcph_result* result, const char* json, size_t len);

    /* Mark the result as a tool error (isError: true): the model sees it and may retry. */
    mcph_status (*result_set_error)(mcph_result* result, int32_t is_error);

    /* Write a line to the host's log under the plugin's name (the host hands every plugin its
     * own table, so pass the table you were given as `self`). Never log secrets or tokens. */
    void (*log)(const struct mcph_host_api* self, mcph_log_level level, const char* message);

    /* ---- 1.1: services during a call (tools, resource reads, prompts, completions). ---- */
    /* Each takes the call's `result` handle and is valid only during that call, from the
     * thread that runs it. Check abi_minor >= 1 (or struct_size) before using them. */

    /* Report progress to the client when it asked for it (a progressToken); otherwise a
     * no-op returning MCPH_OK. `progress` must increase from call to call; `total` < 0 means
     * unknown; `message` may be NULL. */
    mcph_status (*progress)(mcph_result* result, double progress, double total, const char* message);

    /* Send a log message to the client (notifications/message). `level` is an MCP level:
     * "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"; the
     * host drops messages below the level the client set. `data_json` is any JSON value
     * (a JSON string for plain text). Never send secrets or tokens. */
    mcph_status (*client_log)(mcph_result* result, const char* level, const char* logger,
                              const char* data_json, size_t data_len);

    /* 1 once the client has cancelled this call (or gone away), else 0. Long-running work
     * should poll it and return MCPH_ERR_CANCELLED. */
    int32_t (*is_cancelled)(mcph_result* result);

    /* Ask the client for input and wait for the answer. `key` names this request among the
     * call's requests (1-64 chars of [A-Za-z0-9_.-]; on 2026-07-28 it is the key of
     * inputRequests / inputResponses). `method` is "sampling/createMessage",
     * "elicitation/create" or "roots/list"; `params_json` its params object. On MCPH_OK
     * `*answer_json` / `*answer_len` is the client's result object (JSON text), owned by the
     * host and valid until this call returns.
     *   MCPH_ERR_UNSUPPORTED: the client did not declare that capability (ask something else).
     *   MCPH_ERR_FAILED: the client answered with an error (its error object in *answer_json).
     *   MCPH_ERR_CANCELLED: the call was cancelled while waiting.
     *   MCPH_ERR_INPUT_REQUIRED (2026-07-28): not answered yet. Ask for any other input you
     *     need (all requests of one round go out together), then return MCPH_ERR_INPUT_REQUIRED
     *     from invoke. The client answers and the host calls you again from the start; every
     *     request made with the same key is then answered at once, the answers of earlier
     *     rounds included (the host carries them in an integrity-protected requestState).
     * Stateful revisions send the request to the client on the call's SSE stream and block. */
    mcph_status (*request_input)(mcph_result* result, const char* key, const char* method,
                                 const char* params_json, size_t params_len,
                                 const char** answer_json, size_t* answer_len);

    /* Tell subscribed clients that a resource changed (notifications/resources/updated).
     * Callable at any time from any thread after init returned; pass the table you were given. */
    mcph_status (*resource_updated)(const struct mcph_host_api* self, const char* uri);

    /* ---- 1.2: arguments without a JSON parser (check abi_minor >= 2 first) ---- */
    /* Each reads the arguments of `call` (the one the host handed to this invoke, read or get;
     * valid during it). `path` is a top-level member name ("text"), or an RFC 6901 JSON
     * Pointer when it starts with '/' ("/options/limit", "/items/0"; "~1" is '/', "~0" is
     * '~'); "" is the whole arguments object. A name that itself starts with '/' needs the
     * pointer form ("/~1name"). Every getter returns MCPH_ERR_NOT_FOUND when nothing is
     * there, MCPH_ERR_WRONG_TYPE when the value has another type (its output then untouched),
     * MCPH_ERR_INVALID_ARGUMENT for a malformed path or NULL output pointer. */

    /* The JSON type at `path` (MCPH_JSON_*); MCPH_JSON_ABSENT (0) when there is none. */
    int32_t (*arg_type)(const struct mcph_call* call, const char* path);
    /* A string, NUL-terminated (`len` without the NUL, may be NULL), owned by the host and
     * valid until the call returns. A string holding NUL bytes is returned whole through len. */
    mcph_status (*arg_string)(const struct mcph_call* call, const char* path, const char** value,
                              size_t* len);
    /* An integer: a JSON number without a fractional part within int64 range (else
     * MCPH_ERR_WRONG_TYPE). */
    mcph_status (*arg_int)(const struct mcph_call* call, const char* path, int64_t* value);
    /* Any JSON number. */
    mcph_status (*arg_number)(const struct mcph_call* call, const char* path, double* value);
    /* true or false, as 1 or 0. */
    mcph_status (*arg_bool)(const struct mcph_call* call, const char* path, int32_t* value);
    /* Any value (object, array, string, ...) as compact JSON text, NUL-terminated, owned by
     * the host and valid until the call returns. */
    mcph_status (*arg_json)(const struct mcph_call* call, const char* path, const char** json,
                            size_t* len);

    /* ---- 1.2: building structured content (check abi_minor >= 2 first) ---- */
    /* Each sets one member of the result's structured content, creating it as an empty object
     * first and any missing parent objects on the way. `path` as above ("" is refused: use
     * result_set_structured_json for the whole value); the last token "-" appends to an
     * array (created when absent). Setting a member under a non-object, or an array index
     * that does not exist, is MCPH_ERR_INVALID_ARGUMENT. Values are copied; the size limit
     * applies (MCPH_ERR_TOO_LARGE). */
    mcph_status (*structured_set_string)(mcph_result* result, const char* path, const char* value,
                                         size_t len);
    mcph_status (*structured_set_int)(mcph_result* result, const char* path, int64_t value);
    mcph_status (*structured_set_number)(mcph_result* result, const char* path, double value);
    mcph_status (*structured_set_bool)(mcph_result* result, const char* path, int32_t value);
    /* Any JSON value given as text (an object, an array, "null", a quoted string, ...). */
    mcph_status (*structured_set_json)(mcph_result* result, const char* path, const char* json,
                                       size_t len);

    /* ---- 1.2: changing the plugin's own tools at run time (check abi_minor >= 2 first) ---- */
    /* Callable from any thread once init has returned (MCPH_ERR_UNSUPPORTED before, and while
     * the host cannot take changes), also from inside invoke; pass the table you were given.
     * Each change reaches clients as notifications/tools/list_changed. Calls already running
     * finish with the tool they started with; new calls see the change at once. */

    /* Adds a tool, or replaces this plugin's tool of the same name. The descriptor is
     * validated and copied as at load (its strings need only live during this call); its
     * `invoke` and `tool_data` are kept until the tool is removed or the plugin unloaded.
     * MCPH_ERR_INVALID_ARGUMENT: the descriptor is invalid or another plugin serves that name
     * (the host logs why). */
    mcph_status (*add_tool)(const struct mcph_host_api* self, const struct mcph_tool* tool);
    /* Removes this plugin's tool `name`; MCPH_ERR_NOT_FOUND when it serves none by that name. */
    mcph_status (*remove_tool)(const struct mcph_host_api* self, const char* name);
} mcph_host_api;

/* 1.2: what arg_type returns. */
#define MCPH_JSON_ABSENT 0
#define MCPH_JSON_NULL 1
#define MCPH_JSON_BOOL 2
#define MCPH_JSON_NUMBER 3
#define MCPH_JSON_STRING 4
#define MCPH_JSON_ARRAY 5
#define MCPH_JSON_OBJECT 6

/* ------------------------------------------------------------------------------------------ */
/* Tools                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* One call of a tool. OWNERSHIP: everything here is borrowed for the duration of invoke. */
typedef struct mcph_call {
    uint32_t struct_size;
    const char* tool_name;
    const char* arguments_json; /* always a JSON object ("{}" when the client sent none) */
    size_t arguments_len;
    const mcph_auth_context* auth;
    void* plugin_state;         /* what init stored in *plugin_state */
    void* tool_data;            /* the tool descriptor's tool_data */
} mcph_call;
/* 1.1: the same mcph_call and mcph_result carry resource reads, prompt gets and completions:
 * tool_name is then the resource's or prompt's name, arguments_json as described at each. */

/* Run the tool. Fill `result` through the host API. Return MCPH_OK when the call ran (even if
 * the result is marked as a tool error); any other status makes the host answer with an
 * isError result that names the failure. Must not throw. May run concurrently with itself and
 * other tools of the same plugin unless the plugin sets MCPH_PLUGIN_SERIALIZED. */
typedef mcph_status (*mcph_invoke_fn)(const mcph_call* call, mcph_result* result);

/* Tool annotations (hints to clients; never trusted for security). Tri-state booleans. */
/* Zero is "not stated", so a hint left out of an initializer never claims anything (a
 * destructiveHint silently read as false would tell clients a tool is safe). */
#define MCPH_HINT_UNSET 0
#define MCPH_HINT_TRUE 1
#define MCPH_HINT_FALSE 2

typedef struct mcph_tool_annotations {
    uint32_t struct_size;
    const char* title;          /* NULL: none */
    int32_t read_only_hint;     /* MCPH_HINT_* */
    int32_t destructive_hint;
    int32_t idempotent_hint;
    int32_t open_world_hint;
} mcph_tool_annotations;

/* OWNERSHIP: owned by the plugin; read and copied when init returns (see the top). */
typedef struct mcph_tool {
    uint32_t struct_size;
    const char* name;               /* 1-128 chars of [A-Za-z0-9_.-]; unique across the host */
    const char* title;              /* NULL: none */
    const char* description;        /* NULL: none */
    const char* input_schema_json;  /* a JSON Schema object with "type":"object"; NULL = {} */
    const char* output_schema_json; /* NULL: no structured output promised */
    const mcph_tool_annotations* annotations; /* NULL: none */
    const char* const* required_scopes;       /* the caller must hold all of these */
    size_t required_scope_count;
    mcph_invoke_fn invoke;
    void* tool_data; /* handed back in mcph_call.tool_data */

    /* ---- 1.2 (read only when struct_size covers it) ---- */
    /* How long one call may run before the host cancels it (is_cancelled turns 1) and, after a
     * grace period, answers it with a timeout error (an isolated plugin's worker is killed).
     * 0: the host's setting (plugins.callTimeoutSeconds); replaces that setting otherwise. */
    double call_timeout_seconds;
} mcph_tool;

/* ------------------------------------------------------------------------------------------ */
/* 1.1: resources, resource templates, prompts, completions                                    */
/* ------------------------------------------------------------------------------------------ */

/* Reading a resource: invoke gets arguments_json = {"uri": "<the URI asked for>"} for a fixed
 * resource, plus "variables": {"name": "value", ...} for a template match. Fill the result with
 * result_add_text (a text content of the resource's mime type for that URI) or
 * result_add_content_json ({"uri", "mimeType", "text"} or {"uri", "mimeType", "blob": base64}).
 * Return MCPH_ERR_NOT_FOUND when a template match names nothing that exists. */
typedef struct mcph_resource {
    uint32_t struct_size;
    const char* uri;         /* absolute URI, unique across the host */
    const char* name;        /* required */
    const char* title;       /* NULL: none */
    const char* description; /* NULL: none */
    const char* mime_type;   /* NULL: none */
    mcph_invoke_fn read;
    void* data;              /* handed back in mcph_call.tool_data */
} mcph_resource;

/* A family of resources named by an RFC 6570 level-1 template ("test://item/{id}"): the host
 * matches resources/read URIs against it and passes the variables. */
typedef struct mcph_resource_template {
    uint32_t struct_size;
    const char* uri_template;
    const char* name;
    const char* title;
    const char* description;
    const char* mime_type;
    mcph_invoke_fn read;
    void* data;
} mcph_resource_template;

typedef struct mcph_prompt_argument {
    uint32_t struct_size;
    const char* name;
    const char* description; /* NULL: none */
    int32_t required;        /* 1: the client must pass it */
} mcph_prompt_argument;

/* Getting a prompt: invoke gets arguments_json = the client's arguments object (strings). Fill
 * the result with result_add_text (a "user" text message) or result_add_content_json (a whole
 * PromptMessage: {"role": "user"|"assistant", "content": {...}}). A missing required argument
 * is refused by the host before invoke. */
typedef struct mcph_prompt {
    uint32_t struct_size;
    const char* name;
    const char* title;
    const char* description;
    const mcph_prompt_argument* arguments;
    size_t argument_count;
    mcph_invoke_fn get;
    void* data;
} mcph_prompt;

/* completion/complete: arguments_json = the request's params ({"ref", "argument", "context"});
 * tool_name is the prompt name or the resource template. Answer with
 * result_set_structured_json({"values": [...], "total": n, "hasMore": false}); return
 * MCPH_ERR_UNSUPPORTED for a ref you do not complete (the host answers with no values). */

/* ------------------------------------------------------------------------------------------ */
/* The plugin descriptor                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* invoke calls of this plugin are serialized by the host (one at a time). */
#define MCPH_PLUGIN_SERIALIZED 0x1u

/* Called once after loading. `settings_json` is the plugin's object from the host config
 * (plugins.settings.<name>), "{}" when absent. On failure return non-OK and write a short
 * reason into err (at most err_size bytes including the NUL): the host logs it and skips the
 * plugin. `*plugin_state` is handed back in every call. */
typedef mcph_status (*mcph_init_fn)(const mcph_host_api* host, const char* settings_json,
                                    void** plugin_state, char* err, size_t err_size);

/* Called once before unloading, after the last invoke has returned. */
typedef void (*mcph_shutdown_fn)(void* plugin_state);

/* OWNERSHIP: owned by the plugin; valid until shutdown returns (static storage). `tools`,
 * `tool_count` and the 1.1 arrays are read once, when init returns (so init may fill them from
 * settings). */
typedef struct mcph_plugin {
    uint32_t magic;       /* MCPH_PLUGIN_MAGIC */
    uint32_t struct_size; /* sizeof(mcph_plugin) as the plugin was built */
    uint32_t abi_major;   /* MCPH_ABI_MAJOR the plugin was built against */
    uint32_t abi_minor;   /* MCPH_ABI_MINOR the plugin was built against */
    const char* name;     /* [a-z0-9_-]{1,64}: the key of plugins.settings and in logs */
    const char* version;  /* free-form, e.g. "1.2.0" */
    const char* description;
    uint32_t flags;       /* MCPH_PLUGIN_* */
    mcph_init_fn init;         /* NULL: nothing to initialize */
    mcph_shutdown_fn shutdown; /* NULL: nothing to release */
    const mcph_tool* tools;
    size_t tool_count;

    /* ---- 1.1 (read only when struct_size covers them; zero/NULL: none) ---- */
    const mcph_resource* resources;
    size_t resource_count;
    const mcph_resource_template* resource_templates;
    size_t resource_template_count;
    const mcph_prompt* prompts;
    size_t prompt_count;
    mcph_invoke_fn complete; /* completion/complete for this plugin's prompts and templates */
} mcph_plugin;

/* The one symbol a plugin exports. The host passes the newest minor it implements; the plugin
 * returns its descriptor (or NULL to refuse, e.g. when the host is older than it needs). Must
 * be cheap and free of side effects: the real work belongs in init. */
typedef const mcph_plugin* (*mcph_plugin_entry_fn)(uint32_t host_abi_major,
                                                   uint32_t host_abi_minor);

/* The plugin defines this, exactly once. Declared here so that the compiler checks the
 * definition against the signature above and gives it C linkage and default visibility even
 * in a C++ file that forgets extern "C". The host never links it: it looks it up by name. */
MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCPHOST_PLUGIN_H */

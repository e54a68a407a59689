#include "pluginhost/DescriptorValidator.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

namespace mcph::pluginhost {
namespace {

constexpr std::size_t kMaxSchemaBytes = 256 * 1024;
constexpr std::size_t kMaxDescriptionBytes = 64 * 1024;
constexpr std::size_t kMaxScopes = 64;

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }


// Parses a schema given as JSON text; a string is the reason it is not a usable schema.
std::variant<Poco::JSON::Object::Ptr, std::string> parseSchema(const char* json, const char* what) {
    auto text = boundedString(json, kMaxSchemaBytes);
    if (!text) return std::string(what) + " is longer than 256 KiB";
    Poco::Dynamic::Var v;
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the plugin's key order
        v = parser.parse(*text);
    } catch (const Poco::Exception& e) {
        return std::string(what) + " is not valid JSON (" + e.message() + ")";
    }
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return std::string(what) + " is not a JSON object";
    auto schema = v.extract<Poco::JSON::Object::Ptr>();
    // MCP requires tool schemas to describe an object (tools.mdx).
    if (!schema->has("type") || !schema->get("type").isString() || schema->getValue<std::string>("type") != "object") {
        return std::string(what) + " must have \"type\": \"object\"";
    }
    return schema;
}

void setHint(Poco::JSON::Object& obj, const char* key, int32_t hint) {
    if (hint == MCPH_HINT_TRUE) obj.set(key, true);
    if (hint == MCPH_HINT_FALSE) obj.set(key, false);
}

}  // namespace

std::optional<std::string> boundedString(const char* s, std::size_t max) {
    if (!s) return std::string();
    for (std::size_t i = 0; i <= max; ++i) {
        if (s[i] == '\0') return std::string(s, i);
    }
    return std::nullopt;
}

bool isValidToolName(std::string_view name) {
    if (name.empty() || name.size() > 128) return false;
    for (char c : name) {
        if (!isAlnum(c) && c != '_' && c != '-' && c != '.') return false;
    }
    return true;
}

bool isValidPluginName(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool isValidScopeToken(std::string_view scope) {
    if (scope.empty() || scope.size() > 256) return false;
    for (unsigned char c : scope) {
        // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        if (c < 0x21 || c > 0x7E || c == 0x22 || c == 0x5C) return false;
    }
    return true;
}

std::optional<std::string> checkPluginDescriptor(const mcph_plugin* p) {
    if (!p) return "the entry function returned no descriptor (the plugin refused this host)";
    if (p->magic != MCPH_PLUGIN_MAGIC) return "bad magic in the plugin descriptor: not an mcp-host plugin";
    if (p->abi_major != MCPH_ABI_MAJOR) {
        return "built for ABI major " + std::to_string(p->abi_major) + ", this host speaks " +
               std::to_string(MCPH_ABI_MAJOR);
    }
    if (p->struct_size < kPluginSizeV1_0) {
        return "plugin descriptor struct_size " + std::to_string(p->struct_size) + " is smaller than ABI 1.0's " +
               std::to_string(kPluginSizeV1_0);
    }
    auto name = boundedString(p->name, 64);
    if (!name || !isValidPluginName(*name)) return "plugin name must be 1-64 characters of [a-z0-9_-]";
    if (p->flags & ~static_cast<uint32_t>(MCPH_PLUGIN_SERIALIZED)) return "unknown flags set in the plugin descriptor";
    return std::nullopt;
}

const mcph_tool* toolAt(const mcph_plugin* plugin, std::size_t index) {
    const auto* base = reinterpret_cast<const char*>(plugin->tools);
    const std::size_t stride = plugin->tools[0].struct_size;
    return reinterpret_cast<const mcph_tool*>(base + index * stride);
}

std::variant<ToolSpec, std::string> readTool(const mcph_tool* t) {
    if (!t) return std::string("null tool descriptor");
    if (t->struct_size < kToolSizeV1_0) return "tool descriptor struct_size " + std::to_string(t->struct_size) + " is too small";
    auto name = boundedString(t->name, 128);
    if (!name || !isValidToolName(*name)) {
        return "invalid tool name \"" + (name ? *name : std::string("<unterminated>")) +
               "\": use 1-128 characters of [A-Za-z0-9_.-]";
    }
    const std::string prefix = "tool \"" + *name + "\": ";
    if (!t->invoke) return prefix + "no invoke function";

    ToolSpec spec;
    spec.name = *name;
    auto title = boundedString(t->title, 1024);
    auto description = boundedString(t->description, kMaxDescriptionBytes);
    if (!title || !description) return prefix + "title or description is too long";
    spec.title = *title;
    spec.description = *description;

    if (t->input_schema_json) {
        auto schema = parseSchema(t->input_schema_json, "input schema");
        if (auto* why = std::get_if<std::string>(&schema)) return prefix + *why;
        spec.inputSchema = std::get<Poco::JSON::Object::Ptr>(schema);
    } else {
        spec.inputSchema = new Poco::JSON::Object;
        spec.inputSchema->set("type", "object");
    }
    if (t->output_schema_json) {
        auto schema = parseSchema(t->output_schema_json, "output schema");
        if (auto* why = std::get_if<std::string>(&schema)) return prefix + *why;
        spec.outputSchema = std::get<Poco::JSON::Object::Ptr>(schema);
    }

    if (t->annotations) {
        const auto* a = t->annotations;
        if (a->struct_size < kAnnotationsSizeV1_0) return prefix + "annotations struct_size is too small";
        spec.annotations = new Poco::JSON::Object;
        auto atitle = boundedString(a->title, 1024);
        if (!atitle) return prefix + "annotations title is too long";
        if (!atitle->empty()) spec.annotations->set("title", *atitle);
        setHint(*spec.annotations, "readOnlyHint", a->read_only_hint);
        setHint(*spec.annotations, "destructiveHint", a->destructive_hint);
        setHint(*spec.annotations, "idempotentHint", a->idempotent_hint);
        setHint(*spec.annotations, "openWorldHint", a->open_world_hint);
    }

    if (t->required_scope_count > kMaxScopes) return prefix + "too many required scopes";
    if (t->required_scope_count && !t->required_scopes) return prefix + "required_scopes is NULL";
    for (std::size_t i = 0; i < t->required_scope_count; ++i) {
        auto scope = boundedString(t->required_scopes[i], 256);
        if (!scope || !isValidScopeToken(*scope)) return prefix + "required scope " + std::to_string(i) + " is not a valid scope token";
        spec.requiredScopes.push_back(*scope);
    }
    spec.invoke = t->invoke;
    spec.toolData = t->tool_data;
    if (MCPH_HAS_FIELD(t, mcph_tool, call_timeout_seconds)) {
        const double timeout = t->call_timeout_seconds;
        if (!(timeout >= 0 && timeout <= 86400)) return prefix + "call_timeout_seconds must be 0-86400";
        spec.callTimeoutSeconds = timeout;
    }
    return spec;
}

}  // namespace mcph::pluginhost

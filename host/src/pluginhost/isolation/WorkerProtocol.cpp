#include "pluginhost/isolation/WorkerProtocol.h"

#include <Poco/JSON/Array.h>

#include <sstream>
#include <vector>

#include "pluginhost/DescriptorValidator.h"

namespace mcph::pluginhost::isolation {
namespace {

std::string toJsonText(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

int32_t hintFrom(const Poco::JSON::Object::Ptr& annotations, const char* key) {
    if (!annotations || !annotations->has(key)) return MCPH_HINT_UNSET;
    const Poco::Dynamic::Var v = annotations->get(key);
    if (!v.isBoolean()) return -1;  // readTool never sees it: refused below
    return v.convert<bool>() ? MCPH_HINT_TRUE : MCPH_HINT_FALSE;
}

// Never throws: any value of the wrong type simply reads as absent.
Poco::JSON::Object::Ptr objectField(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return nullptr;
    const Poco::Dynamic::Var v = o->get(key);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return v.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr arrayField(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return nullptr;
    const Poco::Dynamic::Var v = o->get(key);
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) return nullptr;
    return v.extract<Poco::JSON::Array::Ptr>();
}

mcph_status neverCalled(const mcph_call*, mcph_result*) { return MCPH_ERR_UNSUPPORTED; }

}  // namespace

std::optional<std::string> stringField(const Poco::JSON::Object::Ptr& frame,
                                       const std::string& key) {
    if (!frame || !frame->has(key)) return std::nullopt;
    const Poco::Dynamic::Var v = frame->get(key);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

std::optional<double> numberField(const Poco::JSON::Object::Ptr& frame, const std::string& key) {
    if (!frame || !frame->has(key)) return std::nullopt;
    const Poco::Dynamic::Var v = frame->get(key);
    if (!v.isNumeric() || v.isBoolean()) return std::nullopt;
    return v.convert<double>();
}

const char* resultKindName(ResultKind kind) {
    switch (kind) {
        case ResultKind::Tool:
            return "tool";
        case ResultKind::ResourceContents:
            return "resource";
        case ResultKind::PromptMessages:
            return "prompt";
        case ResultKind::Completion:
            return "complete";
    }
    return "tool";
}

std::optional<ResultKind> resultKindFromName(const std::string& name) {
    if (name == "tool") return ResultKind::Tool;
    if (name == "resource") return ResultKind::ResourceContents;
    if (name == "prompt") return ResultKind::PromptMessages;
    if (name == "complete") return ResultKind::Completion;
    return std::nullopt;
}

Poco::JSON::Object::Ptr authToJson(const auth::AuthContext& auth) {
    // Exactly the fields the ABI gives plugins (mcph_auth_context): never the token.
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("authenticated", auth.authenticated);
    o->set("userId", auth.userId);
    o->set("issuer", auth.issuer);
    o->set("email", auth.email);
    o->set("name", auth.name);
    o->set("clientId", auth.clientId);
    Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
    for (const auto& s : auth.scopes) scopes->add(s);
    o->set("scopes", scopes);
    o->set("picture", auth.picture);
    o->set("claims", auth.claimsJson);
    return o;
}

auth::AuthContext authFromJson(const Poco::JSON::Object::Ptr& json) {
    auth::AuthContext a;
    if (!json) return a;
    a.authenticated = json->has("authenticated") && json->get("authenticated").isBoolean() &&
                      json->get("authenticated").convert<bool>();
    a.userId = stringField(json, "userId").value_or("");
    a.issuer = stringField(json, "issuer").value_or("");
    a.email = stringField(json, "email").value_or("");
    a.name = stringField(json, "name").value_or("");
    a.clientId = stringField(json, "clientId").value_or("");
    a.picture = stringField(json, "picture").value_or("");
    a.claimsJson = stringField(json, "claims").value_or("");
    if (auto scopes = arrayField(json, "scopes")) {
        for (const auto& s : *scopes) {
            if (s.isString()) a.scopes.push_back(s.extract<std::string>());
        }
    }
    return a;
}

Poco::JSON::Object::Ptr toolToJson(const ToolSpec& tool) {
    Poco::JSON::Object::Ptr o = tool.toListEntry();
    Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
    for (const auto& s : tool.requiredScopes) scopes->add(s);
    o->set("requiredScopes", scopes);
    o->set("callTimeoutSeconds", tool.callTimeoutSeconds);
    return o;
}

std::variant<ToolSpec, std::string> toolFromJson(const Poco::JSON::Object::Ptr& json) {
    auto name = stringField(json, "name");
    if (!name) return std::string("a tool without a name");
    const std::string title = stringField(json, "title").value_or("");
    const std::string description = stringField(json, "description").value_or("");
    auto input = objectField(json, "inputSchema");
    if (!input) return "tool \"" + *name + "\": no inputSchema object";
    const std::string inputText = toJsonText(input);
    auto output = objectField(json, "outputSchema");
    const std::string outputText = output ? toJsonText(output) : std::string();

    auto annotationsJson = objectField(json, "annotations");
    std::string annotationsTitle;
    mcph_tool_annotations annotations{};
    annotations.struct_size = sizeof annotations;
    if (annotationsJson) {
        annotationsTitle = stringField(annotationsJson, "title").value_or("");
        annotations.title = annotationsTitle.c_str();
        annotations.read_only_hint = hintFrom(annotationsJson, "readOnlyHint");
        annotations.destructive_hint = hintFrom(annotationsJson, "destructiveHint");
        annotations.idempotent_hint = hintFrom(annotationsJson, "idempotentHint");
        annotations.open_world_hint = hintFrom(annotationsJson, "openWorldHint");
        if (annotations.read_only_hint < 0 || annotations.destructive_hint < 0 ||
            annotations.idempotent_hint < 0 || annotations.open_world_hint < 0) {
            return "tool \"" + *name + "\": an annotation hint is not a boolean";
        }
    }
    std::vector<std::string> scopeStrings;
    if (auto scopes = arrayField(json, "requiredScopes")) {
        for (const auto& s : *scopes) {
            if (!s.isString()) return "tool \"" + *name + "\": a required scope is not a string";
            scopeStrings.push_back(s.extract<std::string>());
        }
    }
    std::vector<const char*> scopes;
    for (const auto& s : scopeStrings) scopes.push_back(s.c_str());

    mcph_tool tool{};
    tool.struct_size = sizeof tool;
    tool.name = name->c_str();
    tool.title = title.empty() ? nullptr : title.c_str();
    tool.description = description.empty() ? nullptr : description.c_str();
    tool.input_schema_json = inputText.c_str();
    tool.output_schema_json = output ? outputText.c_str() : nullptr;
    tool.annotations = annotationsJson ? &annotations : nullptr;
    tool.required_scopes = scopes.empty() ? nullptr : scopes.data();
    tool.required_scope_count = scopes.size();
    tool.invoke = &neverCalled;  // the worker runs the real one; invokePlugin never calls this
    tool.call_timeout_seconds = numberField(json, "callTimeoutSeconds").value_or(0);
    auto spec = readTool(&tool);
    if (auto* s = std::get_if<ToolSpec>(&spec)) s->toolData = nullptr;
    return spec;
}

void offeringsToJson(const LoadedPlugin& plugin, Poco::JSON::Object& hello) {
    Poco::JSON::Array::Ptr resources = new Poco::JSON::Array, templates = new Poco::JSON::Array,
                           prompts = new Poco::JSON::Array;
    for (const auto& r : plugin.resources) resources->add(r.toListEntry());
    for (const auto& t : plugin.resourceTemplates) templates->add(t.toListEntry());
    for (const auto& p : plugin.prompts) prompts->add(p.toListEntry());
    hello.set("resources", resources);
    hello.set("resourceTemplates", templates);
    hello.set("prompts", prompts);
    hello.set("completes", plugin.complete != nullptr);
}

namespace {

constexpr std::size_t kMaxItems = 4096;
constexpr std::size_t kMaxText = 64 * 1024;

// A string member within `max` bytes; "" when absent; nullopt when of another type or too long.
std::optional<std::string> boundedField(const Poco::JSON::Object::Ptr& o, const char* key,
                                        std::size_t max) {
    if (!o->has(key)) return std::string();
    auto v = stringField(o, key);
    if (!v || v->size() > max) return std::nullopt;
    return v;
}

template <typename Spec>
bool readCommon(const Poco::JSON::Object::Ptr& o, Spec& spec) {
    auto name = boundedField(o, "name", 1024), title = boundedField(o, "title", kMaxText),
         description = boundedField(o, "description", kMaxText),
         mime = boundedField(o, "mimeType", 256);
    if (!name || name->empty() || !title || !description || !mime) return false;
    spec.name = *name, spec.title = *title, spec.description = *description, spec.mimeType = *mime;
    return true;
}

}  // namespace

void offeringsFromJson(const Poco::JSON::Object::Ptr& hello, LoadedPlugin& plugin,
                       std::vector<std::string>& problems) {
    auto each = [&](const char* key, auto&& read) {
        auto items = arrayField(hello, key);
        if (!items) return;
        for (std::size_t i = 0; i < items->size() && i < kMaxItems; ++i) {
            auto item = items->getObject(i);
            if (!item || !read(item))
                problems.push_back(std::string(key) + " " + std::to_string(i) +
                                   ": refused; skipped");
        }
    };
    each("resources", [&](const Poco::JSON::Object::Ptr& o) {
        ResourceSpec spec;
        auto uri = boundedField(o, "uri", 2048);
        if (!uri || uri->find(':') == std::string::npos || !readCommon(o, spec)) return false;
        spec.uri = *uri;
        spec.read = &neverCalled;
        spec.plugin = &plugin;
        plugin.resources.push_back(std::move(spec));
        return true;
    });
    each("resourceTemplates", [&](const Poco::JSON::Object::Ptr& o) {
        ResourceTemplateSpec spec;
        auto uriTemplate = boundedField(o, "uriTemplate", 2048);
        if (!uriTemplate || uriTemplate->empty() || !readCommon(o, spec)) return false;
        spec.uriTemplate = *uriTemplate;
        spec.read = &neverCalled;
        spec.plugin = &plugin;
        plugin.resourceTemplates.push_back(std::move(spec));
        return true;
    });
    each("prompts", [&](const Poco::JSON::Object::Ptr& o) {
        PromptSpec spec;
        auto name = boundedField(o, "name", 1024), title = boundedField(o, "title", kMaxText),
             description = boundedField(o, "description", kMaxText);
        if (!name || name->empty() || !title || !description) return false;
        spec.name = *name, spec.title = *title, spec.description = *description;
        if (auto arguments = arrayField(o, "arguments")) {
            for (std::size_t i = 0; i < arguments->size() && i < kMaxItems; ++i) {
                auto a = arguments->getObject(i);
                if (!a) return false;
                auto argName = boundedField(a, "name", 1024),
                     argDescription = boundedField(a, "description", kMaxText);
                if (!argName || argName->empty() || !argDescription) return false;
                PromptArgumentSpec arg;
                arg.name = *argName, arg.description = *argDescription;
                arg.required = a->has("required") && a->get("required").isBoolean() &&
                               a->get("required").convert<bool>();
                spec.arguments.push_back(std::move(arg));
            }
        }
        spec.get = &neverCalled;
        spec.plugin = &plugin;
        plugin.prompts.push_back(std::move(spec));
        return true;
    });
    if (hello->has("completes") && hello->get("completes").isBoolean() &&
        hello->get("completes").convert<bool>()) {
        plugin.complete = &neverCalled;
    }
}

void resultToJson(const mcph_result& result, Poco::JSON::Object& frame) {
    frame.set("content", result.content);
    if (result.structured) frame.set("structured", result.structured);
    frame.set("isError", result.isError);
    frame.set("hasText", result.hasText);
}

std::optional<std::string> resultFromJson(const Poco::JSON::Object::Ptr& frame,
                                          mcph_result& result) {
    auto content = arrayField(frame, "content");
    if (!content) return std::string("result without a content array");
    for (const auto& block : *content) {
        if (block.type() != typeid(Poco::JSON::Object::Ptr))
            return std::string("a content block is not an object");
    }
    // The same size bound an in-process plugin is held to, counted on what arrived.
    std::ostringstream text;
    content->stringify(text);
    std::size_t bytes = text.str().size();
    Poco::JSON::Object::Ptr structured;
    if (frame->has("structured")) {
        structured = objectField(frame, "structured");
        if (!structured) return std::string("structured content is not an object");
        bytes += toJsonText(structured).size();
    }
    if (result.limit && bytes > result.limit + 1024)
        return std::string("result larger than the configured limit");
    for (const auto& block : *content) result.content->add(block);
    result.structured = structured;
    auto flag = [&](const char* key) {
        return frame->has(key) && frame->get(key).isBoolean() && frame->get(key).convert<bool>();
    };
    result.isError = flag("isError");
    result.hasText = flag("hasText");
    result.bytes = bytes;
    return std::nullopt;
}

}  // namespace mcph::pluginhost::isolation

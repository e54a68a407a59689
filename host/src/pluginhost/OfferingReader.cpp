#include "pluginhost/OfferingReader.h"

#include <cstddef>

#include "pluginhost/DescriptorValidator.h"
#include "pluginhost/PluginLoader.h"

namespace mcph::pluginhost {
namespace {

constexpr std::size_t kMaxItems = 4096;
constexpr std::size_t kMaxText = 64 * 1024;
constexpr std::size_t kPluginSizeV1_1 = offsetof(mcph_plugin, complete) + sizeof(mcph_invoke_fn);

// Items of an array whose element size is the plugin's own struct_size (a newer minor may
// have appended fields we do not know).
template <typename T>
const T* itemAt(const T* items, std::size_t index) {
    const auto* base = reinterpret_cast<const char*>(items);
    return reinterpret_cast<const T*>(base + index * items[0].struct_size);
}

bool readText(const char* s, std::string& out, std::size_t max = kMaxText) {
    auto v = boundedString(s, max);
    if (!v) return false;
    out = *v;
    return true;
}

}  // namespace

void readOfferings(LoadedPlugin& plugin, std::vector<LoadProblem>& problems) {
    const mcph_plugin* d = plugin.descriptor;
    if (d->struct_size < kPluginSizeV1_1) return;
    auto problem = [&](const std::string& why) { problems.push_back({plugin.file, why}); };
    plugin.complete = d->complete;

    if (d->resource_count > kMaxItems || (d->resource_count && (!d->resources || d->resources[0].struct_size < sizeof(mcph_resource)))) {
        problem("resources: bad resource_count or NULL array; resources skipped");
    } else {
        for (std::size_t i = 0; i < d->resource_count; ++i) {
            const mcph_resource* r = itemAt(d->resources, i);
            ResourceSpec spec;
            const std::string where = "resource " + std::to_string(i) + ": ";
            if (!readText(r->uri, spec.uri, 2048) || spec.uri.empty() || spec.uri.find(':') == std::string::npos) {
                problem(where + "uri must be an absolute URI; skipped");
                continue;
            }
            if (!readText(r->name, spec.name, 1024) || spec.name.empty() || !r->read ||
                !readText(r->title, spec.title) || !readText(r->description, spec.description) ||
                !readText(r->mime_type, spec.mimeType, 256)) {
                problem(where + "\"" + spec.uri + "\" needs a name and a read function; skipped");
                continue;
            }
            spec.read = r->read;
            spec.data = r->data;
            spec.plugin = &plugin;
            plugin.resources.push_back(std::move(spec));
        }
    }

    if (d->resource_template_count > kMaxItems ||
        (d->resource_template_count &&
         (!d->resource_templates || d->resource_templates[0].struct_size < sizeof(mcph_resource_template)))) {
        problem("resource templates: bad count or NULL array; skipped");
    } else {
        for (std::size_t i = 0; i < d->resource_template_count; ++i) {
            const mcph_resource_template* r = itemAt(d->resource_templates, i);
            ResourceTemplateSpec spec;
            const std::string where = "resource template " + std::to_string(i) + ": ";
            if (!readText(r->uri_template, spec.uriTemplate, 2048) || spec.uriTemplate.find('{') == std::string::npos ||
                !readText(r->name, spec.name, 1024) || spec.name.empty() || !r->read || !readText(r->title, spec.title) ||
                !readText(r->description, spec.description) || !readText(r->mime_type, spec.mimeType, 256)) {
                problem(where + "needs a uriTemplate with a {variable}, a name and a read function; skipped");
                continue;
            }
            spec.read = r->read;
            spec.data = r->data;
            spec.plugin = &plugin;
            plugin.resourceTemplates.push_back(std::move(spec));
        }
    }

    if (d->prompt_count > kMaxItems || (d->prompt_count && (!d->prompts || d->prompts[0].struct_size < sizeof(mcph_prompt)))) {
        problem("prompts: bad prompt_count or NULL array; prompts skipped");
        return;
    }
    for (std::size_t i = 0; i < d->prompt_count; ++i) {
        const mcph_prompt* p = itemAt(d->prompts, i);
        PromptSpec spec;
        const std::string where = "prompt " + std::to_string(i) + ": ";
        if (!readText(p->name, spec.name, 128) || !isValidToolName(spec.name) || !p->get ||
            !readText(p->title, spec.title) || !readText(p->description, spec.description)) {
            problem(where + "needs a name of [A-Za-z0-9_.-] and a get function; skipped");
            continue;
        }
        if (p->argument_count > 64 ||
            (p->argument_count && (!p->arguments || p->arguments[0].struct_size < sizeof(mcph_prompt_argument)))) {
            problem(where + "\"" + spec.name + "\": bad argument_count or NULL arguments; skipped");
            continue;
        }
        bool ok = true;
        for (std::size_t a = 0; a < p->argument_count && ok; ++a) {
            const mcph_prompt_argument* arg = itemAt(p->arguments, a);
            PromptArgumentSpec as;
            ok = readText(arg->name, as.name, 128) && !as.name.empty() && readText(arg->description, as.description);
            as.required = arg->required != 0;
            spec.arguments.push_back(std::move(as));
        }
        if (!ok) {
            problem(where + "\"" + spec.name + "\": an argument has no name; skipped");
            continue;
        }
        spec.get = p->get;
        spec.data = p->data;
        spec.plugin = &plugin;
        plugin.prompts.push_back(std::move(spec));
    }
}

}  // namespace mcph::pluginhost

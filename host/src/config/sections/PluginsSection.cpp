#include <Poco/JSON/Object.h>

#include <sstream>

#include "config/reader/ConfigPaths.h"
#include "config/sections/PluginRunKeys.h"
#include "config/sections/Sections.h"

namespace mcph::config {

void readPluginsSection(ObjectReader& plugins, PluginsConfig& out, const std::string& baseDir) {
    if (std::optional<std::string> dir = readExistingPath(plugins, "dir", baseDir, true)) {
        out.dir = *dir;
    }
    if (std::optional<ObjectReader> settings = plugins.object("settings")) {
        // The keys here are plugin names, and each plugin's object is the plugin's business:
        // only its strings are expanded; its keys are not checked.
        for (const std::string& name : settings->keys()) {
            if (name.empty()) {
                settings->diagnostics().error(settings->pathOf(name),
                                              "a plugin name must not be empty");
                settings->expandedObject(name);  // declares the key known
                continue;
            }
            if (std::optional<Poco::JSON::Object::Ptr> object = settings->expandedObject(name)) {
                std::ostringstream json;
                (*object)->stringify(json);
                out.settingsJson[name] = json.str();
            }
        }
        settings->finish();
    }
    if (std::optional<bool> watch = plugins.boolean("watch")) out.watch = *watch;
    readPluginRunKeys(plugins, out.run);
    plugins.finish();
}

}  // namespace mcph::config

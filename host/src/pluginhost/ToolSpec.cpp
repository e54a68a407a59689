#include "pluginhost/ToolSpec.h"

namespace mcph::pluginhost {

Poco::JSON::Object::Ptr ToolSpec::toListEntry() const {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("name", name);
    if (!title.empty()) entry->set("title", title);
    if (!description.empty()) entry->set("description", description);
    entry->set("inputSchema", inputSchema);
    if (outputSchema) entry->set("outputSchema", outputSchema);
    if (annotations) entry->set("annotations", annotations);
    return entry;
}

}  // namespace mcph::pluginhost

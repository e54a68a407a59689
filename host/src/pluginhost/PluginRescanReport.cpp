#include "pluginhost/PluginRescanReport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace mcph::pluginhost {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr ordered() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Array::Ptr loadedJson(const std::vector<PluginRescanReport::Loaded>& list, bool withPrevious) {
    Array::Ptr out = new Array;
    for (const auto& l : list) {
        Object::Ptr o = ordered();
        o->set("plugin", l.plugin);
        o->set("version", l.version);
        if (withPrevious) o->set("previousVersion", l.previousVersion);
        o->set("file", l.file);
        out->add(o);
    }
    return out;
}

Array::Ptr problemsJson(const std::vector<LoadProblem>& list) {
    Array::Ptr out = new Array;
    for (const auto& p : list) {
        Object::Ptr o = ordered();
        o->set("file", p.file);
        o->set("reason", p.reason);
        out->add(o);
    }
    return out;
}

}  // namespace

std::string PluginRescanReport::toJson() const {
    Object::Ptr root = ordered();
    root->set("added", loadedJson(added, false));
    root->set("replaced", loadedJson(replaced, true));
    Array::Ptr gone = new Array;
    for (const auto& r : removed) {
        Object::Ptr o = ordered();
        o->set("plugin", r.plugin);
        o->set("file", r.file);
        gone->add(o);
    }
    root->set("removed", gone);
    root->set("skipped", problemsJson(skipped));
    root->set("problems", problemsJson(problems));
    std::ostringstream out;
    root->stringify(out);
    return out.str();
}

}  // namespace mcph::pluginhost

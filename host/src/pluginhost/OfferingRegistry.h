#pragma once
// Everything the host serves, as a current snapshot (Offerings) that may be replaced while
// requests run: new requests see the new set, a request in flight keeps the snapshot it took
// (and with it the plugins and specs it uses, which unload once the last holder lets go). Every
// change is one event to the connected OfferingChangeSink (list_changed notifications).
//
// Changes: a whole plugin added, replaced or removed (setPlugin / removePlugin, for reloading
// plugins.dir), and a plugin's own tools added or removed at run time (ABI 1.2 add_tool /
// remove_tool, through the ToolChangeRelay of its load).
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pluginhost/Offerings.h"
#include "pluginhost/PluginLoader.h"
#include "pluginhost/ToolChangeRelay.h"

namespace mcph::pluginhost {

class OfferingRegistry final : public ToolChangeSink {
  public:
    // Takes the plugins of a load report; a tool, resource or prompt whose name is already taken
    // is reported in `report.problems` and left out (the first loaded keeps it).
    explicit OfferingRegistry(LoadReport& report);
    OfferingRegistry();
    ~OfferingRegistry() override;
    OfferingRegistry(const OfferingRegistry&) = delete;
    OfferingRegistry& operator=(const OfferingRegistry&) = delete;

    // What is served now. Hold it for the whole request.
    std::shared_ptr<const Offerings> snapshot() const;

    // Adds `plugin`, or replaces the loaded plugin of the same name (keeping its place in the
    // order; a new one goes last). Its offerings whose names another plugin serves are left out
    // and reported in `problems`. The replaced plugin unloads once no request holds it.
    void setPlugin(std::unique_ptr<LoadedPlugin> plugin, std::vector<LoadProblem>& problems);
    // Removes the plugin `name`; false when none is loaded by that name.
    bool removePlugin(const std::string& name);

    // ToolChangeSink: a plugin's add_tool / remove_tool.
    mcph_status addTool(const mcph_host_api* caller, const mcph_tool* tool) override;
    mcph_status removeTool(const mcph_host_api* caller, const std::string& name) override;

    // Changes are told to `sink` from now on (null: nobody). Returns once no event to an
    // earlier sink is being delivered.
    void connect(OfferingChangeSink* sink) const;
    void disconnect(OfferingChangeSink* sink) const;

    // Where the plugins' resource updates go; the server connects its sink here.
    ResourceUpdateRelay& resourceUpdates() const { return *resourceUpdates_; }
    // Where plugins loaded later (with loadPlugin) must send their add_tool / remove_tool.
    ToolChangeRelay& toolChanges() const { return *toolChanges_; }

    // Serves nothing from now on; each plugin is shut down and unloaded as soon as no request
    // holds it (at once when none runs). Call once no request can reach a tool any more.
    void unloadAll();

  private:
    // Replaces the snapshot and tells the sink; the old snapshot goes back to the caller, to
    // be released once no lock is held (releasing it may unload a plugin, whose shutdown may
    // call back in).
    std::shared_ptr<const Offerings> commitLocked(std::vector<PluginOfferings> plugins,
                                                  const OfferingChange& change);

    std::shared_ptr<ResourceUpdateRelay> resourceUpdates_ = std::make_shared<ResourceUpdateRelay>();
    std::shared_ptr<ToolChangeRelay> toolChanges_ = std::make_shared<ToolChangeRelay>();
    std::mutex editMutex_;             // one change at a time, events in order
    mutable std::mutex currentMutex_;  // guards current_ only
    std::shared_ptr<const Offerings> current_ = std::make_shared<Offerings>();
    mutable std::mutex sinkMutex_;
    mutable OfferingChangeSink* sink_ = nullptr;
};

}  // namespace mcph::pluginhost

#pragma once
// The host's side of one plugin running in its own process (plugins.isolation "process"): it
// starts mcph-plugin-worker, learns the plugin's tools from it, sends it calls and carries the
// host API calls the plugin makes during a call (progress, log, cancellation, input requests)
// back to that call's CallServices. A worker that dies fails the calls it was running with a
// tool error and is restarted with exponential back-off; one that overruns a call's timeout is
// first asked to cancel, then killed.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mcphost/auth/AuthContext.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/ToolResult.h"
#include "pluginhost/ToolSpec.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost::isolation {

class FrameChannel;

// What the worker reported about its plugin when it started.
struct WorkerHello {
    std::string name, version, description;
    bool serialized = false;
    std::vector<ToolSpec> tools;
    std::vector<std::string> problems;  // tools the worker's loader skipped, and why
    Poco::JSON::Object::Ptr frame;  // the hello itself: resources, templates, prompts (unchecked)
};

struct WorkerStart {
    std::string file;
    // plugins.settings: only the loaded plugin's own object is sent, once the worker has said
    // which plugin the file holds (another plugin's settings may hold its secrets).
    std::map<std::string, std::string> settingsJson;
    std::set<std::string> takenNames;  // names already served: a duplicate is refused before init
    PluginRunSettings settings;
    std::string workerPath;                          // the executable (workerExecutable())
    ResourceUpdateRelay* resourceUpdates = nullptr;  // must outlive the worker
};

class PluginWorker {
  public:
    // Starts the worker and waits for its hello; throws std::runtime_error with the reason (the
    // plugin failed to load in the worker, or the worker did not start).
    PluginWorker(WorkerStart start, WorkerHello& hello);
    // Ends the worker (the plugin's shutdown runs in it) and waits for it.
    ~PluginWorker();
    PluginWorker(const PluginWorker&) = delete;
    PluginWorker& operator=(const PluginWorker&) = delete;

    // One call (tool, resource read, prompt, completion) in the worker; `result` as prepared for
    // invokePlugin. Failures of the worker come back as a status with an explaining text block.
    mcph_status invoke(ResultKind kind, const std::string& name, const std::string& argumentsJson,
                       const auth::AuthContext& auth, double timeoutSeconds, mcph_result& result);

  private:
    struct Incarnation;
    struct PendingCall;

    void supervise(std::shared_ptr<Incarnation> first);
    std::shared_ptr<Incarnation> launch(std::string& error, WorkerHello* hello);
    void readFrames(Incarnation& worker);
    bool dispatch(Incarnation& worker, const Poco::JSON::Object::Ptr& frame);
    std::string reap(Incarnation& worker);
    void kill(Incarnation& worker);
    void failPending(const Incarnation& worker, const std::string& how);
    mcph_status handleEvent(Incarnation& worker, PendingCall& call, std::int64_t id,
                            const Poco::JSON::Object::Ptr& event, mcph_result& result, bool& done);

    const WorkerStart start_;
    std::string name_;  // the plugin's name, from the first hello

    std::mutex mutex_;
    std::condition_variable stopped_;
    bool stopping_ = false;
    std::shared_ptr<Incarnation> current_;  // null while the worker is down
    std::map<std::int64_t, std::shared_ptr<PendingCall>> pending_;
    std::int64_t nextId_ = 0;
    std::thread supervisor_;
};

}  // namespace mcph::pluginhost::isolation

#include "pluginhost/isolation/InProcessDeadline.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "pluginhost/CallServices.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolInvoker.h"
#include "pluginhost/isolation/CallTimeouts.h"
#include "pluginhost/isolation/HelperThreads.h"

namespace mcph::pluginhost {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kCancelGrace{2};  // as for isolated plugins (PluginWorker.cpp)

// Forwards to the request's CallServices until the request has been answered; from then on the
// request (and its services) may be gone, so nothing is forwarded any more.
class DetachableServices : public CallServices {
  public:
    explicit DetachableServices(CallServices* target) : target_(target) {}

    void progress(double progress, std::optional<double> total,
                  const std::string& message) override {
        forward([&](CallServices& s) { s.progress(progress, total, message); });
    }
    void log(const std::string& level, const std::string& logger,
             const Poco::Dynamic::Var& data) override {
        forward([&](CallServices& s) { s.log(level, logger, data); });
    }
    bool cancelled() override {
        bool yes = timedOut_;
        if (!yes) forward([&](CallServices& s) { yes = s.cancelled(); });
        return yes;
    }
    InputAnswer requestInput(const std::string& key, const std::string& method,
                             const Poco::JSON::Object::Ptr& params) override {
        InputAnswer answer;
        if (timedOut_) {
            answer.status = MCPH_ERR_CANCELLED;
            return answer;
        }
        forward([&](CallServices& s) { answer = s.requestInput(key, method, params); });
        return answer;
    }
    std::vector<std::string> missingCapabilities() const override { return {}; }

    void timeUp() { timedOut_ = true; }
    // Returns once no forward is running; none starts afterwards.
    void detach() {
        std::unique_lock<std::mutex> lock(mutex_);
        target_ = nullptr;
        idle_.wait(lock, [this] { return inUse_ == 0; });
    }

  private:
    template <typename F>
    void forward(F&& f) {
        CallServices* target;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            target = target_;
            if (!target) return;
            ++inUse_;
        }
        f(*target);
        std::lock_guard<std::mutex> lock(mutex_);
        if (--inUse_ == 0) idle_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable idle_;
    CallServices* target_;
    int inUse_ = 0;
    std::atomic<bool> timedOut_{false};
};

// Everything the helper thread touches, owned by it as much as by the caller.
struct Job {
    std::shared_ptr<LoadedPlugin> plugin;  // stays loaded while the call runs
    mcph_invoke_fn fn;
    std::string name;
    void* data;
    std::string arguments;
    auth::AuthContext auth;
    mcph_result result;
    DetachableServices services;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    mcph_status status = MCPH_ERR_FAILED;

    explicit Job(CallServices* target) : services(target) {}
};

}  // namespace

mcph_status invokeWithDeadline(std::shared_ptr<LoadedPlugin> plugin, mcph_invoke_fn fn,
                               const std::string& name, void* data,
                               const std::string& argumentsJson, const auth::AuthContext& auth,
                               double timeoutSeconds, mcph_result& result) {
    auto job = std::make_shared<Job>(result.services);
    const std::string pluginName = plugin->name;
    job->plugin = std::move(plugin);
    job->fn = fn;
    job->name = name;
    job->data = data;
    job->arguments = argumentsJson;
    job->auth = auth;
    job->result.kind = result.kind;
    job->result.uri = result.uri;
    job->result.mimeType = result.mimeType;
    job->result.limit = result.limit;
    job->result.services = &job->services;

    isolation::runOnHelperThread([job] {
        const mcph_status status = invokeInThisThread(*job->plugin, job->fn, job->name, job->data,
                                                      job->arguments, job->auth, job->result);
        std::lock_guard<std::mutex> lock(job->mutex);
        job->status = status;
        job->done = true;
        // Let go of the plugin before the caller wakes: while it waits it holds its snapshot,
        // so the plugin is never unloaded here unless the caller has already timed out and left.
        job->plugin.reset();
        job->finished.notify_all();
    });

    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeoutSeconds));
    std::unique_lock<std::mutex> lock(job->mutex);
    if (!job->finished.wait_until(lock, deadline, [&] { return job->done; })) {
        job->services.timeUp();  // is_cancelled turns true
        job->finished.wait_for(lock, kCancelGrace, [&] { return job->done; });
        lock.unlock();
        job->services.detach();
        reportCallTimeout(pluginName, name, timeoutSeconds);
        Poco::JSON::Object::Ptr block = new Poco::JSON::Object;
        block->set("type", "text");
        block->set("text", "Plugin \"" + pluginName + "\": \"" + name +
                               "\" timed out after " +
                               std::to_string(static_cast<long long>(timeoutSeconds)) +
                               " s (it was cancelled)");
        result.content->add(block);
        result.hasText = true;
        result.isError = true;
        return MCPH_ERR_CANCELLED;
    }
    result.content = job->result.content;
    result.structured = job->result.structured;
    result.isError = job->result.isError;
    result.hasText = job->result.hasText;
    result.bytes = job->result.bytes;
    return job->status;
}

}  // namespace mcph::pluginhost

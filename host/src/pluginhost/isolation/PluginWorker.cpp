#include "pluginhost/isolation/PluginWorker.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <set>
#include <stdexcept>

#include "pluginhost/CallServices.h"
#include "pluginhost/DescriptorValidator.h"
#include "pluginhost/isolation/CallTimeouts.h"
#include "pluginhost/isolation/FrameChannel.h"
#include "pluginhost/isolation/WorkerProtocol.h"
#include "pluginhost/isolation/WorkerSpawn.h"

namespace mcph::pluginhost::isolation {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kInitialBackoff{250};
constexpr milliseconds kMaxBackoff{30000};
constexpr std::chrono::seconds kStableRun{60};     // a worker up this long resets the back-off
constexpr std::chrono::seconds kHelloTimeout{30};  // loading the plugin, init included
constexpr std::chrono::seconds kCancelGrace{2};    // between cancellation and the kill
constexpr milliseconds kExitGrace{2000};           // for a worker asked to end
constexpr milliseconds kPollInterval{50};          // how often a waiting call checks cancellation
constexpr std::size_t kMaxLogText = 16 * 1024;

auto& log() { return Poco::Logger::get("mcp-host.plugins"); }

void setReceiveTimeout(int fd, std::chrono::seconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count());
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

std::optional<std::int64_t> idField(const Poco::JSON::Object::Ptr& frame) {
    if (!frame->has("id")) return std::nullopt;
    const Poco::Dynamic::Var v = frame->get("id");
    if (!v.isInteger() || v.isBoolean()) return std::nullopt;
    return v.convert<std::int64_t>();
}

Poco::JSON::Object::Ptr frameOf(const char* op) {
    Poco::JSON::Object::Ptr frame = new Poco::JSON::Object;
    frame->set("op", op);
    return frame;
}

std::string describeExit(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* name = sigabbrev_np(sig);
        return std::string("was killed by signal ") +
               (name ? std::string("SIG") + name : std::to_string(sig));
    }
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

mcph_status explain(mcph_result& result, const std::string& message, mcph_status status) {
    Poco::JSON::Object::Ptr block = new Poco::JSON::Object;
    block->set("type", "text");
    block->set("text", message);
    result.content = new Poco::JSON::Array;
    result.content->add(block);
    result.structured = nullptr;
    result.hasText = true;
    result.isError = true;
    return status;
}

}  // namespace

struct PluginWorker::Incarnation {
    pid_t pid = -1;
    std::shared_ptr<FrameChannel> channel;
    bool reaped = false;  // guarded by PluginWorker::mutex_: never signal a pid once reaped
    bool killed = false;  // we killed it (timeout, bad frame), guarded likewise
};

struct PluginWorker::PendingCall {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Poco::JSON::Object::Ptr> events;  // result, progress, log, input, in order
    std::shared_ptr<Incarnation> worker;
    bool gone = false;
    std::string how;  // how the worker ended
};

PluginWorker::PluginWorker(WorkerStart start, WorkerHello& hello) : start_(std::move(start)) {
    std::string error;
    auto first = launch(error, &hello);
    if (!first) throw std::runtime_error(error);
    name_ = hello.name;
    current_ = first;
    supervisor_ = std::thread([this, first] { supervise(first); });
}

PluginWorker::~PluginWorker() {
    std::shared_ptr<Incarnation> worker;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        worker = current_;
    }
    stopped_.notify_all();
    // End of input is the worker's signal to shut its plugin down and exit (WorkerSession).
    if (worker) ::shutdown(worker->channel->fd(), SHUT_WR);
    if (supervisor_.joinable()) supervisor_.join();
}

std::shared_ptr<PluginWorker::Incarnation> PluginWorker::launch(std::string& error,
                                                                WorkerHello* hello) {
    SpawnedWorker spawned;
    try {
        spawned = spawnWorker(start_.workerPath, name_.empty() ? start_.file : name_);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
    auto worker = std::make_shared<Incarnation>();
    worker->pid = spawned.pid;
    worker->channel = std::make_shared<FrameChannel>(spawned.channelFd, kMaxWorkerFrameBytes);

    auto load = frameOf("load");
    load->set("file", start_.file);
    Poco::JSON::Object::Ptr limits = new Poco::JSON::Object;
    limits->set("memoryBytes", static_cast<Poco::UInt64>(start_.settings.limits.memoryBytes));
    limits->set("cpuSeconds", static_cast<Poco::UInt64>(start_.settings.limits.cpuSeconds));
    limits->set("openFiles", static_cast<Poco::UInt64>(start_.settings.limits.openFiles));
    load->set("limits", limits);

    auto giveUp = [&](const std::string& why) -> std::shared_ptr<Incarnation> {
        kill(*worker);
        const std::string how = reap(*worker);
        error = why.empty() ? "the worker process " + how + " before reporting the plugin" : why;
        return nullptr;
    };
    // Load, then the plugin's name (read from its descriptor, before init), then init with that
    // plugin's settings, then hello with what it serves.
    Poco::JSON::Object::Ptr reply;
    std::optional<std::string> op;
    auto exchange = [&](const Poco::JSON::Object::Ptr& frame) {
        try {
            if (!worker->channel->send(frame)) return false;
            reply = worker->channel->receive();
        } catch (const BadFrame& e) {
            error = std::string("the worker sent a bad frame: ") + e.what();
            return false;
        }
        op = stringField(reply, "op");
        return reply != nullptr;
    };
    setReceiveTimeout(worker->channel->fd(), kHelloTimeout);
    if (!exchange(load)) return giveUp(error);
    if (op && *op == "failed")
        return giveUp(stringField(reply, "reason").value_or("the plugin failed to load"));
    const std::string name = stringField(reply, "name").value_or("");
    if (!op || *op != "named" || !isValidPluginName(name))
        return giveUp("the worker reported no valid plugin name");
    if (!name_.empty() && name != name_)
        return giveUp("the file now holds another plugin (\"" + name + "\")");
    if (name_.empty() && start_.takenNames.count(name)) {
        return giveUp("a plugin named \"" + name + "\" is already loaded; skipped");
    }
    auto init = frameOf("init");
    auto settings = start_.settingsJson.find(name);
    init->set("settings",
              settings == start_.settingsJson.end() ? std::string("{}") : settings->second);
    if (!exchange(init)) return giveUp(error);
    setReceiveTimeout(worker->channel->fd(), std::chrono::seconds(0));
    if (op && *op == "failed")
        return giveUp(stringField(reply, "reason").value_or("the plugin failed to load"));
    if (!op || *op != "hello")
        return giveUp("the worker answered the load with something other than hello");

    WorkerHello got;
    got.name = name;
    got.version = stringField(reply, "version").value_or("").substr(0, 256);
    got.description = stringField(reply, "description").value_or("").substr(0, 64 * 1024);
    got.serialized = reply->has("serialized") && reply->get("serialized").isBoolean() &&
                     reply->get("serialized").convert<bool>();
    if (hello) {
        Poco::JSON::Array::Ptr tools = reply->getArray("tools");
        if (!tools || tools->size() > 4096)
            return giveUp("the worker's hello has no valid tools array");
        for (std::size_t i = 0; i < tools->size(); ++i) {
            auto spec = toolFromJson(tools->getObject(i));
            if (auto* why = std::get_if<std::string>(&spec)) {
                got.problems.push_back(*why + "; tool skipped");
            } else {
                got.tools.push_back(std::move(std::get<ToolSpec>(spec)));
            }
        }
        if (Poco::JSON::Array::Ptr problems = reply->getArray("problems")) {
            for (std::size_t i = 0; i < problems->size() && i < 4096; ++i) {
                if (problems->get(i).isString())
                    got.problems.push_back(problems->get(i).extract<std::string>());
            }
        }
        got.frame = reply;
        *hello = std::move(got);
    }
    return worker;
}

void PluginWorker::supervise(std::shared_ptr<Incarnation> worker) {
    auto backoff = kInitialBackoff;
    while (true) {
        if (worker) {
            const auto started = Clock::now();
            readFrames(*worker);
            const std::string how = reap(*worker);
            bool stopping;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (current_ == worker) current_.reset();
                stopping = stopping_;
            }
            failPending(*worker, how);
            if (stopping) return;
            if (Clock::now() - started >= kStableRun) backoff = kInitialBackoff;
            log().warning("plugin %s: its worker process %s; restarting it in %d ms", name_, how,
                          static_cast<int>(backoff.count()));
        }
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (stopped_.wait_for(lock, backoff, [this] { return stopping_; })) return;
        }
        backoff = std::min(backoff * 2, kMaxBackoff);
        std::string error;
        worker = launch(error, nullptr);
        if (!worker) {
            log().error("plugin %s: cannot restart its worker process: %s", name_, error);
            continue;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) {
            ::shutdown(worker->channel->fd(), SHUT_WR);
        } else {
            current_ = worker;
            log().information("plugin %s: worker process restarted (pid %d)", name_,
                              static_cast<int>(worker->pid));
        }
    }
}

void PluginWorker::readFrames(Incarnation& worker) {
    while (true) {
        Poco::JSON::Object::Ptr frame;
        try {
            frame = worker.channel->receive();
        } catch (const BadFrame& e) {
            log().error("plugin %s: its worker sent a bad frame (%s); killing it", name_,
                        std::string(e.what()));
            kill(worker);
            return;
        }
        if (!frame) return;
        if (!dispatch(worker, frame)) {
            log().error("plugin %s: its worker sent a frame that breaks the protocol; killing it",
                        name_);
            kill(worker);
            return;
        }
    }
}

bool PluginWorker::dispatch(Incarnation& worker, const Poco::JSON::Object::Ptr& frame) {
    (void)worker;
    const auto op = stringField(frame, "op");
    if (!op) return false;
    if (*op == "hostlog") {
        const auto text = stringField(frame, "text");
        const auto priority = numberField(frame, "priority");
        if (!text || !priority || *priority < 1 || *priority > 8) return false;
        Poco::Logger::get("plugin." + name_)
            .log(Poco::Message("plugin." + name_, text->substr(0, kMaxLogText),
                               static_cast<Poco::Message::Priority>(static_cast<int>(*priority))));
        return true;
    }
    if (*op == "resource_updated") {
        const auto uri = stringField(frame, "uri");
        if (!uri || uri->empty() || uri->size() > 2048) return false;
        if (start_.resourceUpdates) start_.resourceUpdates->publish(*uri);
        return true;
    }
    if (*op != "result" && *op != "progress" && *op != "log" && *op != "input") return false;
    const auto id = idField(frame);
    if (!id) return false;
    std::shared_ptr<PendingCall> call;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (*id <= 0 || *id > nextId_) return false;  // never sent: the worker made it up
        auto it = pending_.find(*id);
        if (it == pending_.end()) return true;  // a call that already ended (timed out)
        call = it->second;
    }
    {
        std::lock_guard<std::mutex> lock(call->mutex);
        if (call->events.size() > 10000) return false;  // flooding one call
        call->events.push_back(frame);
    }
    call->changed.notify_all();
    return true;
}

void PluginWorker::kill(Incarnation& worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (worker.reaped) return;
    worker.killed = true;
    ::kill(worker.pid, SIGKILL);
}

std::string PluginWorker::reap(Incarnation& worker) {
    // The channel has closed; a worker that closed it but lingers is given a moment, then killed.
    const auto deadline = Clock::now() + kExitGrace;
    int status = 0;
    while (true) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (worker.reaped) return "ended";
            const pid_t r = ::waitpid(worker.pid, &status, WNOHANG);
            if (r == worker.pid || r < 0) {
                worker.reaped = true;
                break;
            }
            if (Clock::now() >= deadline) {
                ::kill(worker.pid, SIGKILL);
                worker.killed = true;
                while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
                }
                worker.reaped = true;
                break;
            }
        }
        std::this_thread::sleep_for(milliseconds(10));
    }
    return describeExit(status);
}

void PluginWorker::failPending(const Incarnation& worker, const std::string& how) {
    std::vector<std::shared_ptr<PendingCall>> affected;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [id, call] : pending_) {
            if (call->worker.get() == &worker) affected.push_back(call);
        }
    }
    for (auto& call : affected) {
        {
            std::lock_guard<std::mutex> lock(call->mutex);
            call->gone = true;
            call->how = how;
        }
        call->changed.notify_all();
    }
}

mcph_status PluginWorker::invoke(ResultKind kind, const std::string& name,
                                 const std::string& argumentsJson, const auth::AuthContext& auth,
                                 double timeoutSeconds, mcph_result& result) {
    auto call = std::make_shared<PendingCall>();
    std::int64_t id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!current_) {
            return explain(result,
                           "Plugin \"" + name_ +
                               "\" is not running: its worker process is restarting after a "
                               "failure. Try again shortly.",
                           MCPH_ERR_FAILED);
        }
        id = ++nextId_;
        call->worker = current_;
        pending_[id] = call;
    }
    struct Forget {
        PluginWorker& self;
        std::int64_t id;
        ~Forget() {
            std::lock_guard<std::mutex> lock(self.mutex_);
            self.pending_.erase(id);
        }
    } forget{*this, id};
    Incarnation& worker = *call->worker;

    auto request = frameOf("call");
    request->set("id", id);
    request->set("kind", resultKindName(kind));
    request->set("name", name);
    request->set("arguments", argumentsJson);
    request->set("auth", authToJson(auth));
    request->set("limit", static_cast<Poco::UInt64>(result.limit));
    request->set("uri", result.uri);
    request->set("mimeType", result.mimeType);
    if (!worker.channel->send(request)) kill(worker);  // the reader then reports it gone

    const auto started = Clock::now();
    const auto deadline = timeoutSeconds > 0
                              ? started + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(timeoutSeconds))
                              : Clock::time_point::max();
    bool cancelSent = false, timedOut = false;
    auto sendCancel = [&] {
        if (cancelSent) return;
        cancelSent = true;
        auto cancel = frameOf("cancel");
        cancel->set("id", id);
        worker.channel->send(cancel);
    };
    auto timeoutAnswer = [&] {
        reportCallTimeout(name_, name, timeoutSeconds);
        return explain(result,
                       "Plugin \"" + name_ + "\": \"" + name + "\" timed out after " +
                           std::to_string(static_cast<long long>(timeoutSeconds)) +
                           " s (it was cancelled" +
                           std::string(worker.killed ? " and its worker process killed" : "") + ")",
                       MCPH_ERR_CANCELLED);
    };
    auto graceEnd = Clock::time_point::max();
    while (true) {
        std::deque<Poco::JSON::Object::Ptr> events;
        bool gone;
        std::string how;
        {
            std::unique_lock<std::mutex> lock(call->mutex);
            const auto wakeAt = std::min({Clock::now() + kPollInterval, deadline, graceEnd});
            call->changed.wait_until(lock, wakeAt,
                                     [&] { return !call->events.empty() || call->gone; });
            events.swap(call->events);
            gone = call->gone;
            how = call->how;
        }
        for (const auto& event : events) {
            bool done = false;
            const mcph_status status = handleEvent(worker, *call, id, event, result, done);
            if (done) return timedOut ? timeoutAnswer() : status;
        }
        if (gone) {
            if (timedOut) return timeoutAnswer();
            return explain(result,
                           "Plugin \"" + name_ + "\" failed while running \"" + name +
                               "\": its worker process " + how +
                               ". The call was lost; the worker is being restarted.",
                           MCPH_ERR_FAILED);
        }
        if (result.services && result.services->cancelled()) sendCancel();
        const auto now = Clock::now();
        if (!timedOut && now >= deadline) {
            timedOut = true;
            sendCancel();
            graceEnd = now + kCancelGrace;
        }
        if (timedOut && now >= graceEnd) {
            kill(worker);  // the reader sees it end; the supervisor restarts it
            return timeoutAnswer();
        }
    }
}

mcph_status PluginWorker::handleEvent(Incarnation& worker, PendingCall& call, std::int64_t id,
                                      const Poco::JSON::Object::Ptr& event, mcph_result& result,
                                      bool& done) {
    (void)call;
    const std::string op = stringField(event, "op").value_or("");
    auto misbehaved = [&](const std::string& why) {
        log().error("plugin %s: its worker %s; killing it", name_, why);
        kill(worker);
        done = true;
        return explain(
            result,
            "Plugin \"" + name_ + "\" failed: its worker process " + why + " and was killed.",
            MCPH_ERR_FAILED);
    };
    if (op == "result") {
        const auto status = numberField(event, "status");
        if (!status || *status < MCPH_OK || *status > MCPH_ERR_WRONG_TYPE ||
            *status != static_cast<int>(*status)) {
            return misbehaved("sent a result without a valid status");
        }
        if (auto why = resultFromJson(event, result))
            return misbehaved("sent an invalid result (" + *why + ")");
        done = true;
        return static_cast<mcph_status>(static_cast<int>(*status));
    }
    CallServices* services = result.services;
    if (op == "progress") {
        const auto progress = numberField(event, "progress");
        if (!progress) return misbehaved("sent progress without a number");
        const auto total = numberField(event, "total");
        if (services)
            services->progress(*progress, total, stringField(event, "message").value_or(""));
        return MCPH_OK;
    }
    if (op == "log") {
        const auto level = stringField(event, "level");
        static const std::set<std::string> kLevels = {"debug", "info",     "notice", "warning",
                                                      "error", "critical", "alert",  "emergency"};
        if (!level || !kLevels.count(*level) || !event->has("data")) {
            return misbehaved("sent a client log message without a valid level or data");
        }
        if (services)
            services->log(*level, stringField(event, "logger").value_or(""), event->get("data"));
        return MCPH_OK;
    }
    // op == "input" (dispatch() let nothing else through)
    const auto key = stringField(event, "key");
    const auto method = stringField(event, "method");
    const auto seq = numberField(event, "seq");
    Poco::JSON::Object::Ptr params = event->has("params") ? event->getObject("params") : nullptr;
    if (!key || !method || !seq || !params)
        return misbehaved("sent an input request it could not have built");
    InputAnswer answer;
    if (services) answer = services->requestInput(*key, *method, params);
    auto reply = frameOf("input");
    reply->set("id", id);
    reply->set("seq", *seq);
    reply->set("status", static_cast<int>(answer.status));
    reply->set("json", answer.json);
    worker.channel->send(reply);
    return MCPH_OK;
}

}  // namespace mcph::pluginhost::isolation

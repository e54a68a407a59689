#include "WorkerSession.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>
#include <sys/resource.h>

#include <boost/dll/shared_library.hpp>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <thread>

#include "ChannelCallServices.h"
#include "ChannelLogChannel.h"
#include "pluginhost/DescriptorValidator.h"
#include "pluginhost/PluginLoader.h"
#include "pluginhost/ToolInvoker.h"
#include "pluginhost/isolation/WorkerProtocol.h"

namespace mcph::pluginhost::isolation {
namespace {

Poco::JSON::Object::Ptr frameOf(const char* op) {
    Poco::JSON::Object::Ptr frame = new Poco::JSON::Object;
    frame->set("op", op);
    return frame;
}

std::uint64_t limitField(const Poco::JSON::Object::Ptr& limits, const char* key) {
    if (!limits || !limits->has(key)) return 0;
    const Poco::Dynamic::Var v = limits->get(key);
    return v.isNumeric() ? v.convert<Poco::UInt64>() : 0;
}

// Before any plugin code runs: the limits hold for the plugin's init as much as for its calls.
std::string applyLimits(const Poco::JSON::Object::Ptr& limits) {
    struct Limit {
        int resource;
        const char* key;
        rlim_t hardExtra;  // RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL a second later
    };
    for (const Limit& l : {Limit{RLIMIT_AS, "memoryBytes", 0}, Limit{RLIMIT_CPU, "cpuSeconds", 1},
                           Limit{RLIMIT_NOFILE, "openFiles", 0}}) {
        const std::uint64_t value = limitField(limits, l.key);
        if (!value) continue;
        rlimit current{};
        ::getrlimit(l.resource, &current);
        rlimit wanted{static_cast<rlim_t>(value), static_cast<rlim_t>(value) + l.hardExtra};
        // Never above what the host itself may use (an unprivileged process cannot raise it).
        if (current.rlim_max != RLIM_INFINITY) {
            wanted.rlim_max = std::min(wanted.rlim_max, current.rlim_max);
            wanted.rlim_cur = std::min(wanted.rlim_cur, wanted.rlim_max);
        }
        if (::setrlimit(l.resource, &wanted) != 0) {
            return std::string("cannot set the ") + l.key + " limit: " + std::strerror(errno);
        }
    }
    return {};
}

// The plugin's name from its descriptor, without running init (the entry function must be
// free of side effects): the host sends that plugin's settings only.
std::string probeName(const std::string& file, std::string& error) {
    try {
        boost::dll::shared_library library(
            file, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
        if (!library.has(MCPH_ENTRY_SYMBOL)) {
            error = std::string("no entry symbol ") + MCPH_ENTRY_SYMBOL;
            return {};
        }
        auto& entry = library.get<const mcph_plugin*(uint32_t, uint32_t)>(MCPH_ENTRY_SYMBOL);
        const mcph_plugin* desc = entry(MCPH_ABI_MAJOR, MCPH_ABI_MINOR);
        if (auto why = checkPluginDescriptor(desc)) {
            error = *why;
            return {};
        }
        return desc->name;
    } catch (const std::exception& e) {
        error = std::string("cannot be loaded as a shared library: ") + e.what();
        return {};
    }
}

}  // namespace

WorkerSession::WorkerSession(int channelFd) : channel_(channelFd, kMaxHostFrameBytes) {
    // Log lines (the plugin's host API `log` included) go to the host, which applies its level.
    Poco::Logger::root().setChannel(new ChannelLogChannel(channel_));
    Poco::Logger::root().setLevel(Poco::Message::PRIO_DEBUG);
}

void WorkerSession::fail(const std::string& reason) {
    auto frame = frameOf("failed");
    frame->set("reason", reason);
    channel_.send(frame);
}

void WorkerSession::resourceUpdated(const std::string& uri) {
    auto frame = frameOf("resource_updated");
    frame->set("uri", uri);
    channel_.send(frame);
}

bool WorkerSession::load() {
    auto load = channel_.receive();
    if (!load || stringField(load, "op").value_or("") != "load") return false;
    const std::string file = stringField(load, "file").value_or("");
    if (auto why = applyLimits(load->getObject("limits")); !why.empty()) {
        fail(why);
        return false;
    }
    std::string error;
    const std::string name = probeName(file, error);
    if (name.empty()) {
        fail(error);
        return false;
    }
    auto named = frameOf("named");
    named->set("name", name);
    channel_.send(named);

    auto init = channel_.receive();
    if (!init || stringField(init, "op").value_or("") != "init") return false;
    std::vector<LoadProblem> problems;
    RunPolicy here;  // in this process, untimed: the host keeps the time
    here.defaults.callTimeoutSeconds = 0;
    resourceUpdates_.connect(this);
    plugin_ = loadPlugin(file, {{name, stringField(init, "settings").value_or("{}")}}, {}, problems,
                         &resourceUpdates_, nullptr, here);
    if (!plugin_) {
        std::string reasons;
        for (const auto& p : problems) reasons += (reasons.empty() ? "" : "; ") + p.reason;
        fail(reasons.empty() ? std::string("the plugin did not load") : reasons);
        return false;
    }
    auto hello = frameOf("hello");
    hello->set("name", plugin_->name);
    hello->set("version", plugin_->version);
    hello->set("description", plugin_->description);
    hello->set("serialized", plugin_->serialized);
    Poco::JSON::Array::Ptr tools = new Poco::JSON::Array;
    for (const auto& tool : plugin_->tools) tools->add(toolToJson(tool));
    hello->set("tools", tools);
    Poco::JSON::Array::Ptr reported = new Poco::JSON::Array;
    for (const auto& p : problems) reported->add(p.reason);
    hello->set("problems", reported);
    offeringsToJson(*plugin_, *hello);
    return channel_.send(hello);
}

int WorkerSession::run() {
    try {
        if (!load()) return 1;
        while (auto frame = channel_.receive()) {
            const std::string op = stringField(frame, "op").value_or("");
            if (op == "call") {
                startCall(frame);
            } else if (op == "cancel") {
                if (auto call = findCall(frame)) call->cancel();
            } else if (op == "input") {
                if (auto call = findCall(frame)) {
                    InputAnswer answer;
                    answer.status = static_cast<mcph_status>(
                        static_cast<int>(numberField(frame, "status").value_or(MCPH_ERR_FAILED)));
                    answer.json = stringField(frame, "json").value_or("");
                    call->answer(static_cast<std::int64_t>(numberField(frame, "seq").value_or(0)),
                                 std::move(answer));
                }
            }
        }
    } catch (const std::exception&) {
        return 2;  // the host broke the protocol: nothing sensible is left to do
    }
    // The host closed the channel: unload the plugin (its shutdown runs) unless calls still run
    // in it, which exit() would then tear down under them.
    std::lock_guard<std::mutex> lock(callsMutex_);
    if (calls_.empty()) {
        resourceUpdates_.disconnect(this);
        plugin_.reset();
        return 0;
    }
    std::_Exit(0);
}

std::shared_ptr<ChannelCallServices> WorkerSession::findCall(const Poco::JSON::Object::Ptr& frame) {
    const auto id = numberField(frame, "id");
    if (!id) return nullptr;
    std::lock_guard<std::mutex> lock(callsMutex_);
    auto it = calls_.find(static_cast<std::int64_t>(*id));
    return it == calls_.end() ? nullptr : it->second;
}

void WorkerSession::startCall(const Poco::JSON::Object::Ptr& frame) {
    const auto id = static_cast<std::int64_t>(numberField(frame, "id").value_or(0));
    auto services = std::make_shared<ChannelCallServices>(channel_, id);
    {
        std::lock_guard<std::mutex> lock(callsMutex_);
        calls_[id] = services;
    }
    // One thread per call: calls run concurrently as they do in-process (invokePlugin still
    // serializes them for an MCPH_PLUGIN_SERIALIZED plugin).
    std::thread([this, id, frame, services] {
        runCall(id, frame, services);
        std::lock_guard<std::mutex> lock(callsMutex_);
        calls_.erase(id);
    }).detach();
}

void WorkerSession::runCall(std::int64_t id, const Poco::JSON::Object::Ptr& frame,
                            std::shared_ptr<ChannelCallServices> services) {
    const ResultKind kind =
        resultKindFromName(stringField(frame, "kind").value_or("")).value_or(ResultKind::Tool);
    const std::string name = stringField(frame, "name").value_or("");
    const std::string arguments = stringField(frame, "arguments").value_or("{}");
    const auth::AuthContext auth = authFromJson(frame->getObject("auth"));
    mcph_result result;
    result.kind = kind;
    result.limit = static_cast<std::size_t>(numberField(frame, "limit").value_or(16u << 20));
    result.uri = stringField(frame, "uri").value_or("");
    result.mimeType = stringField(frame, "mimeType").value_or("");
    result.services = services.get();

    mcph_invoke_fn fn = nullptr;
    void* data = nullptr;
    LoadedPlugin& plugin = *plugin_;
    if (kind == ResultKind::Tool) {
        for (const auto& t : plugin.tools) {
            if (t.name == name) fn = t.invoke, data = t.toolData;
        }
    } else if (kind == ResultKind::ResourceContents) {
        for (const auto& r : plugin.resources) {
            if (r.uri == result.uri) fn = r.read, data = r.data;
        }
        for (const auto& t : plugin.resourceTemplates) {
            if (!fn && t.name == name && t.match(result.uri)) fn = t.read, data = t.data;
        }
    } else if (kind == ResultKind::PromptMessages) {
        for (const auto& p : plugin.prompts) {
            if (p.name == name) fn = p.get, data = p.data;
        }
    } else {
        fn = plugin.complete;
    }
    const mcph_status status =
        fn ? invokePlugin(plugin, fn, name, data, arguments, auth, result) : MCPH_ERR_NOT_FOUND;
    auto reply = frameOf("result");
    reply->set("id", id);
    reply->set("status", static_cast<int>(status));
    resultToJson(result, *reply);
    channel_.send(reply);
}

}  // namespace mcph::pluginhost::isolation

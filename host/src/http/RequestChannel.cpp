#include "http/RequestChannel.h"

#include <Poco/Net/NetException.h>

#include <sstream>

#include "http/HttpUtil.h"
#include "mcp/LogLevel.h"

namespace mcph::http {

using namespace mcph::mcp;
namespace {

constexpr int kRetryMs = 1000;

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

// The capability a server-to-client request needs from the client.
std::string capabilityFor(const std::string& method) {
    if (method == "sampling/createMessage") return "sampling";
    if (method == "elicitation/create") return "elicitation";
    return "roots";
}

}  // namespace

RequestChannel::RequestChannel(Poco::Net::HTTPServerResponse& response, Options options)
    : response_(response), o_(std::move(options)) {}

bool RequestChannel::openStream() {
    if (sse_) return true;
    if (!o_.sseAllowed) return false;
    sse_ = std::make_unique<SseWriter>(response_);
    if (o_.session) {
        events_ = o_.session->openEventStream();
        try {
            sse_->priming(events_->append(""), kRetryMs);
        } catch (const Poco::Net::NetException&) {
            connected_ = false;
        }
    }
    return true;
}

void RequestChannel::send(const std::string& message) {
    if (!openStream()) return;
    const std::string id = events_ ? events_->append(message) : std::string();
    if (!connected_) return;  // kept in the event stream for a resuming client
    try {
        if (events_) {
            sse_->event(id, message);
        } else {
            sse_->event(message);
        }
    } catch (const Poco::Net::NetException&) {
        connected_ = false;
    }
}

void RequestChannel::notify(const std::string& message) { send(message); }

void RequestChannel::progress(double progress, std::optional<double> total, const std::string& message) {
    if (o_.progressToken.isEmpty()) return;
    Poco::JSON::Object::Ptr params = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    params->set("progressToken", o_.progressToken);
    params->set("progress", progress);
    if (total) params->set("total", *total);
    if (!message.empty()) params->set("message", message);
    send(serializeNotification("notifications/progress", params));
}

void RequestChannel::log(const std::string& level, const std::string& logger, const Poco::Dynamic::Var& data) {
    const int threshold = o_.session ? o_.session->logLevel() : o_.logThreshold;
    if (threshold < 0 || logSeverity(level) < threshold) return;
    Poco::JSON::Object::Ptr params = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    params->set("level", level);
    if (!logger.empty()) params->set("logger", logger);
    params->set("data", data);
    send(serializeNotification("notifications/message", params));
}

bool RequestChannel::cancelled() { return o_.cancelled && o_.cancelled->load(); }

pluginhost::InputAnswer RequestChannel::requestInput(const std::string& key, const std::string& method,
                                                  const Poco::JSON::Object::Ptr& params) {
    if (o_.inputs) return o_.inputs->request(key, method, params);
    pluginhost::InputAnswer answer;
    if (!o_.session || !o_.session->clientHasCapability(capabilityFor(method)) || !openStream()) {
        answer.status = MCPH_ERR_UNSUPPORTED;
        return answer;
    }
    if (cancelled()) {
        answer.status = MCPH_ERR_CANCELLED;
        return answer;
    }
    const std::string id = o_.session->newOutgoingId();
    send(serializeRequest(id, method, params));
    static const std::atomic<bool> kNever{false};
    auto response = o_.session->awaitResponse(id, o_.cancelled ? *o_.cancelled : kNever,
                                              std::chrono::steady_clock::now() + o_.inputTimeout);
    if (!response) {
        answer.status = MCPH_ERR_CANCELLED;  // cancelled, session ended, or no answer in time
        return answer;
    }
    if (response->error) {
        answer.status = MCPH_ERR_FAILED;
        answer.json = toJson(response->error);
        return answer;
    }
    answer.status = MCPH_OK;
    answer.json = toJson(response->result ? response->result : Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    return answer;
}

void RequestChannel::finish(const std::string& reply) {
    if (sse_) {
        send(reply);
        if (events_) events_->finish();
        return;
    }
    if (o_.sseOnly) {
        // Nothing came before the reply: one event, nothing to resume.
        SseWriter(response_).event(reply);
        return;
    }
    http::sendJson(response_, Poco::Net::HTTPResponse::HTTP_OK, reply);
}

}  // namespace mcph::http

#pragma once
// The way back to the client for one POSTed request while it runs: the CallServices a plugin
// reaches through the host API. The reply starts as plain JSON; the first message the call
// sends before its result (progress, a log line, a request for input) turns the response into
// an SSE stream (when the client accepts one), opened with a priming event so the client can
// resume it with Last-Event-ID if the connection drops. Events go to the session's
// EventStream as well, so a resumed stream replays what the client missed.
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "mcp/EventStream.h"
#include "mcp/InputRequests.h"
#include "mcp/Session.h"
#include "http/SseWriter.h"
#include "pluginhost/CallServices.h"

namespace mcph::http {

class RequestChannel final : public pluginhost::CallServices {
public:
    struct Options {
        bool sseAllowed = false;               // the client's Accept admits text/event-stream
        bool sseOnly = false;                  // ... and not application/json
        std::shared_ptr<mcp::Session> session;      // null on the stateless revision
        Poco::Dynamic::Var progressToken;      // empty: the client asked for no progress
        std::shared_ptr<std::atomic<bool>> cancelled;
        std::chrono::seconds inputTimeout{300};
        // Stateless revision: input requests become an "input required" result (null on the
        // stateful revisions, where they go to the client on this stream).
        mcp::InputRequests* inputs = nullptr;
        // Stateless revision: the _meta logLevel severity; -1 means the request set none and
        // gets no log messages. Stateful requests use the session's level instead.
        int logThreshold = 0;
    };
    RequestChannel(Poco::Net::HTTPServerResponse& response, Options options);

    void progress(double progress, std::optional<double> total, const std::string& message) override;
    void log(const std::string& level, const std::string& logger, const Poco::Dynamic::Var& data) override;
    bool cancelled() override;
    pluginhost::InputAnswer requestInput(const std::string& key, const std::string& method, const Poco::JSON::Object::Ptr& params) override;

    std::vector<std::string> missingCapabilities() const override {
        return o_.inputs ? o_.inputs->missingCapabilities() : std::vector<std::string>{};
    }

    // Sends a notification on this request's stream (when one can be opened).
    void notify(const std::string& message);
    // Sends the final reply: on the stream if one was opened, else as one JSON body (or one
    // SSE event when the client accepts only SSE).
    void finish(const std::string& reply);
    bool streaming() const { return sse_ != nullptr; }

private:
    bool openStream();
    void send(const std::string& message);

    Poco::Net::HTTPServerResponse& response_;
    Options o_;
    std::unique_ptr<SseWriter> sse_;
    std::shared_ptr<mcp::EventStream> events_;
    bool connected_ = true;  // false once the client went away (it may resume)
};

}  // namespace mcph::http

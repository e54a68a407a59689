#include "ops/AdminServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "ops/JsonLogFormatter.h"
#include "ops/PrometheusText.h"

namespace mcph::ops {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void answer(HTTPServerRequest& request, HTTPServerResponse& response,
            HTTPResponse::HTTPStatus status, const std::string& contentType,
            const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType(contentType);
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    if (request.getMethod() == "HEAD") {
        response.send();
        return;
    }
    response.sendBuffer(body.data(), body.size());
}

using PluginRescan = std::function<std::string()>;

class AdminHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    AdminHandler(const HostMetrics& metrics, const ServingState& state, const PluginRescan& rescan)
        : metrics_(metrics), state_(state), rescan_(rescan) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        const std::string& uri = request.getURI();
        const std::string path = uri.substr(0, uri.find_first_of("?#"));
        if (path == "/plugins/rescan" && rescan_) {
            rescanPlugins(request, response);
            return;
        }
        if (path != "/metrics" && path != "/livez" && path != "/readyz") {
            answer(request, response, HTTPResponse::HTTP_NOT_FOUND, "application/json",
                   R"({"error":"not_found"})");
            return;
        }
        if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
            // Its body is never read: the connection closes rather than parse it as a request.
            response.setKeepAlive(false);
            response.set("Allow", "GET, HEAD");
            answer(request, response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "application/json",
                   R"({"error":"method_not_allowed"})");
            return;
        }
        if (path == "/metrics") {
            answer(request, response, HTTPResponse::HTTP_OK, kPrometheusContentType,
                   metrics_.exposition());
        } else if (path == "/livez") {
            answer(request, response, HTTPResponse::HTTP_OK, "application/json",
                   R"({"status":"live"})");
        } else {
            const std::string reason = state_.notReadyReason();
            if (reason.empty()) {
                answer(request, response, HTTPResponse::HTTP_OK, "application/json",
                       R"({"status":"ready"})");
            } else {
                answer(
                    request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "application/json",
                    R"({"status":"not_ready","reason":)" + JsonLogFormatter::quoted(reason) + "}");
            }
        }
    }

  private:
    void rescanPlugins(HTTPServerRequest& request, HTTPServerResponse& response) {
        // Its body (if any) is never read: the connection closes rather than parse it.
        response.setKeepAlive(false);
        if (request.getMethod() != "POST") {
            response.set("Allow", "POST");
            answer(request, response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "application/json",
                   R"({"error":"method_not_allowed"})");
            return;
        }
        // A browser page may POST to a loopback port too, and says so with Origin; the
        // operators' tools (curl, scripts) send none.
        if (request.has("Origin")) {
            answer(request, response, HTTPResponse::HTTP_FORBIDDEN, "application/json",
                   R"({"error":"forbidden"})");
            return;
        }
        answer(request, response, HTTPResponse::HTTP_OK, "application/json", rescan_());
    }

    const HostMetrics& metrics_;
    const ServingState& state_;
    const PluginRescan& rescan_;
};

class AdminFactory final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    AdminFactory(const HostMetrics& metrics, const ServingState& state, const PluginRescan& rescan)
        : metrics_(metrics), state_(state), rescan_(rescan) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new AdminHandler(metrics_, state_, rescan_);
    }

  private:
    const HostMetrics& metrics_;
    const ServingState& state_;
    const PluginRescan& rescan_;
};

}  // namespace

AdminServer::AdminServer(const HostMetrics& metrics, const ServingState& state)
    : metrics_(metrics), state_(state), threads_(1, 4 + 1 /* the acceptor */, 60) {}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start(const std::string& host, int port) {
    Poco::Net::ServerSocket socket;
    // As the public listener: SO_REUSEADDR, never SO_REUSEPORT (a second instance must fail).
    socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), true, false);
    socket.listen(64);
    port_ = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setMaxQueued(64);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(10, 0));
    params->setServerName("mcp-host-admin");
    server_ = std::make_unique<Poco::Net::HTTPServer>(new AdminFactory(metrics_, state_, pluginRescan_), threads_,
                                                      socket, params);
    server_->start();
}

void AdminServer::stop() {
    if (!server_) return;
    server_->stopAll(true);  // probes are short: nothing to wait for
    threads_.joinAll();
    server_.reset();
}

}  // namespace mcph::ops

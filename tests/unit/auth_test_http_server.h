#pragma once
// A real Poco HTTP server for the auth tests: 127.0.0.1, an ephemeral port, per-path handlers,
// request counting, and a latch for handlers that must block until the test says so.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace authtest {

class TestHttpServer {
  public:
    struct Request {
        std::string method, uri, body;
        std::map<std::string, std::string> headers;
    };
    struct Reply {
        int status = 200;
        std::string body;
        std::string contentType = "application/json";
        std::map<std::string, std::string> headers;
        bool chunked = false;
    };
    using Handler = std::function<Reply(const Request&)>;

    TestHttpServer() : state_(std::make_shared<State>()) {
        port_ = socket_.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(false);
        server_ =
            std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), pool_, socket_, params);
        server_->start();
    }
    ~TestHttpServer() { stop(); }

    void route(const std::string& path, Handler handler) {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->handlers[path] = std::move(handler);
    }
    void serve(const std::string& path, int status, std::string body,
               std::string contentType = "application/json") {
        route(path, [=](const Request&) { return Reply{status, body, contentType, {}, false}; });
    }
    int hits(const std::string& path) const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        const auto it = state_->hits.find(path);
        return it == state_->hits.end() ? 0 : it->second;
    }
    Request lastRequest(const std::string& path) const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->last[path];
    }
    std::string url(const std::string& path = "") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    // Stops listening: further connections are refused.
    void stop() {
        if (!server_) return;
        // Poco's acceptor polls in 250 ms steps; shutting the listening socket down wakes it at
        // once (Linux), which keeps a suite of short tests fast.
        std::thread stopper([this] { server_->stopAll(true); });
        try {
            socket_.impl()->shutdown();
        } catch (const std::exception&) {
        }
        stopper.join();
        server_.reset();
        pool_.joinAll();
    }

  private:
    struct State {
        std::mutex mutex;
        std::map<std::string, Handler> handlers;
        std::map<std::string, int> hits;
        std::map<std::string, Request> last;
    };

    class Handler_ : public Poco::Net::HTTPRequestHandler {
      public:
        explicit Handler_(std::shared_ptr<State> s) : s_(std::move(s)) {}
        void handleRequest(Poco::Net::HTTPServerRequest& req,
                           Poco::Net::HTTPServerResponse& resp) override {
            Request r;
            r.method = req.getMethod();
            r.uri = req.getURI();
            for (const auto& [k, v] : req) r.headers[k] = v;
            Poco::StreamCopier::copyToString(req.stream(), r.body);
            const std::string path = r.uri.substr(0, r.uri.find('?'));
            Handler handler;
            {
                std::lock_guard<std::mutex> lock(s_->mutex);
                ++s_->hits[path];
                s_->last[path] = r;
                const auto it = s_->handlers.find(path);
                if (it != s_->handlers.end()) handler = it->second;
            }
            Reply reply = handler ? handler(r) : Reply{404, "{}", "application/json", {}, false};
            resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
            resp.setContentType(reply.contentType);
            for (const auto& [k, v] : reply.headers) resp.set(k, v);
            if (reply.chunked)
                resp.setChunkedTransferEncoding(true);
            else
                resp.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
            resp.send() << reply.body;
        }

      private:
        std::shared_ptr<State> s_;
    };

    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
      public:
        explicit Factory(std::shared_ptr<State> s) : s_(std::move(s)) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(
            const Poco::Net::HTTPServerRequest&) override {
            return new Handler_(s_);
        }

      private:
        std::shared_ptr<State> s_;
    };

    std::shared_ptr<State> state_;
    Poco::Net::ServerSocket socket_{Poco::Net::SocketAddress("127.0.0.1", 0)};
    Poco::ThreadPool pool_{2, 16};
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    Poco::UInt16 port_ = 0;
};

// A latch a request handler can wait on, released by the test (no sleeps).
class Gate {
  public:
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return open_; });
    }
    void open() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

}  // namespace authtest

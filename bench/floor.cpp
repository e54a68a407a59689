// mcph_bench_floor: the "floor" of the tools/call benchmark (bench/run.sh). A bare
// Poco::Net::HTTPServer set up like mcp-host's (same thread pool, HTTPServerParams and listen
// backlog) that answers every POST to /mcp with the JSON-RPC body mcp-host would send, fixed
// but for the echoed id and text, so of the same shape and size. It does no JSON parsing, no
// sessions, no auth and no tool call: what it costs is Poco's HTTP layer alone, which no
// Poco-based MCP server can go below.
//
//   mcph_bench_floor [--port N]
//
// --port defaults to 0 (a free port). Binds 127.0.0.1 only. Prints
// "mcph_bench_floor listening on http://127.0.0.1:<port>/mcp" once ready (the line run.sh waits
// for); SIGTERM or SIGINT stops it and exits 0.
//
// What it answers, telling requests apart by plain substring search of the body:
//   - a body with "method":"notifications/...: 202, no body;
//   - a body with "method":"initialize": 200, a fixed initialize result, an Mcp-Session-Id header;
//   - any other POST (tools/call): 200 with the echo tool's result. mcph_loadgen checks that the
//     text it gets back is exactly the text it sent, so the floor echoes it: it copies the raw
//     bytes of the first "text":"..." string value and of the "id" value out of the body with a
//     plain string search (no JSON parser, no unescaping: the escaped form is copied as is);
//   - DELETE /mcp: 200, no body (as mcp-host); anything else: 404 or 405.
// Status lines, headers and bodies are those mcp-host sends for the same requests (same
// Content-Type, same 64-character Mcp-Session-Id, same key order in the bodies).
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <istream>
#include <string>
#include <string_view>

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The same limits as mcp-host's defaults (server.threads = 64, server.maxQueued = 256, backlog
// 256, keep-alive on, 5 s keep-alive timeout, 10 s socket timeout, 4 MiB request limit).
constexpr int kThreads = 64;
constexpr int kMaxQueued = 256;
constexpr int kBacklog = 256;
constexpr std::size_t kMaxBodyBytes = std::size_t{4} << 20;
constexpr const char* kPath = "/mcp";

// A session id of the length mcp-host hands out; the floor keeps no sessions.
constexpr const char* kSessionId =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// mcp-host's initialize result with its default identity and the plugins run.sh loads.
constexpr std::string_view kInitializeResult =
    R"({"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":false},)"
    R"("logging":{}},"serverInfo":{"name":"mcp-host","version":"0.1.0"}})";

// The raw JSON text of the value after the first occurrence of quotedKey (and its colon): a
// string's bytes between the quotes, escapes kept, or a bare integer; empty if there is none.
// A plain substring search, not a JSON parser.
std::string_view rawValue(std::string_view body, std::string_view quotedKey, bool string) {
    std::size_t pos = body.find(quotedKey);
    if (pos == std::string_view::npos) {
        return {};
    }
    pos += quotedKey.size();
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == ':')) {
        ++pos;
    }
    if (string) {
        if (pos >= body.size() || body[pos] != '"') {
            return {};
        }
        const std::size_t start = ++pos;
        while (pos < body.size() && body[pos] != '"') {
            pos += body[pos] == '\\' ? 2 : 1;
        }
        if (pos >= body.size()) {
            return {};
        }
        return body.substr(start, pos - start);
    }
    const std::size_t start = pos;
    while (pos < body.size() && (body[pos] == '-' || (body[pos] >= '0' && body[pos] <= '9'))) {
        ++pos;
    }
    return body.substr(start, pos - start);
}

void sendJson(HTTPServerResponse& response, const std::string& body) {
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void sendEmpty(HTTPServerResponse& response, HTTPResponse::HTTPStatus status) {
    response.setStatusAndReason(status);
    response.setContentLength(0);
    response.send();
}

class FloorHandler : public Poco::Net::HTTPRequestHandler {
  public:
    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        if (request.getURI() != kPath) {
            sendEmpty(response, HTTPResponse::HTTP_NOT_FOUND);
            return;
        }
        if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_DELETE) {
            sendEmpty(response, HTTPResponse::HTTP_OK);
            return;
        }
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
            response.set("Allow", "GET, POST, DELETE");
            sendEmpty(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
            return;
        }
        // Read the whole body, as any server must before it answers (bounded like mcp-host's).
        const std::streamsize length = request.getContentLength();
        if (length < 0 || static_cast<std::size_t>(length) > kMaxBodyBytes) {
            response.setKeepAlive(false);
            sendEmpty(response, length < 0 ? HTTPResponse::HTTP_LENGTH_REQUIRED
                                           : HTTPResponse::HTTP_REQUESTENTITYTOOLARGE);
            return;
        }
        std::string body(static_cast<std::size_t>(length), '\0');
        request.stream().read(body.data(), length);
        if (request.stream().gcount() != length) {
            response.setKeepAlive(false);
            sendEmpty(response, HTTPResponse::HTTP_BAD_REQUEST);
            return;
        }

        const std::string_view view(body);
        if (view.find(R"("method":"notifications/)") != std::string_view::npos) {
            sendEmpty(response, HTTPResponse::HTTP_ACCEPTED);
            return;
        }
        std::string_view id = rawValue(view, R"("id")", false);
        if (id.empty()) {
            id = "null";
        }
        std::string out;
        if (view.find(R"("method":"initialize")") != std::string_view::npos) {
            out.reserve(kInitializeResult.size() + 64);
            out.append(R"({"id":)").append(id).append(R"(,"jsonrpc":"2.0","result":)");
            out.append(kInitializeResult).append("}");
            response.set("Mcp-Session-Id", kSessionId);
            sendJson(response, out);
            return;
        }
        // tools/call echo: mcp-host's answer, byte for byte, for the same request.
        const std::string_view text = rawValue(view, R"("text")", true);
        out.reserve(text.size() + 96);
        out.append(R"({"id":)").append(id).append(R"(,"jsonrpc":"2.0","result":{"content":)");
        out.append(R"([{"type":"text","text":")").append(text).append(R"("}]}})");
        sendJson(response, out);
    }
};

class FloorFactory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new FloorHandler;  // Poco deletes it after the request, as for mcp-host's router
    }
};

[[noreturn]] void usage(const std::string& error) {
    std::cerr << "mcph_bench_floor: " << error << "\nusage: mcph_bench_floor [--port N (0)]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--port" && i + 1 < argc) {
            char* end = nullptr;
            const long v = std::strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end != '\0' || v < 0 || v > 65535) {
                usage("bad --port");
            }
            port = static_cast<int>(v);
        } else {
            usage("unknown option " + flag);
        }
    }

    // SIGTERM / SIGINT are waited for below; block them before any thread starts so that every
    // thread inherits the mask and sigwait() gets them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    try {
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true,
                    false);
        socket.listen(kBacklog);
        const unsigned bound = socket.address().port();

        Poco::ThreadPool threads(2, kThreads + 1 /* the acceptor */, 60);
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(kThreads);
        params->setMaxQueued(kMaxQueued);
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(Poco::Timespan(5, 0));
        params->setTimeout(Poco::Timespan(10, 0));
        params->setServerName("mcp-host");  // as mcp-host
        Poco::Net::HTTPServer server(new FloorFactory, threads, socket, params);
        server.start();
        std::cout << "mcph_bench_floor listening on http://127.0.0.1:" << bound << kPath
                  << std::endl;

        int sig = 0;
        sigwait(&signals, &sig);
        server.stopAll(true);
        threads.joinAll();
    } catch (const Poco::Exception& e) {
        std::cerr << "mcph_bench_floor: " << e.displayText() << "\n";
        return 1;
    }
    return 0;
}

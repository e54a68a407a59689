// Stream-holding benchmark client (bench/streams.sh): opens N MCP sessions on one server, each
// with its GET SSE stream held open, then, with every stream open, times tools/call on a fresh
// session, checks the streams are still open and reads the server's memory.
//
//   mcph_bench_streams --url http://127.0.0.1:PORT/mcp --streams N [--threads T (8)]
//                      [--pid SERVER_PID] [--calls N (20)] [--timeout SECONDS (300)]
//
// Prints one JSON line: streams asked, opened, refused (any status but 200, with the first
// one), failed (connection errors), still_open after the calls, tools/call latencies (ms), and
// the server's VmRSS / VmHWM (KiB) while all streams are open. Only loopback URLs; every loop
// is bounded by N and by --timeout.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

struct Options {
    std::string host;
    unsigned short port = 0;
    std::string path;
    int streams = 1000;
    int threads = 8;
    int calls = 20;
    int pid = 0;
    double timeoutSeconds = 300;
};

[[noreturn]] void usage(const std::string& error) {
    std::cerr << "mcph_bench_streams: " << error
              << "\nusage: mcph_bench_streams --url http://127.0.0.1:PORT/mcp --streams N "
                 "[--threads T] [--pid PID] [--calls N] [--timeout S]\n";
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    std::string url;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        try {
            if (flag == "--url")
                url = value;
            else if (flag == "--streams")
                o.streams = std::stoi(value);
            else if (flag == "--threads")
                o.threads = std::stoi(value);
            else if (flag == "--calls")
                o.calls = std::stoi(value);
            else if (flag == "--pid")
                o.pid = std::stoi(value);
            else if (flag == "--timeout")
                o.timeoutSeconds = std::stod(value);
            else
                usage("unknown option " + flag);
        } catch (const std::invalid_argument&) {
            usage("bad value for " + flag);
        }
    }
    if (o.streams < 1 || o.streams > 50000) usage("--streams must be 1..50000");
    if (o.threads < 1 || o.threads > 64) usage("--threads must be 1..64");
    if (o.calls < 1 || o.calls > 1000) usage("--calls must be 1..1000");
    if (o.timeoutSeconds <= 0 || o.timeoutSeconds > 3600) usage("--timeout must be 0..3600");
    Poco::URI uri(url);
    Poco::Net::IPAddress address;
    if (uri.getScheme() != "http" || !Poco::Net::IPAddress::tryParse(uri.getHost(), address) ||
        !address.isLoopback()) {
        usage("--url must be http:// on a loopback address");
    }
    o.host = uri.getHost();
    o.port = uri.getPort();
    o.path = uri.getPath();
    return o;
}

// A keep-alive connection for POSTs (initialize, notifications, calls).
class Poster {
  public:
    explicit Poster(const Options& o) : o_(o), http_(o.host, o.port) {
        http_.setKeepAlive(true);
        http_.setTimeout(Poco::Timespan(30, 0));
    }

    int post(const std::string& body, const std::string& session, std::string& sessionOut,
             std::string& bodyOut) {
        HTTPRequest req(HTTPRequest::HTTP_POST, o_.path, HTTPRequest::HTTP_1_1);
        req.setContentType("application/json");
        req.set("Accept", "application/json, text/event-stream");
        if (!session.empty()) {
            req.set("Mcp-Session-Id", session);
            req.set("MCP-Protocol-Version", "2025-11-25");
        }
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        try {
            http_.sendRequest(req) << body;
            HTTPResponse resp;
            std::istream& in = http_.receiveResponse(resp);
            bodyOut.clear();
            Poco::StreamCopier::copyToString(in, bodyOut);
            sessionOut = resp.get("Mcp-Session-Id", "");
            return resp.getStatus();
        } catch (...) {
            http_.reset();
            throw;
        }
    }

    // initialize + notifications/initialized; the session id.
    std::string openSession() {
        std::string session;
        std::string body;
        const int status = post(
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
            R"("capabilities":{},"clientInfo":{"name":"mcph_bench_streams","version":"1"}}})",
            "", session, body);
        if (status != 200 || session.empty()) {
            throw Poco::ProtocolException("initialize: HTTP " + std::to_string(status));
        }
        std::string ignored;
        post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session, ignored, body);
        return session;
    }

  private:
    const Options& o_;
    Poco::Net::HTTPClientSession http_;
};

struct Shared {
    std::mutex mutex;
    std::vector<Poco::Net::StreamSocket> open;
    std::atomic<int> next{0};
    std::atomic<int> refused{0};
    std::atomic<int> failed{0};
    std::string firstProblem;

    void note(const std::string& what) {
        std::lock_guard<std::mutex> lock(mutex);
        if (firstProblem.empty()) firstProblem = what;
    }
};

// Opens one GET stream and reads its response head; the status.
int openStream(const Options& o, const std::string& session, Poco::Net::StreamSocket& socket) {
    socket.connect(Poco::Net::SocketAddress(o.host, o.port), Poco::Timespan(10, 0));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    const std::string request = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host +
                                "\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session +
                                "\r\nMCP-Protocol-Version: 2025-11-25\r\n\r\n";
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string head;
    char c;
    while (head.size() < 8192 && head.find("\r\n\r\n") == std::string::npos) {
        if (socket.receiveBytes(&c, 1) <= 0) break;
        head += c;
    }
    if (head.size() < 12) return 0;
    return std::stoi(head.substr(9, 3));
}

void openSome(const Options& o, Shared& shared, Clock::time_point deadline) {
    Poster poster(o);
    while (Clock::now() < deadline) {
        const int i = shared.next.fetch_add(1);
        if (i >= o.streams) return;
        try {
            const std::string session = poster.openSession();
            Poco::Net::StreamSocket socket;
            const int status = openStream(o, session, socket);
            if (status != 200) {
                ++shared.refused;
                shared.note("stream " + std::to_string(i) + ": HTTP " + std::to_string(status));
                continue;
            }
            std::lock_guard<std::mutex> lock(shared.mutex);
            shared.open.push_back(socket);
        } catch (const std::exception& e) {
            ++shared.failed;
            const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
            shared.note("stream " + std::to_string(i) + ": " +
                        (poco ? poco->displayText() : e.what()));
        }
    }
}

long statusField(int pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return -1;
}

// Streams the server has not closed: no hang-up or error, and not at end of stream.
int stillOpen(std::vector<Poco::Net::StreamSocket>& sockets) {
    int open = 0;
    for (auto& s : sockets) {
        pollfd p{s.impl()->sockfd(), POLLIN | POLLRDHUP, 0};
        if (::poll(&p, 1, 0) < 0) continue;
        if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) continue;
        if (p.revents & POLLIN) {
            // Heartbeats or the opening comment: drain what is there; 0 bytes is end of stream.
            char buffer[4096];
            if (s.impl()->receiveBytes(buffer, sizeof buffer, MSG_DONTWAIT) == 0) continue;
        }
        ++open;
    }
    return open;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < static_cast<rlim_t>(o.streams) + 64) {
        usage("open-file limit " + std::to_string(limit.rlim_cur) + " is too low for " +
              std::to_string(o.streams) + " streams (ulimit -Hn)");
    }

    Shared shared;
    shared.open.reserve(static_cast<std::size_t>(o.streams));
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.timeoutSeconds));
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back(openSome, std::cref(o), std::ref(shared), deadline);
    for (auto& t : threads) t.join();
    const double openSeconds = std::chrono::duration<double>(Clock::now() - start).count();

    // Every stream open: a new client's session and its calls.
    std::vector<double> callMs;
    std::string callProblem;
    try {
        Poster poster(o);
        const std::string session = poster.openSession();
        for (int i = 0; i < o.calls; ++i) {
            std::string ignored;
            std::string body;
            const auto t0 = Clock::now();
            const int status = poster.post(
                R"({"jsonrpc":"2.0","id":)" + std::to_string(10 + i) +
                    R"(,"method":"tools/call","params":{"name":"echo","arguments":{"text":"while streaming"}}})",
                session, ignored, body);
            callMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            if (status != 200 || body.find("while streaming") == std::string::npos) {
                callProblem = "tools/call: HTTP " + std::to_string(status);
                break;
            }
        }
    } catch (const Poco::Exception& e) {
        callProblem = "tools/call: " + e.displayText();
    }
    const long rss = o.pid > 0 ? statusField(o.pid, "VmRSS") : -1;
    const long hwm = o.pid > 0 ? statusField(o.pid, "VmHWM") : -1;
    const int open = stillOpen(shared.open);

    std::vector<double> sorted = callMs;
    std::sort(sorted.begin(), sorted.end());
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("streams", o.streams);
    out.set("opened", static_cast<int>(shared.open.size()));
    out.set("refused", shared.refused.load());
    out.set("failed", shared.failed.load());
    out.set("first_problem", shared.firstProblem);
    out.set("open_seconds", openSeconds);
    out.set("still_open", open);
    out.set("calls", static_cast<int>(callMs.size()));
    out.set("call_ms_p50", sorted.empty() ? 0.0 : sorted[sorted.size() / 2]);
    out.set("call_ms_max", sorted.empty() ? 0.0 : sorted.back());
    out.set("call_problem", callProblem);
    out.set("server_rss_kib", rss);
    out.set("server_hwm_kib", hwm);
    out.stringify(std::cout);
    std::cout << std::endl;
    for (auto& s : shared.open) s.close();
    return callProblem.empty() ? 0 : 1;
}

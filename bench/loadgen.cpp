// mcph_loadgen: closed-loop load generator for MCP `tools/call` over Streamable HTTP.
//
// One thread per connection, each with its own keep-alive HTTPClientSession and its own MCP
// session (initialize + notifications/initialized). After a warm-up that is not measured, every
// thread sends `tools/call echo` requests back to back until N requests have been sent in total
// or T seconds have passed, whichever comes first. Responses may be JSON or SSE (the `data:`
// lines of the event carrying the response); each must be a successful result echoing the text
// that was sent, otherwise it counts as an error. The summary is one JSON line on stdout.
//
// It refuses any host but a loopback address (127.0.0.0/8, ::1, localhost).
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPClientSession;
using Poco::Net::HTTPMessage;
using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

constexpr int kMaxConnections = 1024;
constexpr long kMaxRequests = 10'000'000;
constexpr double kMaxSeconds = 600;
constexpr int kMaxConsecutiveErrors = 100;  // a thread gives up after this many in a row
constexpr const char* kAccept = "application/json, text/event-stream";

struct Options {
    std::string url;
    std::string host;
    std::uint16_t port = 0;
    std::string path;
    int connections = 1;
    long requests = 20'000;
    double seconds = 15;
    long warmupRequests = 2'000;
    double warmupSeconds = 2;
    std::string text = "hello from mcph_loadgen";
    std::string protocolVersion = "2025-11-25";
    std::string label;
    std::string bearer;               // --bearer-file: sent as Authorization on every request
    bool expectUnauthorized = false;  // --expect-unauthorized: no session, every call must get 401
};

[[noreturn]] void usage(const std::string& error) {
    if (!error.empty()) {
        std::cerr << "mcph_loadgen: " << error << "\n";
    }
    std::cerr << "usage: mcph_loadgen --url http://127.0.0.1:PORT/mcp [--connections N (1)]\n"
                 "         [--requests N (20000)] [--duration SECONDS (15)]\n"
                 "         [--warmup-requests N (2000)] [--warmup SECONDS (2)]\n"
                 "         [--text STRING] [--protocol-version V (2025-11-25)] [--label NAME]\n"
                 "         [--bearer-file FILE] [--expect-unauthorized]\n"
                 "Stops at --requests or --duration, whichever comes first; the warm-up is\n"
                 "bounded the same way and not measured. Loopback hosts only.\n";
    std::exit(2);
}

double parseNumber(const std::string& flag, const std::string& value, double lo, double hi) {
    try {
        std::size_t used = 0;
        const double v = std::stod(value, &used);
        if (used == value.size() && v >= lo && v <= hi) {
            return v;
        }
    } catch (const std::exception&) {
    }
    std::ostringstream msg;
    msg << flag << " must be a number in [" << lo << ", " << hi << "], got '" << value << "'";
    usage(msg.str());
}

// Only loopback targets: "localhost" is pinned to 127.0.0.1 rather than resolved.
std::optional<std::string> loopbackHost(const std::string& host) {
    if (host == "localhost") {
        return "127.0.0.1";
    }
    Poco::Net::IPAddress addr;
    if (Poco::Net::IPAddress::tryParse(host, addr) && addr.isLoopback()) {
        return host;
    }
    return std::nullopt;
}

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "-h" || flag == "--help") {
            usage("");
        }
        if (flag == "--expect-unauthorized") {
            o.expectUnauthorized = true;
            continue;
        }
        if (i + 1 >= argc) {
            usage("missing value for " + flag);
        }
        const std::string value = argv[++i];
        if (flag == "--url") {
            o.url = value;
        } else if (flag == "--connections" || flag == "-c") {
            o.connections = static_cast<int>(parseNumber(flag, value, 1, kMaxConnections));
        } else if (flag == "--requests" || flag == "-n") {
            o.requests = static_cast<long>(parseNumber(flag, value, 1, kMaxRequests));
        } else if (flag == "--duration" || flag == "-t") {
            o.seconds = parseNumber(flag, value, 0.1, kMaxSeconds);
        } else if (flag == "--warmup-requests") {
            o.warmupRequests = static_cast<long>(parseNumber(flag, value, 0, kMaxRequests));
        } else if (flag == "--warmup") {
            o.warmupSeconds = parseNumber(flag, value, 0, kMaxSeconds);
        } else if (flag == "--text") {
            o.text = value;
        } else if (flag == "--protocol-version") {
            o.protocolVersion = value;
        } else if (flag == "--label") {
            o.label = value;
        } else if (flag == "--bearer-file") {
            // From a file, not the command line: a token never shows in `ps`.
            std::ifstream in(value);
            std::getline(in, o.bearer);
            if (o.bearer.empty()) usage("--bearer-file: cannot read a token from " + value);
        } else {
            usage("unknown option " + flag);
        }
    }
    if (o.url.empty()) {
        usage("--url is required");
    }
    Poco::URI uri;
    try {
        uri = Poco::URI(o.url);
    } catch (const Poco::Exception& e) {
        usage("bad --url: " + e.displayText());
    }
    if (uri.getScheme() != "http") {
        usage("only http:// URLs are supported");
    }
    const auto host = loopbackHost(uri.getHost());
    if (!host) {
        usage("refusing non-loopback host '" + uri.getHost() +
              "': only 127.0.0.0/8, ::1 and localhost are allowed");
    }
    o.host = *host;
    o.port = uri.getPort();
    o.path = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    return o;
}

std::string jsonString(const std::string& s) {
    std::ostringstream out;
    Poco::JSON::Stringifier::formatString(s, out);
    return out.str();
}

// The JSON-RPC message carried by a response body: the body itself for JSON, or for SSE the
// event whose data is the response with `id` (events end at a blank line, their data lines are
// joined with "\n", events without data, such as priming events, are skipped).
Poco::JSON::Object::Ptr findResponse(const std::string& contentType, const std::string& body,
                                     long id) {
    Poco::JSON::Parser parser;
    if (contentType.rfind("application/json", 0) == 0) {
        return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    }
    if (contentType.rfind("text/event-stream", 0) != 0) {
        throw Poco::DataFormatException("unexpected Content-Type '" + contentType + "'");
    }
    std::string data;
    bool hasData = false;
    auto tryEvent = [&]() -> Poco::JSON::Object::Ptr {
        Poco::JSON::Object::Ptr msg;
        if (hasData) {
            parser.reset();
            auto obj = parser.parse(data).extract<Poco::JSON::Object::Ptr>();
            if (obj->has("id") && !obj->isNull("id") && obj->getValue<long>("id") == id) {
                msg = obj;
            }
        }
        data.clear();
        hasData = false;
        return msg;
    };
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string::npos) {
            end = body.size();
        }
        std::string line = body.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            if (auto msg = tryEvent()) {
                return msg;
            }
        } else if (line.rfind("data:", 0) == 0) {
            const std::size_t skip = line.rfind("data: ", 0) == 0 ? 6 : 5;
            if (hasData) {
                data += '\n';
            }
            data += line.substr(skip);
            hasData = true;
        }
        pos = end + 1;
    }
    if (auto msg = tryEvent()) {
        return msg;
    }
    throw Poco::DataFormatException("SSE body holds no response to id " + std::to_string(id));
}

// A reusable barrier (std::barrier is C++20). The last thread to arrive runs `onComplete`
// under the lock before releasing the others, so they all see what it wrote.
class Barrier {
  public:
    explicit Barrier(int count) : count_(count) {}
    template <typename F>
    void arriveAndWait(F&& onComplete) {
        std::unique_lock<std::mutex> lock(mutex_);
        const int generation = generation_;
        if (++arrived_ == count_) {
            onComplete();
            arrived_ = 0;
            ++generation_;
            cv_.notify_all();
            return;
        }
        cv_.wait(lock, [&] { return generation != generation_; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_;
    int arrived_ = 0;
    int generation_ = 0;
};

struct Shared {
    explicit Shared(const Options& options) : opt(options), barrier(options.connections) {}

    const Options& opt;
    Barrier barrier;
    std::atomic<bool> setupFailed{false};
    std::atomic<long> warmupTickets{0};
    std::atomic<long> tickets{0};
    std::atomic<long> nextId{100};
    Clock::time_point warmupDeadline;  // written by the barrier's completion step
    Clock::time_point measuredStart;
    double measuredStartCpu = 0;  // this process's CPU seconds when the measured phase began
    Clock::time_point deadline;
    std::mutex errorMutex;
    std::string firstError;

    void noteError(const std::string& what) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (firstError.empty()) {
            firstError = what;
        }
    }
};

struct ThreadResult {
    std::vector<std::uint32_t> latenciesUs;
    long errors = 0;
    long json = 0;
    long sse = 0;
    long warmupDone = 0;  // warm-up requests answered (any outcome), not measured
    Clock::time_point finished;
};

class Connection {
  public:
    explicit Connection(Shared& shared) : shared_(shared), http_(shared.opt.host, shared.opt.port) {
        http_.setKeepAlive(true);
        http_.setTimeout(Poco::Timespan(10, 0));
    }

    // POST one JSON-RPC message; returns status, Content-Type and the whole body.
    int post(const std::string& body, std::string& contentType, std::string& out) {
        HTTPRequest req(HTTPRequest::HTTP_POST, shared_.opt.path, HTTPMessage::HTTP_1_1);
        req.setKeepAlive(true);
        req.setContentType("application/json");
        req.set("Accept", kAccept);
        if (!shared_.opt.bearer.empty()) req.set("Authorization", "Bearer " + shared_.opt.bearer);
        if (!sessionId_.empty()) {
            req.set("Mcp-Session-Id", sessionId_);
            req.set("MCP-Protocol-Version", protocolVersion_);
        }
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        http_.sendRequest(req) << body;
        HTTPResponse resp;
        std::istream& in = http_.receiveResponse(resp);
        out.clear();
        Poco::StreamCopier::copyToString(in, out);
        contentType = resp.getContentType();
        if (sessionId_.empty()) {
            sessionId_ = resp.get("Mcp-Session-Id", "");
        }
        return resp.getStatus();
    }

    void initialize() {
        const std::string init =
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":)" +
            jsonString(shared_.opt.protocolVersion) +
            R"(,"capabilities":{},"clientInfo":{"name":"mcph_loadgen","version":"1.0.0"}}})";
        std::string type;
        std::string body;
        const int status = post(init, type, body);
        if (status != 200 || sessionId_.empty()) {
            throw Poco::ProtocolException("initialize: HTTP " + std::to_string(status) +
                                          (sessionId_.empty() ? ", no Mcp-Session-Id" : ""));
        }
        auto msg = findResponse(type, body, 1);
        auto result = msg->getObject("result");
        if (!result) {
            throw Poco::ProtocolException("initialize failed: " + body);
        }
        protocolVersion_ = result->getValue<std::string>("protocolVersion");
        const int note =
            post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", type, body);
        if (note != 202) {
            throw Poco::ProtocolException("notifications/initialized: HTTP " +
                                          std::to_string(note));
        }
    }

    // One tools/call echo; returns the latency in microseconds or throws on any failure.
    std::uint32_t callEcho() {
        const long id = shared_.nextId.fetch_add(1);
        const std::string text = shared_.opt.text + " #" + std::to_string(id);
        const std::string req = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                                R"(,"method":"tools/call","params":{"name":"echo","arguments":)"
                                R"({"text":)" +
                                jsonString(text) + "}}}";
        std::string type;
        std::string body;
        const auto start = Clock::now();
        const int status = post(req, type, body);
        const auto stop = Clock::now();
        if (status != 200) {
            throw Poco::ProtocolException("tools/call: HTTP " + std::to_string(status) + ": " +
                                          body.substr(0, 200));
        }
        lastWasSse_ = type.rfind("text/event-stream", 0) == 0;
        auto msg = findResponse(type, body, id);
        auto result = msg->getObject("result");
        if (!result || (result->has("isError") && result->getValue<bool>("isError"))) {
            throw Poco::ProtocolException("tools/call failed: " + body.substr(0, 200));
        }
        auto content = result->getArray("content");
        if (!content || content->size() != 1 ||
            content->getObject(0)->getValue<std::string>("text") != text) {
            throw Poco::ProtocolException("tools/call echoed something else: " +
                                          body.substr(0, 200));
        }
        return static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(stop - start).count());
    }

    // One tools/call without credentials; the server must refuse it with 401 and a challenge.
    std::uint32_t callUnauthorized() {
        const long id = shared_.nextId.fetch_add(1);
        const std::string req = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                                R"(,"method":"tools/call","params":{"name":"echo","arguments":)"
                                R"({"text":"no token"}}})";
        HTTPRequest request(HTTPRequest::HTTP_POST, shared_.opt.path, HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        request.setContentType("application/json");
        request.set("Accept", kAccept);
        request.setContentLength(static_cast<std::streamsize>(req.size()));
        const auto start = Clock::now();
        http_.sendRequest(request) << req;
        HTTPResponse resp;
        std::istream& in = http_.receiveResponse(resp);
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(in, sink);
        const auto stop = Clock::now();
        if (resp.getStatus() != 401 || !resp.has("WWW-Authenticate")) {
            throw Poco::ProtocolException("expected 401 with WWW-Authenticate, got HTTP " +
                                          std::to_string(resp.getStatus()));
        }
        lastWasSse_ = false;
        return static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(stop - start).count());
    }

    // Ends the MCP session (not measured; failures ignored).
    void terminate() noexcept {
        try {
            HTTPRequest req(HTTPRequest::HTTP_DELETE, shared_.opt.path, HTTPMessage::HTTP_1_1);
            req.set("Mcp-Session-Id", sessionId_);
            req.set("MCP-Protocol-Version", protocolVersion_);
            http_.sendRequest(req);
            HTTPResponse resp;
            std::istream& in = http_.receiveResponse(resp);
            Poco::NullOutputStream sink;
            Poco::StreamCopier::copyStream(in, sink);
        } catch (...) {
        }
    }

    void reset() { http_.reset(); }
    bool lastWasSse() const { return lastWasSse_; }

  private:
    Shared& shared_;
    HTTPClientSession http_;
    std::string sessionId_;
    std::string protocolVersion_;
    bool lastWasSse_ = false;
};

std::string describe(const std::exception& e) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    return poco ? poco->displayText() : e.what();
}

// User + system CPU seconds used so far by this process (all threads).
double processCpuSeconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto sec = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return sec(ru.ru_utime) + sec(ru.ru_stime);
}

Clock::time_point after(double seconds) {
    return Clock::now() +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Runs calls while tickets last and the deadline is not reached; `measure` records them.
void runPhase(Shared& shared, Connection& conn, ThreadResult& r, std::atomic<long>& tickets,
              long limit, Clock::time_point deadline, bool measure) {
    int consecutive = 0;
    while (Clock::now() < deadline && tickets.fetch_add(1) < limit) {
        try {
            const std::uint32_t us =
                shared.opt.expectUnauthorized ? conn.callUnauthorized() : conn.callEcho();
            consecutive = 0;
            if (measure) {
                r.latenciesUs.push_back(us);
                (conn.lastWasSse() ? r.sse : r.json)++;
            } else {
                ++r.warmupDone;
            }
        } catch (const std::exception& e) {
            shared.noteError(describe(e));
            conn.reset();
            (measure ? r.errors : r.warmupDone)++;
            if (++consecutive >= kMaxConsecutiveErrors) {
                return;
            }
        }
    }
}

void runConnection(Shared& shared, ThreadResult& r) {
    const Options& opt = shared.opt;
    Connection conn(shared);
    try {
        if (!opt.expectUnauthorized) conn.initialize();
    } catch (const std::exception& e) {
        shared.noteError("setup: " + describe(e));
        shared.setupFailed = true;
    }
    // Every session is set up (or one failed): the warm-up starts everywhere at once.
    shared.barrier.arriveAndWait([&] { shared.warmupDeadline = after(opt.warmupSeconds); });
    if (shared.setupFailed) {
        return;
    }
    runPhase(shared, conn, r, shared.warmupTickets, opt.warmupRequests, shared.warmupDeadline,
             false);
    // The warm-up is over everywhere: the measured phase starts now.
    shared.barrier.arriveAndWait([&] {
        shared.measuredStart = Clock::now();
        shared.measuredStartCpu = processCpuSeconds();
        shared.deadline = after(opt.seconds);
    });
    runPhase(shared, conn, r, shared.tickets, opt.requests, shared.deadline, true);
    r.finished = Clock::now();
    if (!opt.expectUnauthorized) conn.terminate();
}

double percentile(const std::vector<std::uint32_t>& sorted, double q) {
    if (sorted.empty()) {
        return 0;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parseOptions(argc, argv);
    Shared shared(opt);
    std::vector<ThreadResult> results(static_cast<std::size_t>(opt.connections));
    std::vector<std::thread> threads;
    threads.reserve(results.size());
    for (auto& r : results) {
        r.latenciesUs.reserve(static_cast<std::size_t>(opt.requests / opt.connections + 1));
        threads.emplace_back(runConnection, std::ref(shared), std::ref(r));
    }
    for (auto& t : threads) {
        t.join();
    }
    const double cpuSeconds = processCpuSeconds() - shared.measuredStartCpu;
    if (shared.setupFailed) {
        std::cerr << "mcph_loadgen: session setup failed: " << shared.firstError << "\n";
        return 1;
    }

    std::vector<std::uint32_t> all;
    long errors = 0;
    long json = 0;
    long sse = 0;
    long warmupDone = 0;
    Clock::time_point end = shared.measuredStart;
    for (const auto& r : results) {
        all.insert(all.end(), r.latenciesUs.begin(), r.latenciesUs.end());
        errors += r.errors;
        json += r.json;
        sse += r.sse;
        warmupDone += r.warmupDone;
        end = std::max(end, r.finished);
    }
    std::sort(all.begin(), all.end());
    const double elapsed = std::chrono::duration<double>(end - shared.measuredStart).count();
    double sumMs = 0;
    for (const auto us : all) {
        sumMs += us / 1000.0;
    }
    const auto ok = static_cast<long>(all.size());

    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("label", opt.label);
    out.set("url", opt.url);
    out.set("connections", opt.connections);
    out.set("requests", ok + errors);
    out.set("ok", ok);
    out.set("errors", errors);
    out.set("duration_s", elapsed);
    out.set("throughput_rps", elapsed > 0 ? static_cast<double>(ok) / elapsed : 0.0);
    out.set("latency_ms_mean", ok > 0 ? sumMs / static_cast<double>(ok) : 0.0);
    out.set("latency_ms_p50", percentile(all, 0.50));
    out.set("latency_ms_p90", percentile(all, 0.90));
    out.set("latency_ms_p99", percentile(all, 0.99));
    out.set("latency_ms_max", all.empty() ? 0.0 : all.back() / 1000.0);
    out.set("responses_json", json);
    out.set("responses_sse", sse);
    out.set("warmup_requests_done", warmupDone);
    // The load generator's own CPU time in the measured phase (it shares the machine's cores).
    out.set("loadgen_cpu_us_per_req",
            ok + errors > 0 ? 1e6 * cpuSeconds / static_cast<double>(ok + errors) : 0.0);
    out.set("limit_requests", opt.requests);
    out.set("limit_seconds", opt.seconds);
    out.set("first_error", shared.firstError);
    out.stringify(std::cout);
    std::cout << std::endl;
    return 0;
}

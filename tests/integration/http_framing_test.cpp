// HTTP/1.1 framing over raw sockets, in every auth mode, on every route the host serves (read
// from its router, so a new route is covered by construction): a request body is never run as a
// second request, bogus request lines and ambiguous lengths are refused with an HTTP/1.1 status
// line and the connection closed, and a drained body leaves the connection usable.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>

#include "mcphost/auth/server/PasswordHash.h"
#include "support/HostProcess.h"
#include "support/RawHttp.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;

namespace {

// A complete request that, if it were ever parsed from a body, would earn its own 200.
const std::string kSmuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
// Sent after an answer on a connection that stayed open: its 404 must be the next thing read.
const std::string kSentinel = "GET /framing-sentinel HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
// The smallest mcp.maxRequestBytes, so that "more than the limit" stays a small request.
constexpr std::size_t kLimit = 1024;

// One host per auth mode, with whatever it needs to start (an issuer, an upstream, a users file).
struct ModeHost {
    std::unique_ptr<TempDir> dir = std::make_unique<TempDir>();
    std::unique_ptr<authtest::TestKey> key;
    std::unique_ptr<authtest::TestHttpServer> issuer;
    std::unique_ptr<StandInUpstream> upstream;
    std::unique_ptr<TestHost> host;
};

std::unique_ptr<ModeHost> startHost(const std::string& mode) {
    auto m = std::make_unique<ModeHost>();
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.mcp.maxRequestBytes = kLimit;
    if (mode == "native") {
        m->key = std::make_unique<authtest::TestKey>(authtest::TestKey::rsa("k1"));
        m->issuer = std::make_unique<authtest::TestHttpServer>();
        const std::string iss = m->issuer->url();
        m->issuer->serve("/.well-known/oauth-authorization-server", 200,
                         R"({"issuer":")" + iss + R"(","jwks_uri":")" + iss +
                             R"(/jwks","authorization_endpoint":")" + iss +
                             R"(/authorize","token_endpoint":")" + iss +
                             R"(/token","response_types_supported":["code"]})");
        m->issuer->serve("/jwks", 200, authtest::jwks({m->key->jwk()}));
        mcph::auth::ResourceServerOptions oidc;
        oidc.issuer = iss;
        config.auth.provider = "oidc";
        config.auth.settings = oidc;
    } else if (mode == "proxy") {
        m->upstream = std::make_unique<StandInUpstream>();
        config.auth.provider = "proxy";
        config.auth.settings = m->upstream->proxySettings(m->dir->path() + "/auth.db");
    } else if (mode == "local") {
        using mcph::auth::server::PasswordHash;
        std::ofstream(m->dir->path() + "/users.json")
            << R"({"users":[{"username":"alice","password":")"
            << PasswordHash::hash("pw", PasswordHash::kMinimumIterations) << R"("}]})";
        mcph::auth::server::AuthorizationServerOptions s;
        s.providerName = "local";
        s.usersFile = m->dir->path() + "/users.json";
        s.storeFile = m->dir->path() + "/auth.db";
        config.auth.provider = "local";
        config.auth.settings = s;
    }
    m->host = std::make_unique<TestHost>(config);
    return m;
}

class HttpFraming : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        std::signal(SIGPIPE,
                    SIG_IGN);  // a write to a connection the host closed must not end the test
        mode_ = startHost(GetParam());
    }
    unsigned short port() const { return mode_->host->port(); }
    std::vector<std::string> routes() const { return mode_->host->server().routePaths(); }

    // The request was answered exactly once: after the first answer the connection is closed, or
    // the next answer is the sentinel's (not the one a body run as a request would get).
    static void expectOneAnswer(RawHttpConnection& c, bool head, const std::string& what,
                                bool mustClose = false) {
        auto first = c.next(head);
        ASSERT_TRUE(first) << what << ": no answer";
        EXPECT_EQ(first->statusLine.substr(0, 9), "HTTP/1.1 ") << what;
        if (mustClose)
            EXPECT_TRUE(first->closes()) << what << ": the answer must say Connection: close";
        if (first->closes()) {
            EXPECT_TRUE(c.closedByServer()) << what << ": bytes after a closing answer";
            return;
        }
        try {
            c.send(kSentinel);
        } catch (const std::exception&) {
            return;  // closed under us: no second answer can come
        }
        auto second = c.next();
        if (!second) return;
        EXPECT_EQ(second->status, 404)
            << what << ": a second answer: " << second->statusLine << " " << second->body;
        EXPECT_EQ(second->body, R"({"error":"not_found"})") << what;
    }

    static void expectRefusedAndClosed(unsigned short port, const std::string& bytes, int status) {
        RawHttpConnection c(port);
        c.send(bytes);
        auto answer = c.next();
        ASSERT_TRUE(answer) << bytes;
        EXPECT_EQ(answer->statusLine.substr(0, 12), "HTTP/1.1 " + std::to_string(status)) << bytes;
        EXPECT_TRUE(c.closedByServer()) << bytes;
    }

    std::unique_ptr<ModeHost> mode_;
};

std::string chunked(const std::string& body) {
    std::ostringstream out;
    out << std::hex << body.size() << "\r\n" << body << "\r\n0\r\n\r\n";
    return out.str();
}

TEST_P(HttpFraming, EveryRouteAnswersABodyThatIsARequestOnce) {
    std::vector<std::string> paths = routes();
    ASSERT_FALSE(paths.empty());
    paths.push_back("/no-such-path");
    const std::string overLimit = kSmuggled + std::string(2 * kLimit, 'x');
    for (const auto& path : paths) {
        for (const std::string method :
             {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
            const std::string line = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
            const bool head = method == "HEAD";
            const std::string what = GetParam() + " " + method + " " + path;
            for (const std::string type :
                 {"application/json", "application/x-www-form-urlencoded"}) {
                RawHttpConnection c(port());
                c.send(line + "Content-Type: " + type + "\r\nContent-Length: " +
                       std::to_string(kSmuggled.size()) + "\r\n\r\n" + kSmuggled);
                expectOneAnswer(c, head, what + " (Content-Length, " + type + ")");
            }
            {
                RawHttpConnection c(port());
                c.send(line +
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       chunked(kSmuggled));
                expectOneAnswer(c, head, what + " (chunked)", /*mustClose=*/true);
            }
            {
                RawHttpConnection c(port());
                c.send(line + "Content-Type: application/json\r\nContent-Length: " +
                       std::to_string(overLimit.size()) + "\r\n\r\n" + overLimit);
                expectOneAnswer(c, head, what + " (over the limit)", /*mustClose=*/true);
            }
        }
    }
}

TEST_P(HttpFraming, BogusVersionsAndJunkRequestLinesAreRefusedAndClosed) {
    expectRefusedAndClosed(port(), "GET /healthz XTTP/9\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expectRefusedAndClosed(port(), "GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505);
    expectRefusedAndClosed(port(), "GET /healthz HTTP/1.2\r\nHost: 127.0.0.1\r\n\r\n", 505);
    expectRefusedAndClosed(port(), "GET /healthz\r\nHost: 127.0.0.1\r\n\r\n",
                           400);  // no version: "Host:" is not one
    expectRefusedAndClosed(port(), "G@T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expectRefusedAndClosed(port(), "GET healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expectRefusedAndClosed(port(), "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    // A JSON-RPC body read as a request line (what an unread body used to become).
    expectRefusedAndClosed(port(),
                           "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}\r\n\r\n", 400);
    expectRefusedAndClosed(
        port(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}\r\n\r\n",
        400);
}

TEST_P(HttpFraming, AmbiguousLengthsAndBadHeadersAreRefusedAndClosed) {
    const std::string post = "POST /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    expectRefusedAndClosed(
        port(), post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("abcd"),
        400);
    expectRefusedAndClosed(
        port(), post + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked("abcd"), 501);
    expectRefusedAndClosed(
        port(), post + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked("abcd"), 400);
    expectRefusedAndClosed(
        port(), post + "Transfer-Encoding: identity\r\nContent-Length: 4\r\n\r\nabcd", 400);
    expectRefusedAndClosed(
        port(),
        "POST /no-such-path HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("abcd"), 400);
    expectRefusedAndClosed(port(), post + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
                           400);
    expectRefusedAndClosed(port(), post + "Content-Length: -4\r\n\r\nabcd", 400);
    // A Content-Length that is not a number at all makes Poco's request parser throw before any
    // handler exists: the connection is closed without an answer, and nothing is served.
    for (const std::string bad : {"4, 4", "0x4", "four"}) {
        RawHttpConnection c(port());
        c.send(post + "Content-Length: " + bad + "\r\n\r\nabcd" + kSmuggled);
        EXPECT_FALSE(c.next()) << "Content-Length: " << bad;
    }
    expectRefusedAndClosed(port(), post + "Transfer-Encoding : chunked\r\n\r\n" + chunked("abcd"),
                           400);
    expectRefusedAndClosed(port(), post + "X-Note: a\rb\r\nContent-Length: 0\r\n\r\n", 400);
    expectRefusedAndClosed(port(), "GET /healthz HTTP/1.1\r\n\r\n", 400);  // HTTP/1.1 without Host
    expectRefusedAndClosed(port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
}

TEST_P(HttpFraming, ADrainedBodyKeepsTheConnectionForTheNextRequest) {
    RawHttpConnection c(port());
    // Pipelined: a refused request with a small body, then a real one, in one write.
    c.send("POST /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello" +
           kSmuggled);
    auto refused = c.next();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 404);
    EXPECT_FALSE(refused->closes());
    auto health = c.next();
    ASSERT_TRUE(health) << "the connection was closed instead of kept";
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(health->body, R"({"status":"ok"})");
}

TEST_P(HttpFraming, APostWithoutALengthHasAnEmptyBodyAndIsAnsweredAtOnce) {
    // No Content-Length and no Transfer-Encoding: the body is empty (RFC 9112 §6.3), not "until
    // the client closes", so every POST route answers without waiting, on a connection that stays.
    for (const auto& path : routes()) {
        RawHttpConnection c(port());
        c.send("POST " + path +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n");
        expectOneAnswer(c, false, GetParam() + " POST " + path + " (no length)");
    }
}

INSTANTIATE_TEST_SUITE_P(AuthModes, HttpFraming,
                         ::testing::Values("none", "native", "proxy", "local"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             return info.param;
                         });

}  // namespace

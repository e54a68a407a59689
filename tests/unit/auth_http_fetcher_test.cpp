// PocoHttpFetcher against real local servers: size cap, no redirects, timeouts, refused
// connections, and an HTTPS server whose self-signed certificate must not be trusted.
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <fstream>

#include "auth_test_support.h"
#include "integration/support/TestCertificates.h"
#include "mcphost/auth/PocoHttpFetcher.h"

using namespace authtest;
using mcph::auth::HttpFetcherOptions;
using mcph::auth::PocoHttpFetcher;

namespace {

mcph::auth::PocoHttpFetcher fetcherWithCap(std::size_t cap) {
    HttpFetcherOptions o;
    o.maxResponseBytes = cap;
    return PocoHttpFetcher(o);
}

}  // namespace

TEST(AuthHttpFetcherTest, ReturnsStatusContentTypeAndBody) {
    TestHttpServer server;
    server.serve("/doc", 200, "{\"a\":1}", "application/json; charset=utf-8");
    PocoHttpFetcher fetcher;
    const auto r = fetcher.get(server.url("/doc"));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.response->status, 200);
    EXPECT_EQ(r.response->contentType, "application/json; charset=utf-8");
    EXPECT_EQ(r.response->body, "{\"a\":1}");
    EXPECT_EQ(fetcher.get(server.url("/missing")).response->status, 404);
}

TEST(AuthHttpFetcherTest, PostsAFormWithHeaders) {
    TestHttpServer server;
    server.serve("/form", 200, "{}");
    PocoHttpFetcher fetcher;
    ASSERT_TRUE(
        fetcher.postForm(server.url("/form"), "a=1&b=2", {{"Authorization", "Basic eDp5"}}).ok());
    const auto req = server.lastRequest("/form");
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.body, "a=1&b=2");
    EXPECT_EQ(req.headers.at("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(req.headers.at("Authorization"), "Basic eDp5");
}

TEST(AuthHttpFetcherTest, EnforcesTheSizeCapWithAndWithoutContentLength) {
    TestHttpServer server;
    auto fetcher = fetcherWithCap(1000);
    server.serve("/exact", 200, std::string(1000, 'x'));
    server.serve("/over", 200, std::string(1001, 'x'));
    server.route("/chunked-over", [](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{200, std::string(5000, 'x'), "application/json", {}, true};
    });
    server.route("/chunked-exact", [](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{200, std::string(1000, 'x'), "application/json", {}, true};
    });
    EXPECT_TRUE(fetcher.get(server.url("/exact")).ok());
    EXPECT_TRUE(fetcher.get(server.url("/chunked-exact")).ok());
    for (const std::string path : {"/over", "/chunked-over"}) {
        SCOPED_TRACE(path);
        const auto r = fetcher.get(server.url(path));
        EXPECT_FALSE(r.ok());
        EXPECT_NE(r.error.find("larger than 1000 bytes"), std::string::npos) << r.error;
        EXPECT_EQ(r.error.find("xxxx"), std::string::npos) << "the body is never echoed";
    }
}

TEST(AuthHttpFetcherTest, DoesNotFollowRedirects) {
    TestHttpServer server;
    server.serve("/target", 200, "{}");
    server.route("/moved", [&server](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{
            302, "", "text/plain", {{"Location", server.url("/target")}}, false};
    });
    PocoHttpFetcher fetcher;
    const auto r = fetcher.get(server.url("/moved"));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.response->status, 302);
    EXPECT_EQ(server.hits("/target"), 0);
}

TEST(AuthHttpFetcherTest, TimesOutOnASilentServer) {
    TestHttpServer server;
    auto gate = std::make_shared<Gate>();
    server.route("/slow", [gate](const TestHttpServer::Request&) {
        gate->wait();
        return TestHttpServer::Reply{200, "{}"};
    });
    HttpFetcherOptions o;
    o.readTimeout = std::chrono::milliseconds(200);
    PocoHttpFetcher fetcher(o);
    const auto started = std::chrono::steady_clock::now();
    const auto r = fetcher.get(server.url("/slow"));
    gate->open();
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("imeout"), std::string::npos) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(AuthHttpFetcherTest, ReportsRefusedConnectionsAndBadUrls) {
    TestHttpServer server;
    const std::string url = server.url("/x");
    server.stop();
    PocoHttpFetcher fetcher;
    EXPECT_FALSE(fetcher.get(url).ok());
    for (const std::string bad :
         {"ftp://127.0.0.1/x", "file:///etc/passwd", "http://user:pw@127.0.0.1/x", "nonsense"}) {
        SCOPED_TRACE(bad);
        const auto r = fetcher.get(bad);
        EXPECT_FALSE(r.ok());
        EXPECT_FALSE(r.error.empty());
    }
}

namespace {

class OkHandler : public Poco::Net::HTTPRequestHandler {
    void handleRequest(Poco::Net::HTTPServerRequest&,
                       Poco::Net::HTTPServerResponse& resp) override {
        resp.setContentLength(2);
        resp.send() << "{}";
    }
};
class OkFactory : public Poco::Net::HTTPRequestHandlerFactory {
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new OkHandler;
    }
};

}  // namespace

TEST(AuthHttpFetcherTest, RefusesAnUntrustedCertificate) {
    PocoHttpFetcher fetcher;  // initialises SSL
    Poco::TemporaryFile keyFile, certFile;
    // A self-signed certificate for 127.0.0.1 and its key in temporary PEM files.
    mcph::testing::writeSelfSignedCertificate(keyFile.path(), certFile.path(), "127.0.0.1");
    Poco::Net::Context::Ptr serverContext =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile.path(), certFile.path(),
                               "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64,
                                         serverContext);
    const auto port = socket.address().port();
    Poco::ThreadPool pool(1, 4);
    Poco::Net::HTTPServer server(new OkFactory, pool, socket, new Poco::Net::HTTPServerParams);
    server.start();
    const auto r = fetcher.get("https://127.0.0.1:" + std::to_string(port) + "/");
    server.stopAll(true);
    pool.joinAll();
    EXPECT_FALSE(r.ok()) << "a self-signed certificate was accepted";
    EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
}

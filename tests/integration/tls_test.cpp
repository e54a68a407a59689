// MCP over HTTPS: the host serves TLS itself when server.tls is set.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestCertificates.h"
#include "support/TestHost.h"

using namespace mcph::testing;

TEST(Tls, ServesMcpOverHttpsAndRefusesPlainHttp) {
    TempDir dir;
    // A throwaway self-signed certificate for 127.0.0.1 (CN and subjectAltName IP:127.0.0.1).
    writeSelfSignedCertificate(dir.path() + "/key.pem", dir.path() + "/cert.pem", "127.0.0.1");
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.server.tls.certificateFile = dir.path() + "/cert.pem";
    config.server.tls.privateKeyFile = dir.path() + "/key.pem";
    TestHost host(config);
    EXPECT_EQ(host.server().mcpUrl().rfind("https://127.0.0.1:", 0), 0u);

    // The client trusts exactly this certificate and verifies it.
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dir.path() + "/cert.pem",
                                                         Poco::Net::Context::VERIFY_STRICT, 9, false);
    Poco::Net::HTTPSClientSession https("127.0.0.1", host.port(), ctx);
    Poco::Net::HTTPRequest req("POST", "/mcp", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})");
    req.setContentType("application/json");
    req.set("Accept", "application/json, text/event-stream");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    https.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string answer;
    Poco::StreamCopier::copyToString(https.receiveResponse(resp), answer);
    EXPECT_EQ(resp.getStatus(), 200);
    EXPECT_NE(answer.find("\"protocolVersion\":\"2025-11-25\""), std::string::npos);
    EXPECT_FALSE(resp.get("Mcp-Session-Id", "").empty());

    // Plain HTTP to the TLS port gets no MCP answer.
    HttpClient plain(host.port());
    EXPECT_ANY_THROW(plain.post(body));
}

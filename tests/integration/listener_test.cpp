// The listening socket is exclusive: SO_REUSEADDR, never SO_REUSEPORT. A second instance on a
// port that is in use must fail with "address in use" instead of starting and silently taking a
// share of the first one's connections.
#include <gtest/gtest.h>

#include <Poco/Net/NetException.h>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestCertificates.h"
#include "support/TestHost.h"

using namespace mcph::testing;

TEST(Listener, ASecondHostOnAPortInUseFailsInsteadOfSharingIt) {
    TestHost first(testConfig(MCPH_PLUGINS_DIR));
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.server.port = first.port();
    // In-process first: were the port shared, the process below would run instead of exiting.
    ASSERT_THROW(TestHost second(config), Poco::Net::NetException);
    HttpClient c(first.port());
    EXPECT_EQ(c.request("GET", "/healthz").status, 200) << "the first host keeps serving";

    TempDir dir;
    const std::string file = dir.write(
        "taken.json", R"({"server":{"host":"127.0.0.1","port":)" + std::to_string(first.port()) +
                          R"(},"plugins":{"dir":")" + std::string(MCPH_PLUGINS_DIR) + R"("},"auth":{"provider":"none"}})");
    const RunResult r = runHost({"--config", file});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("in use"), std::string::npos) << r.err;
}

TEST(Listener, ASecondTlsHostOnAPortInUseFailsToo) {
    TempDir dir;
    writeSelfSignedCertificate(dir.path() + "/key.pem", dir.path() + "/cert.pem");
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.server.tls.certificateFile = dir.path() + "/cert.pem";
    config.server.tls.privateKeyFile = dir.path() + "/key.pem";
    TestHost first(config);
    config.server.port = first.port();
    try {
        TestHost second(config);
        FAIL() << "a second TLS listener was bound to port " << first.port();
    } catch (const Poco::Net::NetException& e) {
        EXPECT_NE(e.displayText().find("in use"), std::string::npos) << e.displayText();
    }
}

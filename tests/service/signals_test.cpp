// Signals on the real binary: SIGHUP reloads and never exits, SIGUSR1/SIGUSR2/SIGPIPE are
// survived, --daemon is gone.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/X509Certificate.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "ServiceProcess.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/OAuthBrowser.h"
#include "support/TestCertificates.h"

namespace mcph::testing {
namespace {

// The password of etc/users.example.json's "demo"; two users share it here.
constexpr const char* kPassword = "demo-password";
constexpr const char* kHash =
    "pbkdf2-sha256$600000$aNxecgzTbW3xiHXYHW_mKw$uUOmDiZGRwnSndATkQpyXnca7e8EFw-fFTrDnHNMFQI";

std::string usersJson(const std::vector<std::string>& names) {
    std::string users;
    for (const auto& n : names) {
        users += std::string(users.empty() ? "" : ",") + R"({"username":")" + n +
                 R"(","password":")" + kHash + "\"}";
    }
    return "{\"users\": [" + users + "]}";
}

std::string config(const std::string& extraServer, const std::string& auth,
                   const std::string& level) {
    return R"({"server": {"host": "127.0.0.1", "port": 0)" + extraServer + R"(},
               "plugins": {"dir": ")" MCPH_PLUGINS_DIR R"("},
               "auth": )" +
           auth + R"(,
               "logging": {"level": ")" +
           level + "\"}}";
}

int healthz(unsigned short port) { return HttpClient(port).request("GET", "/healthz").status; }

// Signs `user` in on the host's page and redeems the code; the access token, or "".
std::string signIn(unsigned short port, const std::string& user) {
    HttpClient c(port);
    auto reg = c.request("POST", "/register", R"({"redirect_uris":["http://127.0.0.1:9/cb"]})",
                         {{"Content-Type", "application/json"}});
    if (reg.status != 201) return "";
    const std::string clientId = reg.json()->getValue<std::string>("client_id");
    const auto pkce = newPkce();
    OAuthBrowser browser(port);
    auto page = browser.get("/authorize?" + formEncode({{"response_type", "code"},
                                                        {"client_id", clientId},
                                                        {"redirect_uri", "http://127.0.0.1:9/cb"},
                                                        {"code_challenge", pkce.challenge},
                                                        {"code_challenge_method", "S256"}}));
    auto ok = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"username", user},
                                              {"password", kPassword},
                                              {"decision", "approve"}});
    if (ok.status != 302) return "";
    auto tokens = c.request("POST", "/token",
                            formEncode({{"grant_type", "authorization_code"},
                                        {"code", queryOf(ok.header("location"))["code"]},
                                        {"redirect_uri", "http://127.0.0.1:9/cb"},
                                        {"code_verifier", pkce.verifier},
                                        {"client_id", clientId}}),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    if (tokens.status != 200) return "";
    return tokens.json()->getValue<std::string>("access_token");
}

int initializeWith(unsigned short port, const std::string& token) {
    return HttpClient(port)
        .post(
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
            "", {{"Authorization", "Bearer " + token}})
        .status;
}

class Signals : public ::testing::Test {
  protected:
    TempDir dir_;
    std::string log_ = dir_.path() + "/host.log";
};

TEST_F(Signals, SighupWithNothingChangedKeepsServingAndSaysSo) {
    const std::string file =
        dir_.write("host.json", config("", R"({"provider": "none"})", "information"));
    ServiceProcess host({"--config", file}, log_);
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("reload: nothing changed")) << host.log();
    EXPECT_TRUE(host.running());
    EXPECT_EQ(healthz(host.port()), 200);
    EXPECT_EQ(host.stop(), 0);
}

TEST_F(Signals, SighupAppliesTheLogLevelAndNamesKeysThatNeedARestart) {
    const std::string file =
        dir_.write("host.json", config("", R"({"provider": "none"})", "information"));
    ServiceProcess host({"--config", file}, log_);
    dir_.write("host.json", config(R"(, "threads": 8)", R"({"provider": "none"})", "debug"));
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("reload: logging.level information -> debug")) << host.log();
    EXPECT_TRUE(host.waitForLog("takes effect at the next restart: server.threads")) << host.log();
    EXPECT_EQ(healthz(host.port()), 200);
}

TEST_F(Signals, AConfigThatNoLongerValidatesChangesNothing) {
    const std::string file =
        dir_.write("host.json", config("", R"({"provider": "none"})", "information"));
    ServiceProcess host({"--config", file}, log_);
    dir_.write("host.json", config(R"(, "port": "eighty")", R"({"provider": "none"})", "debug"));
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("has problems; nothing changed")) << host.log();
    EXPECT_NE(host.log().find("server.port"), std::string::npos) << host.log();
    EXPECT_EQ(host.log().find("logging.level information -> debug"), std::string::npos);
    EXPECT_EQ(healthz(host.port()), 200);
    EXPECT_TRUE(host.running());
}

TEST_F(Signals, SigusrAndSigpipeDoNotStopTheHost) {
    const std::string file =
        dir_.write("host.json", config("", R"({"provider": "none"})", "information"));
    ServiceProcess host({"--config", file}, log_);
    host.signal(SIGUSR1);
    host.signal(SIGUSR2);
    host.signal(SIGPIPE);
    ASSERT_TRUE(host.waitForLog("SIGUSR1: ignored")) << host.log();
    ASSERT_TRUE(host.waitForLog("SIGUSR2: ignored")) << host.log();
    EXPECT_TRUE(host.running());
    EXPECT_EQ(healthz(host.port()), 200);
    EXPECT_EQ(host.stop(), 0);
    EXPECT_NE(host.log().find("SIGTERM: stopping"), std::string::npos) << host.log();
}

TEST_F(Signals, SighupRereadsTheUsersFileAndARemovedUserIsLockedOut) {
    const std::string users = dir_.write("users.json", usersJson({"alice", "bob"}));
    const std::string auth =
        R"({"provider": "local", "users": "users.json", "store": {"sqlite": ")" + dir_.path() +
        R"(/auth.db"}})";
    const std::string file = dir_.write("host.json", config("", auth, "information"));
    ServiceProcess host({"--config", file}, log_);
    const std::string bobToken = signIn(host.port(), "bob");
    ASSERT_FALSE(bobToken.empty()) << host.log();
    ASSERT_EQ(initializeWith(host.port(), bobToken), 200);

    dir_.write("users.json", usersJson({"alice", "carol"}));
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("added carol; removed bob; stored grants: 1 ended")) << host.log();
    EXPECT_EQ(signIn(host.port(), "bob"), "");
    EXPECT_EQ(initializeWith(host.port(), bobToken), 401);  // the grant ended with the user
    EXPECT_FALSE(signIn(host.port(), "carol").empty());
    EXPECT_FALSE(signIn(host.port(), "alice").empty());
    EXPECT_EQ(host.log().find(kHash), std::string::npos);
}

TEST_F(Signals, AnUnusableUsersFileOnReloadKeepsTheUsersInUse) {
    dir_.write("users.json", usersJson({"alice"}));
    const std::string auth =
        R"({"provider": "local", "users": "users.json", "store": {"sqlite": ")" + dir_.path() +
        R"(/auth.db"}})";
    const std::string file = dir_.write("host.json", config("", auth, "information"));
    ServiceProcess host({"--config", file}, log_);
    dir_.write("users.json", R"({"users": [{"username": "alice", "password": "plain"}]})");
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("has problems; nothing changed")) << host.log();
    EXPECT_FALSE(signIn(host.port(), "alice").empty());
}

std::string servedFingerprint(unsigned short port) {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                             Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureStreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), context);
    socket.completeHandshake();
    return socket.peerCertificate().commonName();
}

TEST_F(Signals, SighupServesANewTlsCertificateToNewConnections) {
    const std::string key = dir_.path() + "/server.key", cert = dir_.path() + "/server.crt";
    writeSelfSignedCertificate(key, cert, "first.test");
    const std::string tls =
        R"(, "tls": {"certificateFile": "server.crt", "privateKeyFile": "server.key"})";
    const std::string file =
        dir_.write("host.json", config(tls, R"({"provider": "none"})", "information"));
    ServiceProcess host({"--config", file}, log_);
    ASSERT_EQ(servedFingerprint(host.port()), "first.test");

    // Unchanged files: nothing to do.
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("TLS certificate unchanged")) << host.log();

    // A key that does not fit the certificate is refused; the old pair stays.
    writeSelfSignedCertificate(dir_.path() + "/other.key", dir_.path() + "/other.crt",
                               "other.test");
    std::filesystem::copy_file(dir_.path() + "/other.key", key,
                               std::filesystem::copy_options::overwrite_existing);
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("TLS certificate kept")) << host.log();
    EXPECT_EQ(servedFingerprint(host.port()), "first.test");

    writeSelfSignedCertificate(key, cert, "second.test");
    host.signal(SIGHUP);
    ASSERT_TRUE(host.waitForLog("TLS certificate replaced")) << host.log();
    EXPECT_EQ(servedFingerprint(host.port()), "second.test");
    EXPECT_TRUE(host.running());
}

TEST(CommandLine, DaemonIsNotAnOption) {
    const RunResult r = runHost({"--daemon"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("daemon"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mcph::testing

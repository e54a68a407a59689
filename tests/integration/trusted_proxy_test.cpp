// Rate limits behind a reverse proxy, over real HTTP: when the peer (this test, 127.0.0.1) is a
// trusted proxy, each client it names in X-Forwarded-For / Forwarded has its own sign-in bucket
// (IPv6 clients one per /64); from an untrusted peer the same headers change nothing. And the
// per-account back-off holds whichever addresses the guesses come from.
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>

#include "config/IpNetwork.h"
#include "mcphost/auth/server/PasswordHash.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/OAuthBrowser.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

constexpr const char* kRedirect = "http://127.0.0.1:9/cb";

// A host with the `local` provider (user "alice") that trusts `trustedProxies` to name the
// client in `header`.
class ProxiedHost {
  public:
    explicit ProxiedHost(const std::vector<std::string>& trustedProxies,
                         mcph::config::ForwardedHeader header = mcph::config::ForwardedHeader::XForwardedFor) {
        Poco::File(std::string(MCPH_PLUGINS_DIR) + "/whoami.so").copyTo(plugins_.path());
        using mcph::auth::server::PasswordHash;
        std::ofstream(dir_.path() + "/users.json")
            << R"({"users":[{"username":"alice","password":")"
            << PasswordHash::hash("correct horse", PasswordHash::kMinimumIterations) << R"("}]})";
        auto config = testConfig(plugins_.path());
        std::string problem;
        for (const auto& p : trustedProxies)
            config.server.trustedProxies.push_back(*mcph::config::IpNetwork::parse(p, problem));
        config.server.forwardedHeader = header;
        mcph::auth::server::AuthorizationServerOptions s;
        s.providerName = "local";
        s.usersFile = dir_.path() + "/users.json";
        s.storeFile = dir_.path() + "/auth.db";
        config.auth.provider = "local";
        config.auth.settings = s;
        host_ = std::make_unique<TestHost>(config);
        HttpClient c(port());
        auto reg = c.request("POST", "/register",
                             std::string(R"({"redirect_uris":[")") + kRedirect + "\"]}",
                             {{"Content-Type", "application/json"}});
        EXPECT_EQ(reg.status, 201) << reg.body;
        clientId_ = Poco::JSON::Parser()
                        .parse(reg.body)
                        .extract<Poco::JSON::Object::Ptr>()
                        ->getValue<std::string>("client_id");
    }

    unsigned short port() const { return host_->port(); }

    // One password attempt on a fresh sign-in page, with `headers` on both requests (as a proxy
    // adds them to every request of its client). The status of the answer, and the answer.
    HttpReply attempt(const std::map<std::string, std::string>& headers, const std::string& user,
                      const std::string& password) {
        OAuthBrowser browser(port());
        auto page = browser.get("/authorize?" + formEncode({{"response_type", "code"},
                                                            {"client_id", clientId_},
                                                            {"redirect_uri", kRedirect},
                                                            {"code_challenge", newPkce().challenge},
                                                            {"code_challenge_method", "S256"}}),
                                headers);
        EXPECT_EQ(page.status, 200) << page.body;
        return browser.postForm("/authorize",
                                {{"ticket", hiddenField(page.body, "ticket")},
                                 {"csrf_token", hiddenField(page.body, "csrf_token")},
                                 {"username", user},
                                 {"password", password},
                                 {"decision", "approve"}},
                                headers);
    }

    // Wrong passwords, each for another username (so no account backs off), until the address
    // limit answers 429; how many were refused as wrong before that, -1 if it never did.
    int guessUntilLimited(const std::map<std::string, std::string>& headers) {
        for (int i = 0; i < 30; ++i) {
            auto reply = attempt(headers, "nobody-" + std::to_string(counter_++), "guess");
            if (reply.status == 429) return i;
            EXPECT_EQ(reply.status, 401) << reply.body;
        }
        return -1;
    }

  private:
    TempDir dir_;
    TempDir plugins_;
    std::unique_ptr<TestHost> host_;
    std::string clientId_;
    int counter_ = 0;
};

std::map<std::string, std::string> xff(const std::string& client) {
    return {{"X-Forwarded-For", client}};
}

}  // namespace

TEST(TrustedProxy, ClientsNamedByATrustedProxyHaveTheirOwnSignInBuckets) {
    ProxiedHost host({"127.0.0.1"});
    // The host allows 10 password attempts a minute per address (one more may have refilled).
    EXPECT_GE(host.guessUntilLimited(xff("198.51.100.1")), 10);
    auto limited = host.attempt(xff("198.51.100.1"), "alice", "correct horse");
    EXPECT_EQ(limited.status, 429);
    EXPECT_NE(limited.header("retry-after"), "");
    EXPECT_NE(limited.body.find("Too many sign-in attempts"), std::string::npos);
    // Another user behind the same proxy is not locked out by the first one's guesses.
    EXPECT_EQ(host.attempt(xff("198.51.100.2"), "alice", "correct horse").status, 302);
    // A forged hop in front of the one the proxy appended does not buy a fresh bucket.
    EXPECT_EQ(host.attempt(xff("203.0.113.77, 198.51.100.1"), "alice", "correct horse").status,
              429);
    // A client's own Forwarded header, passed through by a proxy that appends X-Forwarded-For,
    // is never read: it buys no fresh bucket.
    EXPECT_EQ(host.attempt({{"Forwarded", "for=203.0.113.88"}, {"X-Forwarded-For", "198.51.100.1"}},
                           "alice", "correct horse")
                  .status,
              429);
}

TEST(TrustedProxy, ForwardedNamesClientsPerSlash64WhenConfigured) {
    ProxiedHost host({"127.0.0.1"}, mcph::config::ForwardedHeader::Forwarded);
    // Forwarded (RFC 7239), quoted IPv6 with a port included.
    EXPECT_GE(host.guessUntilLimited({{"Forwarded", "for=\"[2001:db8:1:2::1]:4711\""}}), 10);
    // Another address in the same /64 is the same client; the next /64 is not.
    EXPECT_EQ(
        host.attempt({{"Forwarded", "for=\"[2001:db8:1:2::abcd]\""}}, "alice", "correct horse")
            .status,
        429);
    EXPECT_EQ(
        host.attempt({{"Forwarded", "for=\"[2001:db8:1:3::1]\""}}, "alice", "correct horse").status,
        302);
}

TEST(TrustedProxy, TheSameHeadersFromAnUntrustedPeerAreIgnored) {
    ProxiedHost host({"10.0.0.0/8"});  // the test connects from 127.0.0.1: not a trusted proxy
    EXPECT_GE(host.guessUntilLimited(xff("198.51.100.1")), 10);
    // Every header names another client, yet all of them are the peer, whose bucket is empty.
    EXPECT_EQ(host.attempt(xff("198.51.100.2"), "alice", "correct horse").status, 429);
    EXPECT_EQ(host.attempt({{"Forwarded", "for=198.51.100.3"}}, "alice", "correct horse").status,
              429);
    EXPECT_EQ(host.attempt({}, "alice", "correct horse").status, 429);
}

TEST(TrustedProxy, AnAccountBacksOffWhateverAddressesTheGuessesComeFrom) {
    ProxiedHost host({"127.0.0.1"});
    // Five wrong passwords for alice, each from another address: no address limit is reached.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(host.attempt(xff("198.51.100." + std::to_string(i + 1)), "alice", "guess").status,
                  401)
            << i;
    }
    // Now even the right password from a fresh address waits; the answer says for how long.
    auto waiting = host.attempt(xff("198.51.100.50"), "alice", "correct horse");
    EXPECT_EQ(waiting.status, 429);
    EXPECT_NE(waiting.header("retry-after"), "");
    EXPECT_NE(waiting.body.find("Too many sign-in attempts"), std::string::npos);
    // A username that does not exist gets exactly the same treatment.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(
            host.attempt(xff("198.51.100." + std::to_string(i + 100)), "mallory", "guess").status,
            401)
            << i;
    }
    auto unknown = host.attempt(xff("198.51.100.150"), "mallory", "guess");
    EXPECT_EQ(unknown.status, 429);
    EXPECT_NE(unknown.header("retry-after"), "");
    // Other accounts are untouched.
    EXPECT_EQ(host.attempt(xff("198.51.100.200"), "bob", "x").status, 401);
}

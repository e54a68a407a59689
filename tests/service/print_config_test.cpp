// --print-config on the real binary: the effective configuration with every default, secrets
// redacted; the state directory; server.publicUrl ending with mcp.path refused.
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/ConfigLoader.h"
#include "config/EffectiveConfig.h"
#include "config/StateDirectory.h"
#include "config/reader/JsonTextScanner.h"
#include "support/HostProcess.h"

namespace mcph::testing {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

RunResult runWithEnv(const std::vector<std::string>& args, const Poco::Process::Env& env) {
    Poco::Pipe out, err;
    auto handle = Poco::Process::launch(MCPH_HOST_BIN, args, "", nullptr, &out, &err, env);
    Poco::PipeInputStream outStream(out), errStream(err);
    RunResult r;
    Poco::StreamCopier::copyToString(errStream, r.err);
    Poco::StreamCopier::copyToString(outStream, r.out);
    r.exitCode = handle.wait();
    return r;
}

TEST(PrintConfig, SecretsAreRedactedAndDefaultsFilledIn) {
    TempDir dir;
    const std::string file = dir.write("host.json", R"({
      "server": {"publicUrl": "https://mcp.example.com", "stateDir": "state"},
      "mcp": {"requestStateSecret": "state-secret-0123456789-0123456789-abcdef"},
      "plugins": {"dir": ")" MCPH_PLUGINS_DIR R"(",
                  "settings": {"notes": {"database": "/tmp/n.db", "apiKey": "plugin-key-value"}}},
      "auth": {"provider": "google", "clientId": "the-client-id", "clientSecret": "upstream-secret-value",
               "access": {"staff": {"emailDomains": ["example.com"], "scopes": ["*"]}}}
    })");
    const RunResult r = runHost({"--print-config", "--config", file});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* secret :
         {"upstream-secret-value", "state-secret-0123456789", "plugin-key-value"}) {
        EXPECT_EQ(r.out.find(secret), std::string::npos) << secret << " in\n" << r.out;
    }
    const auto doc = parse(r.out);
    const auto server = doc->getObject("server");
    EXPECT_EQ(server->getValue<int>("port"), 8080);
    EXPECT_EQ(server->getValue<std::string>("host"), "127.0.0.1");
    EXPECT_EQ(server->getValue<std::string>("stateDir"), dir.path() + "/state");
    const auto mcp = doc->getObject("mcp");
    EXPECT_EQ(mcp->getValue<std::string>("path"), "/mcp");
    EXPECT_EQ(mcp->getValue<std::string>("requestStateSecret"), "<redacted>");
    const auto auth = doc->getObject("auth");
    EXPECT_EQ(auth->getValue<std::string>("provider"), "google");
    EXPECT_EQ(auth->getValue<std::string>("clientId"), "the-client-id");
    EXPECT_EQ(auth->getValue<std::string>("clientSecret"), "<redacted>");
    EXPECT_EQ(auth->getValue<std::string>("authEndpoint"),
              "https://accounts.google.com/o/oauth2/v2/auth");
    EXPECT_EQ(auth->getObject("store")->getValue<std::string>("sqlite"),
              dir.path() + "/state/mcp-host-auth.db");
    EXPECT_EQ(auth->getObject("access")
                  ->getObject("staff")
                  ->getArray("emailDomains")
                  ->getElement<std::string>(0),
              "example.com");
    const auto notes = doc->getObject("plugins")->getObject("settings")->getObject("notes");
    EXPECT_EQ(notes->getValue<std::string>("database"), "/tmp/n.db");
    EXPECT_EQ(notes->getValue<std::string>("apiKey"), "<redacted>");
    EXPECT_EQ(doc->getObject("logging")->getValue<std::string>("level"), "information");
}

TEST(PrintConfig, WithoutAConfigFileItPrintsTheEmbeddedDefaults) {
    TempDir state;
    const RunResult r =
        runWithEnv({"--print-config"}, {{"STATE_DIRECTORY", state.path() + ":/elsewhere"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto doc = parse(r.out);
    EXPECT_EQ(doc->getObject("auth")->getValue<std::string>("provider"), "local");
    EXPECT_EQ(doc->getObject("server")->getValue<std::string>("stateDir"), state.path());
    EXPECT_EQ(doc->getObject("auth")->getValue<std::string>("users"), state.path() + "/users.json");
    EXPECT_EQ(doc->getObject("auth")->getObject("store")->getValue<std::string>("sqlite"),
              state.path() + "/mcp-host-auth.db");
}

TEST(PrintConfig, AnInvalidFileExitsTwoWithItsProblems) {
    TempDir dir;
    const std::string file = dir.write("host.json", R"({"server": {"port": "x"}})");
    const RunResult r = runHost({"--print-config", "--config", file});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("server.port"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

void leaves(const Poco::Dynamic::Var& value, const std::string& path,
            std::map<std::string, std::string>& out) {
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto o = value.extract<Poco::JSON::Object::Ptr>();
        for (const auto& name : o->getNames())
            leaves(o->get(name), path.empty() ? name : path + "." + name, out);
        return;
    }
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(value, text);
    out[path] = text.str();
}

// etc/mcp-host.json claims to show every key with its default: each of its values must be what
// the host uses when the key is absent (but the two it sets on purpose), and --print-config must
// show each of its keys.
TEST(PrintConfig, TheExampleFileStatesTheDefaultsTheHostUses) {
    std::ifstream in(std::string(MCPH_SOURCE_DIR) + "/etc/mcp-host.json");
    std::stringstream text;
    text << in.rdbuf();
    const auto scanned = config::JsonTextScanner::scan(text.str());
    ASSERT_FALSE(scanned.error);
    std::map<std::string, std::string> example;
    leaves(Poco::JSON::Parser().parse(scanned.strictJson), "", example);
    const auto defaults =
        config::flattenedConfig(config::loadConfigText("{}", "empty.json", "/").config);
    ASSERT_GT(example.size(), 20u);
    for (const auto& [key, value] : example) {
        if (key == "plugins.dir" || key == "auth.provider") continue;  // documented exceptions
        const auto it = defaults.find(key);
        ASSERT_NE(it, defaults.end())
            << key << " is in etc/mcp-host.json but not in --print-config";
        EXPECT_EQ(it->second, value) << key;
    }
    EXPECT_EQ(example.at("auth.provider"), "\"local\"");
    EXPECT_EQ(defaults.at("auth.provider"), "\"none\"");
}

// The state directory, in process: $STATE_DIRECTORY first, then server.stateDir, else var/ in
// the working directory.
TEST(StateDirectory, SystemdWinsThenTheConfigThenTheWorkingDirectory) {
    const config::EnvLookup none = [](const std::string&) { return std::optional<std::string>(); };
    const config::EnvLookup systemd = [](const std::string& name) {
        return name == "STATE_DIRECTORY" ? std::optional<std::string>("/var/lib/mcp-host")
                                         : std::nullopt;
    };
    EXPECT_EQ(config::stateDirectory("/srv/state", systemd), "/var/lib/mcp-host");
    EXPECT_EQ(config::stateDirectory("/srv/state", none), "/srv/state");
    EXPECT_EQ(config::stateDirectory("", none), (std::filesystem::current_path() / "var").string());

    const auto loaded =
        config::loadConfigText(R"({"auth": {"provider": "local"}})", "t.json", "/etc/x");
    ASSERT_TRUE(loaded.ok());
    config::HostConfig cfg = loaded.config;
    auto& local = std::get<auth::server::AuthorizationServerOptions>(cfg.auth.settings);
    local.storeFile.clear();
    cfg.server.stateDir.clear();
    config::applyStateDirectory(cfg, systemd);
    EXPECT_EQ(local.storeFile, "/var/lib/mcp-host/mcp-host-auth.db");
}

TEST(PublicUrl, EndingWithTheMcpPathIsRefused) {
    for (const char* url : {"https://x.example/mcp", "https://x.example/base/mcp"}) {
        const auto r = config::loadConfigText(std::string(R"({"server": {"publicUrl": ")") + url +
                                                  R"("}, "auth": {"provider": "none"}})",
                                              "t.json", "");
        ASSERT_EQ(r.errors.size(), 1u) << url;
        EXPECT_NE(r.errors[0].find("server.publicUrl: ends with mcp.path \"/mcp\""),
                  std::string::npos)
            << r.errors[0];
    }
    const auto custom = config::loadConfigText(
        R"({"server": {"publicUrl": "https://x.example/tools"}, "mcp": {"path": "/tools"}})",
        "t.json", "");
    EXPECT_FALSE(custom.ok());
    for (const char* url :
         {"https://x.example", "https://x.example/mcpx", "https://x.example/mcp/base"}) {
        const auto r = config::loadConfigText(
            std::string(R"({"server": {"publicUrl": ")") + url + R"("}})", "t.json", "");
        EXPECT_TRUE(r.ok()) << url << ": " << (r.errors.empty() ? "" : r.errors[0]);
    }
}

TEST(PublicUrl, CheckConfigNamesTheProblem) {
    TempDir dir;
    const std::string file =
        dir.write("host.json", R"({"server": {"publicUrl": "https://x.example/mcp"}})");
    const RunResult r = runHost({"--check-config", file});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("server.publicUrl: ends with mcp.path"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mcph::testing

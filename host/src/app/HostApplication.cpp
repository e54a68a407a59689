#include "app/HostApplication.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <mcphost/plugin.h>

#include <iostream>

#include "app/HostServer.h"
#include "app/LogEscaping.h"
#include "config/ConfigLoader.h"
#include "pluginhost/PluginLoader.h"
#include "pluginhost/OfferingRegistry.h"

namespace mcph::app {

using Poco::Util::Option;

namespace {

constexpr int kExitConfigError = 2;

void setUpLogging(const std::string& level) {
    // Every line goes through the escaping formatter: text from requests, upstream answers and
    // plugins can never start a line of its own (LogEscaping.h).
    Poco::AutoPtr<Poco::Formatter> formatter(
        new EscapingFormatter(new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t")));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel));
    Poco::Logger::root().setChannel(channel);
    // Loggers that already exist (static ones) keep the channel they were created with: give
    // them this one too, so none of them writes around the escaping. New loggers (plugins' too)
    // inherit it from the root.
    Poco::Logger::setChannel("", channel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this point (static ones) follow the root.
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

void printProblems(const std::vector<std::string>& lines) {
    for (const auto& line : lines) std::cerr << line << "\n";
}

void reportLoad(const pluginhost::LoadReport& report, const pluginhost::OfferingRegistry& registry) {
    auto& log = Poco::Logger::get("mcp-host.plugins");
    for (const auto& p : registry.plugins()) {
        std::string names;
        for (const auto& t : p->tools) names += (names.empty() ? "" : ", ") + t.name;
        log.information("loaded plugin %s %s from %s: %s", p->name, p->version, p->file, names.empty() ? std::string("(no tools)") : names);
    }
    for (const auto& problem : report.problems) log.warning("skipped %s: %s", problem.file, problem.reason);
}

}  // namespace

void HostApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("config", "c", "run with this config file (JSON); without it, the embedded defaults")
                          .required(false).repeatable(false).argument("FILE"));
    options.addOption(Option("check-config", "", "validate FILE and exit: 0 when valid, 2 with one line per problem")
                          .required(false).repeatable(false).argument("FILE"));
    options.addOption(Option("list-plugins", "", "load the plugins the config names, list them and their tools, exit")
                          .required(false).repeatable(false));
    options.addOption(Option("version", "v", "print the version and the plugin ABI, exit")
                          .required(false).repeatable(false));
    options.addOption(Option("help", "h", "print this help, exit")
                          .required(false).repeatable(false));
}

void HostApplication::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "config") configFile_ = value;
    if (name == "check-config") {
        mode_ = Mode::CheckConfig;
        configFile_ = value;
    }
    if (name == "list-plugins") mode_ = Mode::ListPlugins;
    if (name == "version") mode_ = Mode::Version;
    if (name == "help") mode_ = Mode::Help;
    if (mode_ == Mode::Help || mode_ == Mode::Version) stopOptionsProcessing();
}

std::string HostApplication::defaultPluginsDir() const {
    // build/bin/mcp-host -> build/plugins
    Poco::Path exe(config().getString("application.path"));
    return exe.parent().popDirectory().pushDirectory("plugins").toString();
}

int HostApplication::checkConfig() {
    auto loaded = config::loadConfigFile(configFile_);
    printProblems(loaded.errors);
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
    if (!loaded.ok()) return kExitConfigError;
    std::cout << configFile_ << ": OK\n";
    return EXIT_OK;
}

int HostApplication::main(const std::vector<std::string>& args) {
    if (mode_ == Mode::Help) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--config FILE] | --check-config FILE | --list-plugins [--config FILE] | --version | --help");
        help.setHeader("mcp-host: serves MCP tools from C ABI plugins over Streamable HTTP, with OAuth.");
        help.format(std::cout);
        return EXIT_OK;
    }
    if (mode_ == Mode::Version) {
        std::cout << "mcp-host " << MCPH_VERSION << " (plugin ABI " << MCPH_ABI_MAJOR << "." << MCPH_ABI_MINOR << ")\n";
        return EXIT_OK;
    }
    if (!args.empty()) {
        std::cerr << "unexpected argument: " << args.front() << " (see --help)\n";
        return EXIT_USAGE;
    }
    if (mode_ == Mode::CheckConfig) return checkConfig();

    config::LoadResult loaded;
    if (configFile_.empty()) {
        loaded.config = config::embeddedDefaults(defaultPluginsDir());
    } else {
        loaded = config::loadConfigFile(configFile_);
    }
    printProblems(loaded.errors);
    if (!loaded.ok()) return kExitConfigError;
    config::HostConfig& cfg = loaded.config;
    if (cfg.plugins.dir.empty()) cfg.plugins.dir = defaultPluginsDir();
    setUpLogging(cfg.logging.level);
    auto& log = Poco::Logger::get("mcp-host");
    for (const auto& w : loaded.warnings) log.warning(w);

    pluginhost::LoadReport report = pluginhost::loadPluginDirectory(cfg.plugins.dir, cfg.plugins.settingsJson);
    pluginhost::OfferingRegistry registry(report);
    reportLoad(report, registry);

    if (mode_ == Mode::ListPlugins) {
        for (const auto& p : registry.plugins()) {
            std::cout << p->name << " " << p->version << "  " << p->file << "\n";
            for (const auto& t : p->tools) {
                std::cout << "  " << t.name << (t.title.empty() ? "" : "  (" + t.title + ")");
                // Space-separated as in an OAuth scope parameter: a scope token may hold a comma.
                if (!t.requiredScopes.empty()) {
                    std::cout << " (scopes:";
                    for (const auto& scope : t.requiredScopes) std::cout << " " << scope;
                    std::cout << ")";
                }
                std::cout << "\n";
            }
        }
        for (const auto& problem : report.problems) std::cout << "skipped " << problem.file << ": " << problem.reason << "\n";
        return EXIT_OK;
    }

    HostServer server(cfg, registry);
    try {
        server.start();
    } catch (const Poco::Exception& e) {
        log.fatal("cannot listen on %s:%d: %s", cfg.server.host, cfg.server.port, e.displayText());
        return EXIT_SOFTWARE;
    }
    log.information("serving %z tools at %s (auth: %s)", registry.tools().size(), server.mcpUrl(), cfg.auth.provider);
    std::cout << "mcp-host listening on " << server.mcpUrl() << std::endl;

    waitForTerminationRequest();
    log.information("stopping: finishing requests in flight");
    server.stop();
    registry.unloadAll();
    log.information("stopped");
    return EXIT_OK;
}

}  // namespace mcph::app

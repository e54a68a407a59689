#include "app/HostApplication.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <mcphost/plugin.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>

#include "app/HostServer.h"
#include "app/LivePluginDirectory.h"
#include "app/LogEscaping.h"
#include "ops/JsonLogFormatter.h"
#include "app/Reloader.h"
#include "app/SignalWatcher.h"
#include "config/ConfigLoader.h"
#include "config/EffectiveConfig.h"
#include "pluginhost/PluginLoader.h"
#include "pluginhost/OfferingRegistry.h"

namespace mcph::app {

using Poco::Util::Option;

namespace {

constexpr int kExitConfigError = 2;
// After server.drainSeconds: time for the drain to close streams and connections.
constexpr int kStopGraceSeconds = 5;

void setUpLogging(const config::LoggingConfig& logging) {
    const std::string& level = logging.level;
    // Every line goes through the escaping formatter: text from requests, upstream answers and
    // plugins can never start a line of its own (LogEscaping.h). The JSON format quotes every
    // value, control characters included, so its lines are single lines too.
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (logging.format == "json") {
        formatter = new ops::JsonLogFormatter;
    } else {
        formatter = new EscapingFormatter(new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    }
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
    for (const auto& entry : registry.snapshot()->plugins()) {
        const auto& p = entry.plugin;
        std::string names;
        for (const auto& t : entry.tools) names += (names.empty() ? "" : ", ") + t->name;
        log.information("loaded plugin %s %s from %s: %s", p->name, p->version, p->file, names.empty() ? std::string("(no tools)") : names);
    }
    for (const auto& problem : report.problems) log.warning("skipped %s: %s", problem.file, problem.reason);
}

}  // namespace

void HostApplication::defineOptions(Poco::Util::OptionSet& options) {
    Application::defineOptions(options);
    options.addOption(Option("config", "c", "run with this config file (JSON); without it, the embedded defaults")
                          .required(false).repeatable(false).argument("FILE"));
    options.addOption(Option("check-config", "", "validate FILE and exit: 0 when valid, 2 with one line per problem")
                          .required(false).repeatable(false).argument("FILE"));
    options.addOption(Option("print-config", "", "print the effective configuration (every default filled in, secrets redacted) as JSON, exit")
                          .required(false).repeatable(false));
    options.addOption(Option("list-plugins", "", "load the plugins the config names, list them and their tools, exit")
                          .required(false).repeatable(false));
    options.addOption(Option("version", "v", "print the version and the plugin ABI, exit")
                          .required(false).repeatable(false));
    options.addOption(Option("help", "h", "print this help, exit")
                          .required(false).repeatable(false));
}

void HostApplication::handleOption(const std::string& name, const std::string& value) {
    Application::handleOption(name, value);
    if (name == "config") configFile_ = value;
    if (name == "check-config") {
        mode_ = Mode::CheckConfig;
        configFile_ = value;
    }
    if (name == "list-plugins") mode_ = Mode::ListPlugins;
    if (name == "print-config") mode_ = Mode::PrintConfig;
    if (name == "version") mode_ = Mode::Version;
    if (name == "help") mode_ = Mode::Help;
    if (mode_ == Mode::Help || mode_ == Mode::Version) stopOptionsProcessing();
}

std::string HostApplication::defaultPluginsDir() const {
    // Build tree: build/bin/mcp-host -> build/plugins. Installed: <prefix>/bin/mcp-host ->
    // <prefix>/lib/mcp-host/plugins (MCPH_INSTALL_PLUGINS_RELDIR), wherever the prefix is.
    const Poco::Path prefix = Poco::Path(config().getString("application.path")).parent().popDirectory();
    const std::string buildTree = Poco::Path(prefix).pushDirectory("plugins").toString();
    const std::string installed = Poco::Path(prefix).append(Poco::Path(MCPH_INSTALL_PLUGINS_RELDIR "/")).toString();
    Poco::File dir(buildTree);
    if (!(dir.exists() && dir.isDirectory()) && Poco::File(installed).exists()) return installed;
    return buildTree;
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
        help.setUsage("[--config FILE] | --check-config FILE | --print-config [--config FILE] | --list-plugins [--config FILE] | --version | --help");
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
    // Before anything else: a SIGHUP or SIGTERM during start-up waits until the host serves.
    std::unique_ptr<SignalWatcher> signals;
    if (mode_ == Mode::Serve) signals = std::make_unique<SignalWatcher>();

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
    if (mode_ == Mode::PrintConfig) {
        for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
        std::cout << config::printEffectiveConfig(cfg);
        return EXIT_OK;
    }
    setUpLogging(cfg.logging);
    auto& log = Poco::Logger::get("mcp-host");
    for (const auto& w : loaded.warnings) log.warning(w);

    pluginhost::LoadReport report =
        pluginhost::loadPluginDirectory(cfg.plugins.dir, cfg.plugins.settingsJson, cfg.plugins.run);
    pluginhost::OfferingRegistry registry(report);
    reportLoad(report, registry);

    if (mode_ == Mode::ListPlugins) {
        for (const auto& entry : registry.snapshot()->plugins()) {
            const auto& p = entry.plugin;
            // How the plugin runs: in the host's process, or in a worker process of its own.
            std::cout << p->name << " " << p->version << "  " << p->file
                      << "  isolation: " << pluginhost::isolationName(p->isolation) << "\n";
            for (const auto& tool : entry.tools) {
                const auto& t = *tool;
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
    // Watches plugins.dir (plugins.watch) and rescans it on SIGHUP and POST /plugins/rescan.
    LivePluginDirectory livePlugins(registry, cfg.plugins, report.problems);
    server.setPluginRescan([&livePlugins] { return livePlugins.rescan("admin").toJson(); });
    try {
        server.start();
    } catch (const Poco::Exception& e) {
        log.fatal("cannot listen on %s:%d: %s", cfg.server.host, cfg.server.port, e.displayText());
        return EXIT_SOFTWARE;
    }
    log.information("serving %z tools at %s (auth: %s)", registry.snapshot()->tools().size(), server.mcpUrl(), cfg.auth.provider);
    // With a publicUrl the URL clients use says nothing of the socket: name it too.
    std::cout << "mcp-host listening on " << server.mcpUrl();
    if (!cfg.server.publicUrl.empty()) {
        std::cout << " (bound to " << cfg.server.host << " port " << server.port() << ")";
    }
    std::cout << std::endl;

    Reloader reloader(configFile_, cfg, defaultPluginsDir(), server);
    reloader.setPluginRescan([&livePlugins] { return livePlugins.rescan("SIGHUP").changeCount(); });
    signals->waitForStop([&reloader] { reloader.reload(); });
    log.information("stopping: draining (up to %d s for requests in flight)", cfg.server.drainSeconds);
    // The drain's bound holds for the process too: a plugin call that never returns must not
    // keep it alive. Past the limit (plus time to close streams and connections) it exits
    // without waiting for such calls, and so without shutting their plugins down.
    auto stopped = std::async(std::launch::async, [&server] { server.stop(); });
    if (stopped.wait_for(std::chrono::seconds(cfg.server.drainSeconds + kStopGraceSeconds)) ==
        std::future_status::timeout) {
        log.warning("stopping: requests still running past server.drainSeconds; exiting without them");
        std::_Exit(EXIT_OK);
    }
    stopped.get();
    livePlugins.stop();  // no rescan may load a plugin once they unload
    registry.unloadAll();
    log.information("stopped");
    return EXIT_OK;
}

}  // namespace mcph::app

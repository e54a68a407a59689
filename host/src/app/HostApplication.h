#pragma once
// The mcp-host process: command line, config, logging, plugin loading, then serve until
// SIGTERM/SIGINT/SIGQUIT, reloading on SIGHUP (SignalWatcher). A plain Application, not Poco's
// ServerApplication: its --daemon sent every log line to /dev/null, and a service manager
// (packaging/mcp-host.service) does what --daemon, --pidfile and --umask did.
#include <Poco/Util/Application.h>

#include <string>

namespace mcph::app {

class HostApplication final : public Poco::Util::Application {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    enum class Mode { Serve, CheckConfig, PrintConfig, ListPlugins, Version, Help };
    int checkConfig();
    std::string defaultPluginsDir() const;

    Mode mode_ = Mode::Serve;
    std::string configFile_;
};

}  // namespace mcph::app

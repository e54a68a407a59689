#pragma once
// The mcp-host process: command line, config, logging, plugin loading, then serve until
// SIGTERM/SIGINT (Poco's HTTPTimeServer pattern).
#include <Poco/Util/ServerApplication.h>

#include <string>

namespace mcph::app {

class HostApplication final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    enum class Mode { Serve, CheckConfig, ListPlugins, Version, Help };
    int checkConfig();
    std::string defaultPluginsDir() const;

    Mode mode_ = Mode::Serve;
    std::string configFile_;
};

}  // namespace mcph::app

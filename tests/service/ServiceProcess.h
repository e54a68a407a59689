#pragma once
// The built mcp-host as a child process whose log the test reads while it runs: stderr goes to
// a file (it never fills a pipe), stdout to a pipe that gives the "listening on" line.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace mcph::testing {

class ServiceProcess {
  public:
    // Starts `mcp-host args...` with `env` added to the environment, and waits (up to 60 s)
    // for its "mcp-host listening on" line. Throws with the log when it exits first.
    ServiceProcess(const std::vector<std::string>& args, const std::string& logFile,
                   const std::map<std::string, std::string>& env = {});
    ~ServiceProcess();  // SIGKILL if still running
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    unsigned short port() const { return port_; }
    const std::string& mcpUrl() const { return mcpUrl_; }
    void signal(int sig) const;
    bool running();  // not exited (reaps it when it has)
    std::string log() const;
    // Polls the log until it holds `text` (true) or `timeout` passes (false).
    bool waitForLog(const std::string& text,
                    std::chrono::seconds timeout = std::chrono::seconds(30)) const;
    // SIGTERM, then the exit status (-1 if it did not exit within 60 s).
    int stop();

  private:
    pid_t pid_ = -1;
    int status_ = -1;
    std::string logFile_;
    unsigned short port_ = 0;
    std::string mcpUrl_;
};

}  // namespace mcph::testing

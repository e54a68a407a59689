#pragma once
// The real mcp-host binary as a child process, for what only a process shows: exit codes,
// command-line handling, signals.
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <memory>
#include <string>
#include <vector>

namespace mcph::testing {

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs the host to completion (for commands that exit by themselves).
RunResult runHost(const std::vector<std::string>& args);

class HostProcess {
public:
    // Starts `mcp-host --config configFile` and waits for its "listening on" line.
    explicit HostProcess(const std::string& configFile);
    ~HostProcess();

    unsigned short port() const { return port_; }
    int pid() const { return handle_->id(); }  // for signals other than SIGTERM (SIGHUP)
    void terminate();  // SIGTERM
    int wait();        // exit code
    std::string stderrText();

private:
    Poco::Pipe out_;
    Poco::Pipe err_;
    std::unique_ptr<Poco::ProcessHandle> handle_;
    unsigned short port_ = 0;
    bool exited_ = false;
};

// A scratch directory removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

}  // namespace mcph::testing

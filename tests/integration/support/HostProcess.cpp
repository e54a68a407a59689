#include "support/HostProcess.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <stdexcept>

namespace mcph::testing {

RunResult runHost(const std::vector<std::string>& args) {
    Poco::Pipe out, err;
    auto handle = Poco::Process::launch(MCPH_HOST_BIN, args, nullptr, &out, &err);
    Poco::PipeInputStream outStream(out), errStream(err);
    RunResult r;
    // Read stderr fully first: the host's output is small, so neither pipe fills up.
    Poco::StreamCopier::copyToString(errStream, r.err);
    Poco::StreamCopier::copyToString(outStream, r.out);
    r.exitCode = handle.wait();
    return r;
}

HostProcess::HostProcess(const std::string& configFile) {
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(MCPH_HOST_BIN, {"--config", configFile}, nullptr, &out_, &err_));
    Poco::PipeInputStream in(out_);
    std::string line;
    const std::string marker = "mcp-host listening on http://127.0.0.1:";
    while (std::getline(in, line)) {
        if (line.rfind(marker, 0) == 0) {
            port_ = static_cast<unsigned short>(std::stoi(line.substr(marker.size())));
            return;
        }
    }
    throw std::runtime_error("mcp-host exited before listening: " + stderrText());
}

HostProcess::~HostProcess() {
    if (!exited_ && handle_) {
        Poco::Process::kill(*handle_);
        handle_->wait();
    }
}

void HostProcess::terminate() { Poco::Process::requestTermination(handle_->id()); }

int HostProcess::wait() {
    int code = handle_->wait();
    exited_ = true;
    return code;
}

std::string HostProcess::stderrText() {
    Poco::PipeInputStream in(err_);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

TempDir::TempDir() : path_(Poco::TemporaryFile::tempName()) { Poco::File(path_).createDirectories(); }

TempDir::~TempDir() {
    try {
        Poco::File(path_).remove(true);
    } catch (...) {
    }
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    std::string file = path_ + "/" + name;
    Poco::FileOutputStream out(file);
    out << content;
    return file;
}

}  // namespace mcph::testing

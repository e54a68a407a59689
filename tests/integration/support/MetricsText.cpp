#include "support/MetricsText.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/HostProcess.h"

namespace mcph::testing {

std::optional<double> sampleValue(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
            line[series.size()] == ' ') {
            return std::strtod(line.c_str() + series.size() + 1, nullptr);
        }
    }
    return std::nullopt;
}

PromtoolVerdict promtoolCheck(const std::string& exposition) {
    TempDir dir;
    const std::string file = dir.write("metrics.txt", exposition);
    PromtoolVerdict verdict;
    FILE* pipe = ::popen(("promtool check metrics < '" + file + "' 2>&1").c_str(), "r");
    if (!pipe) return verdict;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) verdict.output.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status == -1 || !WIFEXITED(status)) return verdict;
    verdict.exitCode = WEXITSTATUS(status);
    if (verdict.exitCode == 127) verdict.exitCode = -1;  // the shell found no promtool
    return verdict;
}

}  // namespace mcph::testing

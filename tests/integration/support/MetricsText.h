#pragma once
// Reading the admin listener in tests: one sample of a Prometheus exposition, and promtool's
// verdict on a whole exposition.
#include <optional>
#include <string>

namespace mcph::testing {

// The value of the sample written exactly as `series` (name and labels as the host writes
// them, e.g. `foo_total{outcome="ok"}`), or nothing when the exposition has no such line.
std::optional<double> sampleValue(const std::string& exposition, const std::string& series);

// `promtool check metrics` on the text: its exit code and what it printed. -1 when promtool
// cannot be run (the `prometheus` package: scripts/setup.sh installs it).
struct PromtoolVerdict {
    int exitCode = -1;
    std::string output;
};
PromtoolVerdict promtoolCheck(const std::string& exposition);

}  // namespace mcph::testing

#pragma once
// The pieces of the Prometheus text exposition format 0.0.4 (one `# HELP` and `# TYPE` line per
// family, then `name{label="value",...} value` per sample), escaped as the format requires.
#include <string>
#include <vector>

namespace mcph::ops {

// Content-Type of the exposition.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// `# HELP` and `# TYPE` lines of one family (type: counter, gauge or histogram).
void appendFamilyHeader(std::string& out, const std::string& name, const std::string& help,
                        const char* type);

// One sample line. `extraName`/`extraValue` add one more label (a histogram's `le`) when set.
void appendSample(std::string& out, const std::string& name,
                  const std::vector<std::string>& labelNames,
                  const std::vector<std::string>& labelValues, const std::string& value,
                  const char* extraName = nullptr, const std::string& extraValue = {});

// A sample value or bucket bound: integers without a fraction, +Inf/-Inf/NaN as the format
// spells them, other numbers in the shortest form that reads back exactly.
std::string formatNumber(double value);

// Label values: backslash, double quote and line feed escaped.
std::string escapeLabelValue(const std::string& value);

}  // namespace mcph::ops

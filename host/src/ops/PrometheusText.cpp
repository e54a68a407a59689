#include "ops/PrometheusText.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mcph::ops {

namespace {

// HELP text: backslash and line feed escaped (quotes are literal there).
std::string escapeHelp(const std::string& help) {
    std::string out;
    out.reserve(help.size());
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

void appendFamilyHeader(std::string& out, const std::string& name, const std::string& help,
                        const char* type) {
    out += "# HELP " + name + " " + escapeHelp(help) + "\n";
    out += "# TYPE " + name + " " + type + "\n";
}

void appendSample(std::string& out, const std::string& name,
                  const std::vector<std::string>& labelNames,
                  const std::vector<std::string>& labelValues, const std::string& value,
                  const char* extraName, const std::string& extraValue) {
    out += name;
    const bool anyLabel = !labelNames.empty() || extraName;
    if (anyLabel) {
        out += '{';
        for (std::size_t i = 0; i < labelNames.size(); ++i) {
            if (i) out += ',';
            out += labelNames[i] + "=\"" + escapeLabelValue(labelValues[i]) + "\"";
        }
        if (extraName) {
            if (!labelNames.empty()) out += ',';
            out += std::string(extraName) + "=\"" + escapeLabelValue(extraValue) + "\"";
        }
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

std::string formatNumber(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    char buffer[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value) break;
    }
    return buffer;
}

std::string escapeLabelValue(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace mcph::ops

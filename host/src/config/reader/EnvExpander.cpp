#include "config/reader/EnvExpander.h"

#include <cstdlib>

namespace mcph::config {

namespace {

bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

bool isValidName(const std::string& name) {
    if (name.empty() || !isNameStart(name.front())) {
        return false;
    }
    for (char c : name) {
        if (!isNameChar(c)) {
            return false;
        }
    }
    return true;
}

}  // namespace

EnvExpansion expandEnv(const std::string& text, const EnvLookup& lookup) {
    EnvExpansion out;
    out.value.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 3, "$${") == 0) {
            out.value += "${";
            i += 3;
            continue;
        }
        if (text.compare(i, 2, "${") != 0) {
            out.value += text[i++];
            continue;
        }
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos) {
            out.problems.push_back("unterminated \"${\" (write \"$${\" for a literal \"${\")");
            return out;
        }
        const std::string name = text.substr(i + 2, close - i - 2);
        if (!isValidName(name)) {
            // The reference is file text, not a variable's value, so it is safe to show.
            out.problems.push_back("invalid environment variable reference \"${" + name +
                                   "}\" (names match [A-Za-z_][A-Za-z0-9_]*)");
        } else if (std::optional<std::string> value = lookup(name)) {
            out.value += *value;
            out.expanded = true;
        } else {
            out.problems.push_back("environment variable \"" + name + "\" is not set");
        }
        i = close + 1;
    }
    return out;
}

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        // NOLINTNEXTLINE(concurrency-mt-unsafe): config is loaded before threads start.
        if (const char* value = std::getenv(name.c_str())) {
            return std::string(value);
        }
        return std::nullopt;
    };
}

}  // namespace mcph::config

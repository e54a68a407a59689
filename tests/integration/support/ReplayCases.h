#pragma once
// The client profiles of ClientProfiles.h as the parameter of the replay tests: one instance per
// profile (INSTANTIATE_TEST_SUITE_P(Clients, Fixture, ValuesIn(profileNames()), profileTestName)),
// so a new profile is replayed by every parameterised check without touching the tests.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "support/ClientProfiles.h"

namespace mcph::testing::replay {

// Every profile's name, in the order of ClientProfiles.h.
inline std::vector<std::string> profileNames() {
    std::vector<std::string> names;
    for (const auto& p : clientProfiles()) names.push_back(p.name);
    return names;
}

// A readable test name suffix for a profile: its words run together, each capitalised ("VS Code"
// → VSCode, "mcp-remote" → McpRemote), a parenthesised variant after an underscore
// ("ChatGPT (legacy callback)" → ChatGPT_LegacyCallback). Claude's web backend keeps the name its
// tests always had: "Claude (claude.ai)" → ClaudeWeb_ClaudeAi, "Claude (claude.com)" → ClaudeWeb_ClaudeCom.
inline std::string profileTestName(const ::testing::TestParamInfo<std::string>& info) {
    auto camel = [](const std::string& words) {
        std::string out;
        bool wordStart = true;
        for (unsigned char ch : words) {
            if (!std::isalnum(ch)) {
                wordStart = true;
                continue;
            }
            out += wordStart ? static_cast<char>(std::toupper(ch)) : static_cast<char>(ch);
            wordStart = false;
        }
        return out;
    };
    const std::string& name = info.param;
    const auto paren = name.find(" (");
    std::string base = camel(name.substr(0, paren));
    if (paren == std::string::npos) return base;
    if (base == "Claude") base = "ClaudeWeb";
    return base + "_" + camel(name.substr(paren));
}

}  // namespace mcph::testing::replay

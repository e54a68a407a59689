#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mcph::config {

/// Looks up one environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The outcome of expanding one string. On failure `value` is unspecified and `problems` holds
/// one message per problem. Messages name variables, never their values.
struct EnvExpansion {
    std::string value;
    std::vector<std::string> problems;
    bool expanded = false;  ///< true when at least one ${NAME} was substituted

    bool ok() const { return problems.empty(); }
};

/// Replaces every `${NAME}` in `text` (NAME = [A-Za-z_][A-Za-z0-9_]*) with lookup(NAME).
/// `$${` stands for a literal `${`; any other `$` is kept as is. An unset variable, an
/// unterminated `${` or a bad name is a problem. Pure: the environment comes from `lookup`.
EnvExpansion expandEnv(const std::string& text, const EnvLookup& lookup);

/// A lookup that reads the process environment (getenv).
EnvLookup processEnvironment();

}  // namespace mcph::config

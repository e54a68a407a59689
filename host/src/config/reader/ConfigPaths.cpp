#include "config/reader/ConfigPaths.h"

#include <unistd.h>

#include <filesystem>

namespace mcph::config {

namespace fs = std::filesystem;

namespace {

/// How a path appears in messages: resolved, unless it came from the environment.
std::string shownPath(const ConfigString& raw, const std::string& resolved) {
    return raw.fromEnv ? raw.shown() : resolved;
}

/// The key's value, refused when empty.
std::optional<ConfigString> nonEmptyString(ObjectReader& section, const std::string& key) {
    std::optional<ConfigString> value = section.string(key);
    if (value && value->value.empty()) {
        section.diagnostics().error(section.pathOf(key), "must not be empty");
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string resolveConfigPath(const std::string& value, const std::string& baseDir) {
    fs::path p(value);
    if (p.is_relative()) {
        std::error_code ec;
        const fs::path base = baseDir.empty() ? fs::current_path(ec) : fs::path(baseDir);
        p = base / p;
    }
    return p.lexically_normal().string();
}

std::optional<std::string> readExistingPath(ObjectReader& section, const std::string& key,
                                            const std::string& baseDir, bool directory) {
    std::optional<ConfigString> value = nonEmptyString(section, key);
    if (!value) {
        return std::nullopt;
    }
    const std::string where = section.pathOf(key);
    const std::string resolved = resolveConfigPath(value->value, baseDir);
    const std::string shown = shownPath(*value, resolved);
    std::error_code ec;
    const fs::file_status status = fs::status(resolved, ec);
    if (!fs::exists(status)) {
        section.diagnostics().error(
            where, std::string(directory ? "directory" : "file") + " does not exist: " + shown);
        return std::nullopt;
    }
    if (directory ? !fs::is_directory(status) : !fs::is_regular_file(status)) {
        section.diagnostics().error(
            where, std::string(directory ? "not a directory: " : "not a regular file: ") + shown);
        return std::nullopt;
    }
    if (::access(resolved.c_str(), directory ? (R_OK | X_OK) : R_OK) != 0) {
        section.diagnostics().error(
            where, std::string(directory ? "directory" : "file") + " is not readable: " + shown);
        return std::nullopt;
    }
    return resolved;
}

std::optional<std::string> readWritableFilePath(ObjectReader& section, const std::string& key,
                                                const std::string& baseDir) {
    std::optional<ConfigString> value = nonEmptyString(section, key);
    if (!value) {
        return std::nullopt;
    }
    const std::string where = section.pathOf(key);
    const std::string resolved = resolveConfigPath(value->value, baseDir);
    const std::string shown = shownPath(*value, resolved);
    std::error_code ec;
    const fs::file_status status = fs::status(resolved, ec);
    if (fs::exists(status)) {
        if (!fs::is_regular_file(status)) {
            section.diagnostics().error(where, "not a regular file: " + shown);
            return std::nullopt;
        }
        if (::access(resolved.c_str(), R_OK | W_OK) != 0) {
            section.diagnostics().error(where, "file is not readable and writable: " + shown);
            return std::nullopt;
        }
    }
    // The database also writes journal files beside itself, so its directory must be
    // writable; a missing directory is fine if the host can create it.
    fs::path dir = fs::path(resolved).parent_path();
    while (!dir.empty() && !fs::exists(fs::status(dir, ec)) && dir != dir.parent_path()) {
        dir = dir.parent_path();
    }
    // A path from the environment is never shown, not even in part.
    const std::string dirShown = value->fromEnv ? "the directory of " + shown : dir.string();
    const fs::file_status dirStatus = fs::status(dir, ec);
    if (!fs::is_directory(dirStatus)) {
        section.diagnostics().error(
            where, "not a directory: " + dirShown + " (in the path of " + shown + ")");
        return std::nullopt;
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        section.diagnostics().error(
            where, "directory is not writable: " + dirShown + " (needed for " + shown + ")");
        return std::nullopt;
    }
    return resolved;
}

}  // namespace mcph::config

#pragma once

#include <optional>
#include <string>

#include "config/reader/ObjectReader.h"

namespace mcph::config {

/// A path from the config, made absolute against `baseDir` (the config file's directory; the
/// current directory when empty) and normalized.
std::string resolveConfigPath(const std::string& value, const std::string& baseDir);

/// Reads a path-valued key, resolves it and checks it names an existing, readable file (or
/// directory, with `directory`). nullopt after reporting the problem at the key's path.
std::optional<std::string> readExistingPath(ObjectReader& section, const std::string& key,
                                            const std::string& baseDir, bool directory);

/// Reads a path-valued key naming a file the host will create or open for writing (a
/// database): resolved, not a directory, and its directory either exists and is writable or
/// can be created (its nearest existing ancestor is a writable directory). Nothing is created
/// here: checking a config has no side effects.
std::optional<std::string> readWritableFilePath(ObjectReader& section, const std::string& key,
                                                const std::string& baseDir);

}  // namespace mcph::config

#pragma once

// Helpers shared by the config_*_test.cpp files: a temporary directory, a scoped environment
// variable, and a shortcut to load config text.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "config/ConfigLoader.h"

namespace mcph::config::test {

using Lines = std::vector<std::string>;

/// `text` contains `part`; on failure the message shows both.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) {
        return ::testing::AssertionSuccess() << '"' << text << "\" contains \"" << part << '"';
    }
    return ::testing::AssertionFailure() << '"' << text << "\" does not contain \"" << part << '"';
}

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "mcph-cfg-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }

    /// Creates a directory (and its parents) below the temp dir; returns its absolute path.
    std::string mkdir(const std::string& relative) const {
        std::filesystem::create_directories(path_ / relative);
        return (path_ / relative).lexically_normal().string();
    }
    /// Writes a file below the temp dir, creating parents; returns its absolute path.
    std::string write(const std::string& relative, const std::string& content) const {
        const std::filesystem::path file = path_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
        return file.lexically_normal().string();
    }

  private:
    std::filesystem::path path_;
};

/// Sets (or unsets, with nullopt) an environment variable for the scope, then restores it.
class ScopedEnv {
  public:
    ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
        if (const char* old = ::getenv(name_.c_str())) {
            old_ = old;
        }
        apply(value);
    }
    ~ScopedEnv() { apply(old_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    void apply(const std::optional<std::string>& value) {
        if (value) {
            ::setenv(name_.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }
    std::string name_;
    std::optional<std::string> old_;
};

/// Loads config text named "t.json", relative paths resolved against `baseDir`.
inline LoadResult load(const std::string& json, const std::string& baseDir = "/") {
    return loadConfigText(json, "t.json", baseDir);
}

}  // namespace mcph::config::test

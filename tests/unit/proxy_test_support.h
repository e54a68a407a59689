#pragma once
// Helpers for the proxy tests: a temporary directory removed at the end of the test, and a
// store factory on a real SQLite file inside it.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "mcphost/auth/proxy/SqliteProxyStore.h"

namespace proxytest {

class TempDir {
public:
    TempDir() {
        std::string templ = (std::filesystem::temp_directory_path() / "mcph-proxy-XXXXXX").string();
        if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
        path_ = templ;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline std::unique_ptr<mcph::auth::proxy::SqliteProxyStore> openStore(
    const std::string& path, void (*tweak)(mcph::auth::proxy::SqliteProxyStoreOptions&) = nullptr) {
    mcph::auth::proxy::SqliteProxyStoreOptions o;
    o.path = path;
    if (tweak) tweak(o);
    return std::make_unique<mcph::auth::proxy::SqliteProxyStore>(o);
}

}  // namespace proxytest

#pragma once
// Helpers for the proxy tests: a temporary directory removed at the end of the test, a store
// factory on a real SQLite file inside it, and JSON readers for the answers.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/JSON/Parser.h>

#include "mcphost/auth/server/SqliteAuthStore.h"

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

inline std::unique_ptr<mcph::auth::server::SqliteAuthStore> openStore(
    const std::string& path, void (*tweak)(mcph::auth::server::SqliteAuthStoreOptions&) = nullptr) {
    mcph::auth::server::SqliteAuthStoreOptions o;
    o.path = path;
    if (tweak) tweak(o);
    return std::make_unique<mcph::auth::server::SqliteAuthStore>(o);
}

inline Poco::JSON::Object::Ptr obj(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The string array `name` of `d` (empty when absent).
inline std::vector<std::string> strings(const Poco::JSON::Object::Ptr& d, const std::string& name) {
    std::vector<std::string> out;
    const auto a = d->getArray(name);
    for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

}  // namespace proxytest

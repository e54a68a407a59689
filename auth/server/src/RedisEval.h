#pragma once
// The EVAL command for one of the Lua scripts (RedisAuthStore, the shared rate limits): Redis
// caches a script it has seen by its SHA-1, so sending the text each time costs only the bytes.
#include <Poco/Redis/Array.h>

#include <string>
#include <vector>

namespace mcph::auth::server::redis_scripts {

inline Poco::Redis::Array eval(const char* script, const std::vector<std::string>& keys,
                               const std::vector<std::string>& args) {
    Poco::Redis::Array cmd;
    cmd << "EVAL" << script << std::to_string(keys.size());
    for (const auto& k : keys) cmd << k;
    for (const auto& a : args) cmd << a;
    return cmd;
}

}  // namespace mcph::auth::server::redis_scripts

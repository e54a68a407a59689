// The redis section: where several instances keep what they share (auth/server/RedisAuthStore).
#include <stdexcept>

#include "config/sections/Sections.h"
#include "mcphost/auth/server/RedisConnection.h"

namespace mcph::config {
namespace {

constexpr std::size_t kMinSecretChars = 32;

}  // namespace

void readRedisSection(ObjectReader& redis, RedisConfig& out) {
    if (auto url = redis.string("url")) {
        if (!url->value.empty()) {
            try {
                // The connection's own parser, so the config accepts exactly what it can use.
                auth::server::RedisEndpoint endpoint;
                endpoint.url = url->value;
                auth::server::RedisConnection check(endpoint);
                out.url = url->value;
            } catch (const std::invalid_argument& e) {
                redis.diagnostics().error(redis.pathOf("url"), e.what());
            }
        }
    }
    if (auto user = redis.string("username")) out.username = user->value;
    // Secrets: an empty value (an unset ${VAR}) is refused rather than taken as "none".
    if (auto password = redis.secret("password")) out.password = password->value;
    if (auto prefix = redis.string("keyPrefix")) {
        if (prefix->value.size() > 64 || prefix->value.find_first_of(" \t\r\n") != std::string::npos) {
            redis.diagnostics().error(redis.pathOf("keyPrefix"),
                                      "expected at most 64 characters without blanks");
        } else {
            out.keyPrefix = prefix->value;
        }
    }
    if (auto secret = redis.secret("signingKeySecret")) {
        if (secret->value.size() < kMinSecretChars) {
            redis.diagnostics().error(redis.pathOf("signingKeySecret"),
                                      "must be at least 32 characters");
        } else {
            out.signingKeySecret = secret->value;
        }
    }
    redis.finish();
}

}  // namespace mcph::config

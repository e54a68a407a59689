#include "mcphost/auth/IntrospectionVerifier.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <sstream>
#include <stdexcept>

#include "mcphost/auth/ClaimChecks.h"
#include "mcphost/auth/JsonFields.h"

namespace mcph::auth {

namespace {

std::string formEncode(const std::string& value) {
    std::string out;
    // Unreserved characters stay; everything else, '+' and ' ' included, is percent-encoded.
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]% ", out);
    return out;
}

}  // namespace

IntrospectionVerifier::IntrospectionVerifier(std::shared_ptr<HttpFetcher> fetcher,
                                             IntrospectionOptions options)
    : fetcher_(std::move(fetcher)),
      options_(std::move(options)),
      mapping_(options_.claims),
      cache_(options_.cacheCapacity) {
    if (!fetcher_) throw std::invalid_argument("IntrospectionVerifier needs an HTTP fetcher");
    if (options_.endpoint.empty())
        throw std::invalid_argument("IntrospectionVerifier needs the introspection endpoint");
    if (options_.clientId.empty())
        throw std::invalid_argument("IntrospectionVerifier needs a client id");
    if (options_.issuer.empty())
        throw std::invalid_argument("IntrospectionVerifier needs the expected issuer");
    if (options_.audience.empty())
        throw std::invalid_argument("IntrospectionVerifier needs the expected audience");
    if (!options_.now) options_.now = systemClock();
}

std::string IntrospectionVerifier::basicAuthorization(const std::string& clientId,
                                                      const std::string& clientSecret) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << formEncode(clientId) << ':' << formEncode(clientSecret);
    encoder.close();
    return "Basic " + out.str();
}

VerifyResult IntrospectionVerifier::verify(const std::string& token) {
    if (token.empty()) return VerifyResult::fail("token is empty");
    if (token.size() > options_.maxTokenBytes) return VerifyResult::fail("token too large");
    const TimePoint now = options_.now();
    if (auto cached = cache_.get(token, now)) return VerifyResult::ok(std::move(*cached));
    TimePoint expiresAt{};
    VerifyResult result = introspect(token, now, expiresAt);
    if (result.context) cache_.put(token, *result.context, expiresAt, now);
    return result;
}

VerifyResult IntrospectionVerifier::introspect(const std::string& token, TimePoint now,
                                               TimePoint& expiresAt) {
    ++calls_;
    const std::string body = "token=" + formEncode(token) + "&token_type_hint=access_token";
    const FetchResult fetched = fetcher_->postForm(
        options_.endpoint, body,
        {{"Authorization", basicAuthorization(options_.clientId, options_.clientSecret)}});
    if (!fetched.ok() || fetched.response->status != 200) {
        // The reason goes to the log (it names the endpoint); the client gets a generic answer.
        Poco::Logger::get("mcp-host.auth")
            .warning("Token introspection failed: " +
                     (fetched.ok() ? "HTTP " + std::to_string(fetched.response->status)
                                   : fetched.error));
        return VerifyResult::fail("token could not be checked right now", true);
    }
    const auto answer = JsonFields::parseObject(fetched.response->body);
    if (!answer) {
        Poco::Logger::get("mcp-host.auth")
            .warning("Token introspection answered something other than a JSON object");
        return VerifyResult::fail("token could not be checked right now", true);
    }
    // Anything but a literal true (false, "true", absent) is inactive.
    if (JsonFields::boolean(*answer, "active") != std::optional<bool>(true)) {
        return VerifyResult::fail("token is not active");
    }
    if (answer->has("iss") &&
        JsonFields::string(*answer, "iss") != std::optional<std::string>(options_.issuer)) {
        return VerifyResult::fail("token issuer (iss) is not the expected one");
    }
    if (auto why = ClaimChecks::checkAudience(*answer, options_.audience,
                                              !options_.allowMissingAudience);
        !why.empty()) {
        return VerifyResult::fail(why);
    }
    if (auto why = ClaimChecks::checkTimes(*answer, now, options_.leeway, false); !why.empty()) {
        return VerifyResult::fail(why);
    }
    VerifyResult mapped = mapping_.map(*answer, options_.issuer);
    if (mapped.context) expiresAt = ClaimChecks::expiry(*answer, now, options_.maxCacheTtl);
    return mapped;
}

}  // namespace mcph::auth

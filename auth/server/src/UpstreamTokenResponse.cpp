#include "mcphost/auth/server/UpstreamTokenResponse.h"

#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth::server {

namespace {

using Kind = UpstreamError::Kind;

constexpr std::size_t kMaxJsonDepth = 8;  // token responses are flat
constexpr std::size_t kMaxLoggedErrorCode = 64;

bool startsWithIgnoreCase(const std::string& text, const std::string& prefix) {
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(),
                                                      [](unsigned char a, unsigned char b) {
                                                          return std::tolower(a) == std::tolower(b);
                                                      });
}

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
    return a.size() == b.size() && startsWithIgnoreCase(a, b);
}

// A response body as name → value, whichever way it was encoded. Null when neither.
using FieldReader = std::function<std::optional<std::string>(const std::string&)>;
struct Fields {
    FieldReader string;                           // the member if present and a string
    std::function<bool(const std::string&)> has;  // present at all (any JSON type)
};

std::optional<std::map<std::string, std::string>> parseForm(const std::string& body) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('&', start);
        if (end == std::string::npos) end = body.size();
        const std::string pair = body.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        std::string name, value;
        try {
            Poco::URI::decode(pair.substr(0, eq), name, true);
            if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        // A repeated parameter is ambiguous (RFC 6749 §3.1): refuse rather than pick one.
        if (!out.emplace(std::move(name), std::move(value)).second) return std::nullopt;
    }
    return out;
}

std::optional<Fields> readFields(const HttpResponse& response) {
    const std::string& type = response.contentType;
    const bool looksJson = type.find("json") != std::string::npos ||
                           (type.empty() && !response.body.empty() && response.body.front() == '{');
    if (looksJson) {
        const auto object = JsonFields::parseObject(response.body, kMaxJsonDepth);
        if (!object) return std::nullopt;
        return Fields{[object](const std::string& n) { return JsonFields::string(*object, n); },
                      [object](const std::string& n) { return JsonFields::has(*object, n); }};
    }
    if (startsWithIgnoreCase(type, "application/x-www-form-urlencoded")) {
        auto form = parseForm(response.body);
        if (!form) return std::nullopt;
        auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(*form));
        return Fields{[shared](const std::string& n) -> std::optional<std::string> {
                          const auto it = shared->find(n);
                          if (it == shared->end()) return std::nullopt;
                          return it->second;
                      },
                      [shared](const std::string& n) { return shared->count(n) > 0; }};
    }
    return std::nullopt;
}

// The OAuth `error` code for the log, only when it looks like one: every registered code and
// every provider extension we know (GitHub's bad_verification_code) is lowercase letters and
// underscores. RFC 6749 §5.2 allows more, but a value with digits, capitals or punctuation
// could be an echo of the code or secret we sent, and is not logged.
std::string loggableErrorCode(const Fields& fields) {
    const auto code = fields.string("error");
    const bool clean = code && !code->empty() && code->size() <= kMaxLoggedErrorCode &&
                       std::all_of(code->begin(), code->end(), [](unsigned char c) {
                           return (c >= 'a' && c <= 'z') || c == '_';
                       });
    return clean ? *code : "(unrecognised error code)";
}

bool retryableStatus(int status) { return status >= 500 || status == 408 || status == 429; }

}  // namespace

std::optional<UpstreamTokenResponse> UpstreamTokenResponse::fromFetch(const FetchResult& fetched,
                                                                      UpstreamError& error) {
    const auto fail = [&error](Kind kind, std::string message) {
        error.kind = kind;
        error.message = std::move(message);
        return std::optional<UpstreamTokenResponse>();
    };
    if (!fetched.ok()) {
        // The fetcher's error names the endpoint and the transport failure, never a body.
        return fail(Kind::Unavailable, "upstream token endpoint unreachable: " + fetched.error);
    }
    const HttpResponse& response = *fetched.response;
    const std::string status = "HTTP " + std::to_string(response.status);
    const auto fields = readFields(response);
    const bool hasError = fields && fields->has("error");

    if (response.status < 200 || response.status > 299) {
        const std::string detail =
            hasError ? status + ", error " + loggableErrorCode(*fields) : status;
        if (retryableStatus(response.status))
            return fail(Kind::Unavailable, "upstream token endpoint failed: " + detail);
        return fail(Kind::Rejected, "upstream token endpoint refused the code: " + detail);
    }
    if (!fields) return fail(Kind::Rejected, "upstream token response is neither JSON nor a form");
    // GitHub reports a bad or reused code as 200 with an `error`.
    if (hasError) {
        return fail(Kind::Rejected, "upstream token endpoint refused the code: " + status +
                                        ", error " + loggableErrorCode(*fields));
    }
    const auto accessToken = fields->string("access_token");
    if (!accessToken || accessToken->empty())
        return fail(Kind::Rejected, "upstream token response has no access_token");
    if (fields->has("token_type")) {
        const auto type = fields->string("token_type");
        if (!type || !equalsIgnoreCase(*type, "bearer"))
            return fail(Kind::Rejected,
                        "upstream token response has a token_type other than Bearer");
    }
    UpstreamTokenResponse out;
    out.accessToken = *accessToken;
    if (fields->has("id_token")) {
        const auto idToken = fields->string("id_token");
        if (!idToken)
            return fail(Kind::Rejected, "upstream token response has a malformed id_token");
        out.idToken = *idToken;
    }
    return out;
}

}  // namespace mcph::auth::server

#include "mcphost/auth/server/UpstreamClient.h"

#include <Poco/URI.h>

#include <algorithm>
#include <initializer_list>
#include <stdexcept>

#include "mcphost/auth/IntrospectionVerifier.h"
#include "mcphost/auth/server/FormUrlEncoded.h"
#include "mcphost/auth/server/ScopeResolver.h"
#include "mcphost/auth/server/UpstreamFacts.h"
#include "mcphost/auth/server/UpstreamJwtCheck.h"
#include "mcphost/auth/server/UpstreamTokenResponse.h"
#include "mcphost/auth/server/UpstreamUserInfo.h"

namespace mcph::auth::server {

namespace {

using Kind = UpstreamError::Kind;

// Authorization codes are short; a huge one is not a code, and is not worth sending upstream.
constexpr std::size_t kMaxCodeBytes = 4096;

// Parameters the host sets itself. An extra parameter with one of these names could redirect
// the code (redirect_uri), drop PKCE, or replace the whole request (request, request_uri: a
// request object's values win over the query's, OIDC Core §6.1), so the configuration may not
// name them.
const char* const kReservedParams[] = {
    "response_type", "client_id",      "redirect_uri",          "scope",
    "state",         "code_challenge", "code_challenge_method", "nonce",
    "resource",      "request",        "request_uri",           "response_mode",
};

bool reserved(const std::string& name) {
    return std::find(std::begin(kReservedParams), std::end(kReservedParams), name) !=
           std::end(kReservedParams);
}

using Params = std::vector<std::pair<std::string, std::string>>;

std::string join(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        out += FormUrlEncoded::encode(name) + "=" + FormUrlEncoded::encode(value);
    }
    return out;
}

void requireHttpUrl(const std::string& url, const char* what, bool allowQuery = true) {
    bool usable = false;
    try {
        const Poco::URI uri(url);
        usable = (uri.getScheme() == "https" || uri.getScheme() == "http") &&
                 !uri.getHost().empty() && uri.getUserInfo().empty() && uri.getFragment().empty() &&
                 url.find('#') == std::string::npos && (allowQuery || uri.getRawQuery().empty());
    } catch (const std::exception&) {
    }
    if (!usable) {
        throw std::invalid_argument(std::string("upstream ") + what +
                                    " must be an absolute http(s) URL without credentials or "
                                    "fragment");
    }
}

// Defence in depth: messages are built from fixed text, statuses and vetted error codes, but a
// secret must not reach a log even through a transport error we did not foresee.
UpstreamSignIn redacted(UpstreamSignIn result, std::initializer_list<const std::string*> secrets) {
    if (result.ok) return result;
    std::string& message = result.error.message;
    for (const std::string* secret : secrets) {
        if (secret->size() < 4) continue;  // too short to be a secret, and would mangle words
        for (auto at = message.find(*secret); at != std::string::npos;
             at = message.find(*secret, at))
            message.replace(at, secret->size(), "[redacted]");
    }
    return result;
}

}  // namespace

struct UpstreamClient::Impl {
    std::unique_ptr<UpstreamJwtCheck> jwt;
    std::unique_ptr<UpstreamUserInfo> userInfo;
};

UpstreamClient::UpstreamClient(std::shared_ptr<HttpFetcher> fetcher, UpstreamOptions options)
    : fetcher_(std::move(fetcher)), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
    if (!fetcher_) throw std::invalid_argument("UpstreamClient needs an HTTP fetcher");
    requireHttpUrl(options_.authEndpoint, "authEndpoint");
    requireHttpUrl(options_.tokenEndpoint, "tokenEndpoint");
    if (options_.clientId.empty()) throw std::invalid_argument("upstream clientId is required");
    if (options_.clientSecret.empty())
        throw std::invalid_argument("upstream clientSecret is required");
    for (const auto& scope : options_.scopes) {
        if (!ScopeResolver::isScopeToken(scope))
            throw std::invalid_argument("upstream scope \"" + scope + "\" is not a scope token");
    }
    for (const auto& [name, value] : options_.extraAuthorizeParams) {
        (void)value;
        if (name.empty() || reserved(name)) {
            throw std::invalid_argument("extraAuthorizeParams may not set \"" + name +
                                        "\": the host sets it itself");
        }
    }
    if (!options_.now) options_.now = systemClock();
    for (const auto& name : options_.factClaims) {
        if (name.empty()) throw std::invalid_argument("upstream factClaims may not name \"\"");
    }

    switch (options_.identity) {
        case UpstreamIdentityMethod::IdToken:
        case UpstreamIdentityMethod::AccessToken: {
            requireHttpUrl(options_.jwksUrl, "jwksUrl");
            if (options_.issuer.empty()) throw std::invalid_argument("upstream issuer is required");
            if (options_.identity == UpstreamIdentityMethod::IdToken &&
                std::find(options_.scopes.begin(), options_.scopes.end(), "openid") ==
                    options_.scopes.end()) {
                throw std::invalid_argument(
                    "identity from the ID token needs the \"openid\" scope");
            }
            // An ID token is always issued to our client id (OIDC Core §2); `audience` is for JWT
            // access tokens whose audience is an API (Auth0's `audience` parameter).
            std::string audience = options_.clientId;
            if (options_.identity == UpstreamIdentityMethod::AccessToken &&
                !options_.audience.empty())
                audience = options_.audience;
            impl_->jwt =
                std::make_unique<UpstreamJwtCheck>(fetcher_, options_, std::move(audience));
            break;
        }
        case UpstreamIdentityMethod::UserInfo:
            requireHttpUrl(options_.userInfoUrl, "userInfoUrl");
            if (!options_.userEmailsUrl.empty())
                requireHttpUrl(options_.userEmailsUrl, "userEmailsUrl");
            if (options_.readOrganizations) requireHttpUrl(options_.userOrgsUrl, "userOrgsUrl");
            if (options_.readTeams) requireHttpUrl(options_.userTeamsUrl, "userTeamsUrl");
            impl_->userInfo = std::make_unique<UpstreamUserInfo>(fetcher_, options_);
            break;
    }
    // Memberships are read with the access token of the userinfo method (GitHub's); asked for
    // elsewhere they would silently be missing, and a policy on them undecidable.
    if ((options_.readOrganizations || options_.readTeams) &&
        options_.identity != UpstreamIdentityMethod::UserInfo) {
        throw std::invalid_argument(
            "reading organisations or teams needs the userinfo identity method");
    }
}

UpstreamClient::~UpstreamClient() = default;

bool UpstreamClient::sendsNonce() const {
    return options_.nonce && options_.identity == UpstreamIdentityMethod::IdToken;
}

std::string UpstreamClient::authorizationUrl(const UpstreamAuthorizationRequest& request) const {
    // Each of these is the host's own value; a missing one is a bug in the caller, and going
    // upstream without it would silently drop a protection.
    if (request.redirectUri.empty() || request.state.empty())
        throw std::invalid_argument("upstream authorization needs redirect_uri and state");
    if (options_.pkce && request.codeChallenge.empty())
        throw std::invalid_argument("upstream authorization needs the PKCE challenge");
    if (sendsNonce() && request.nonce.empty())
        throw std::invalid_argument("upstream authorization needs the nonce");

    Params params{{"response_type", "code"},
                  {"client_id", options_.clientId},
                  {"redirect_uri", request.redirectUri}};
    if (!options_.scopes.empty())
        params.emplace_back("scope", ScopeResolver::join(options_.scopes));
    params.emplace_back("state", request.state);
    if (options_.pkce) {
        params.emplace_back("code_challenge", request.codeChallenge);
        params.emplace_back("code_challenge_method", "S256");
    }
    if (sendsNonce()) params.emplace_back("nonce", request.nonce);
    if (options_.forwardResource && !request.resource.empty())
        params.emplace_back("resource", request.resource);
    for (const auto& extra : options_.extraAuthorizeParams) {
        if (!reserved(extra.first)) params.push_back(extra);  // the constructor refused these
    }

    const std::string& base = options_.authEndpoint;
    std::string separator = "?";
    if (base.find('?') != std::string::npos)
        separator = (base.back() == '?' || base.back() == '&') ? "" : "&";
    return base + separator + join(params);
}

UpstreamSignIn UpstreamClient::completeSignIn(const std::string& code,
                                              const std::string& codeVerifier,
                                              const std::string& redirectUri,
                                              const std::string& expectedNonce) {
    if (code.empty() || code.size() > kMaxCodeBytes)
        return UpstreamSignIn::failure(Kind::Rejected,
                                       "upstream authorization code missing or too long");
    if (redirectUri.empty())
        return UpstreamSignIn::failure(Kind::Rejected, "sign-in has no redirect_uri");
    if (options_.pkce && codeVerifier.empty())
        return UpstreamSignIn::failure(Kind::Rejected, "sign-in has no PKCE verifier");
    // Fail closed: a nonce we meant to send but cannot compare protects nothing.
    if (sendsNonce() && expectedNonce.empty())
        return UpstreamSignIn::failure(Kind::Rejected, "sign-in has no nonce to check");

    Params form{
        {"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirectUri}};
    if (options_.pkce) form.emplace_back("code_verifier", codeVerifier);
    HttpHeaders headers{{"Accept", "application/json"}};
    if (options_.clientSecretBasic) {
        // RFC 6749 §2.3.1: id and secret form-urlencoded before the Base64.
        headers.emplace_back("Authorization", IntrospectionVerifier::basicAuthorization(
                                                  options_.clientId, options_.clientSecret));
    } else {
        form.emplace_back("client_id", options_.clientId);
        form.emplace_back("client_secret", options_.clientSecret);
    }

    UpstreamError error;
    const auto tokens = UpstreamTokenResponse::fromFetch(
        fetcher_->postForm(options_.tokenEndpoint, join(form), headers), error);
    if (!tokens) {
        UpstreamSignIn failed;
        failed.error = std::move(error);
        return redacted(std::move(failed), {&code, &codeVerifier, &options_.clientSecret});
    }
    UpstreamSignIn result = identify(*tokens, expectedNonce);
    if (result.ok) UpstreamFacts::addIdentity(result.identity);  // whichever method found it
    return redacted(std::move(result), {&code, &codeVerifier, &options_.clientSecret,
                                        &tokens->accessToken, &tokens->idToken});
}

UpstreamSignIn UpstreamClient::identify(const UpstreamTokenResponse& tokens,
                                        const std::string& expectedNonce) {
    switch (options_.identity) {
        case UpstreamIdentityMethod::IdToken:
            if (tokens.idToken.empty())
                return UpstreamSignIn::failure(Kind::BadIdentity,
                                               "upstream token response has no id_token");
            return impl_->jwt->check(tokens.idToken, expectedNonce, "ID token");
        case UpstreamIdentityMethod::AccessToken:
            return impl_->jwt->check(tokens.accessToken, "", "access token");
        case UpstreamIdentityMethod::UserInfo:
            return impl_->userInfo->fetch(tokens.accessToken);
    }
    return UpstreamSignIn::failure(Kind::BadIdentity, "unknown identity method");
}

}  // namespace mcph::auth::server

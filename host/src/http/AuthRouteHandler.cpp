#include "http/AuthRouteHandler.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include <algorithm>

#include "http/HttpUtil.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/FormUrlEncoded.h"

namespace mcph::http {

namespace authserver = auth::server;

namespace {

constexpr int kStoreRetryAfterSeconds = 5;

void writeAnswer(Poco::Net::HTTPServerResponse& response,
                 const authserver::EndpointResponse& answer) {
    for (const auto& [name, value] : answer.headers) {
        // Set-Cookie may repeat; everything else is one value.
        if (name == "Set-Cookie") {
            response.add(name, value);
        } else {
            response.set(name, value);
        }
    }
    // With its standard reason phrase (setStatus alone leaves "OK" on every status).
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType(answer.contentType);
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    response.sendBuffer(answer.body.data(), answer.body.size());
}

void plainError(Poco::Net::HTTPServerResponse& response, int status, const std::string& error,
                const std::string& text) {
    authserver::EndpointResponse r;
    r.status = status;
    r.body = R"({"error":")" + error + R"(","error_description":")" + text + R"("})";
    r.headers = {{"Cache-Control", "no-store"}};
    writeAnswer(response, r);
}

std::string joined(const std::vector<std::string>& methods, bool withOptions) {
    std::string out;
    for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
    if (withOptions) out += ", OPTIONS";
    return out;
}

bool allows(const std::vector<std::string>& methods, const std::string& method) {
    const bool listed = std::find(methods.begin(), methods.end(), method) != methods.end();
    return listed ||
           (method == "HEAD" && std::find(methods.begin(), methods.end(), "GET") != methods.end());
}

}  // namespace

void AuthRouteHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                     Poco::Net::HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    if (route_.corsAnyOrigin) {
        response.set("Access-Control-Allow-Origin", "*");
        response.set("Access-Control-Expose-Headers", "WWW-Authenticate");
        if (method == "OPTIONS") {
            response.set("Access-Control-Allow-Methods", joined(route_.methods, true));
            response.set("Access-Control-Allow-Headers",
                         "authorization, content-type, mcp-protocol-version");
            response.set("Access-Control-Max-Age", "600");
            response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
            response.setContentLength(0);
            response.send();
            return;
        }
    }
    if (!allows(route_.methods, method)) {
        response.set("Allow", joined(route_.methods, route_.corsAnyOrigin));
        plainError(response, 405, "invalid_request", "method not allowed");
        return;
    }

    authserver::EndpointRequest in;
    in.method = method == "HEAD" ? "GET" : method;
    in.contentType = mediaTypeOf(request.getContentType());
    // Client authentication (/token, /revoke) reads it: two are refused, never one picked.
    const std::optional<std::string> authorization = soleHeader(request, "Authorization");
    if (!authorization) {
        plainError(response, 400, "invalid_request", "more than one Authorization header");
        return;
    }
    in.authorization = *authorization;
    in.origin = request.get("Origin", "");
    in.clientAddress = clients_.rateLimitKeyOf(request);
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    for (const auto& [name, value] : cookies) in.cookies.emplace(name, value);

    const std::string& uri = request.getURI();
    const std::size_t q = uri.find('?');
    // Parameters come from the query on GET only; on POST they must be in the body (a token in a
    // URL ends up in logs).
    if (in.method == "GET" && q != std::string::npos &&
        !authserver::FormUrlEncoded::parseInto(uri.substr(q + 1), in)) {
        plainError(response, 400, "invalid_request", "malformed query");
        return;
    }
    if (in.method == "POST") {
        auto body = readBody(request, route_.maxBodyBytes);
        if (!body) {
            plainError(response, 413, "invalid_request", "request body too large");
            return;
        }
        in.body = std::move(*body);
        if (in.contentType == "application/x-www-form-urlencoded" &&
            !authserver::FormUrlEncoded::parseInto(in.body, in)) {
            plainError(response, 400, "invalid_request", "malformed form body");
            return;
        }
    }
    try {
        writeAnswer(response, route_.handle(in));
    } catch (const authserver::StoreUnavailable& e) {
        // The shared store is down: nothing was decided, so the client may simply retry.
        Poco::Logger::get("mcp-host.auth")
            .warning("%s %s: store unavailable: %s", method, uri.substr(0, q), std::string(e.what()));
        if (!response.sent()) {
            response.set("Retry-After", std::to_string(kStoreRetryAfterSeconds));
            plainError(response, 503, "temporarily_unavailable",
                       "the authorization server's store is unavailable; retry later");
        }
    } catch (const std::exception& e) {
        // A store or crypto failure: the request fails, the host keeps serving.
        Poco::Logger::get("mcp-host.auth")
            .error("%s %s failed: %s", method, uri.substr(0, q), std::string(e.what()));
        if (!response.sent()) plainError(response, 500, "server_error", "internal error");
    }
}

}  // namespace mcph::http

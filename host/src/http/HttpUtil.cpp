#include "http/HttpUtil.h"

#include <Poco/Net/MediaType.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include "mcp/JsonRpc.h"

namespace mcph::http {

std::size_t headerCount(const Poco::Net::MessageHeader& message, const std::string& name) {
    std::size_t count = 0;
    for (const auto& [field, value] : message) {
        if (Poco::icompare(field, name) == 0) ++count;
    }
    return count;
}

std::optional<std::string> soleHeader(const Poco::Net::MessageHeader& message, const std::string& name) {
    if (headerCount(message, name) > 1) return std::nullopt;
    return message.get(name, "");
}

std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit)) return std::nullopt;
    std::string body;
    std::istream& in = request.stream();
    char buf[16384];
    while (in) {
        in.read(buf, sizeof buf);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        if (body.size() + n > limit) return std::nullopt;  // chunked bodies have no length up front
        body.append(buf, n);
    }
    return body;
}

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void sendRpcError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, int code,
                  const std::string& message) {
    sendJson(response, status, mcp::serializeError(Poco::Dynamic::Var(), code, message));
}

bool accepts(const Poco::Net::HTTPServerRequest& request, const std::string& mediaType) {
    if (!request.has("Accept")) return true;
    const std::string wantedType = mediaType.substr(0, mediaType.find('/'));
    Poco::StringTokenizer items(request.get("Accept"), ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& item : items) {
        try {
            Poco::Net::MediaType offered(item);
            double q = 1.0;
            if (offered.hasParameter("q") && (!Poco::NumberParser::tryParseFloat(offered.getParameter("q"), q) || q <= 0.0)) continue;
            const std::string type = Poco::toLower(offered.getType());
            const std::string sub = Poco::toLower(offered.getSubType());
            if (type == "*" || (type == wantedType && (sub == "*" || type + "/" + sub == mediaType))) return true;
        } catch (const Poco::Exception&) {
        }
    }
    return false;
}

std::string mediaTypeOf(const std::string& contentType) {
    return Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
}

}  // namespace mcph::http

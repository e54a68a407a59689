#pragma once
// Small helpers shared by handlers: bounded body reads and JSON / JSON-RPC error replies.
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

namespace mcph::http {

// The request body, or nullopt when it is larger than `limit` bytes.
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit);

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body);

// An HTTP error whose body is a JSON-RPC error with a null id, as MCP clients expect.
void sendRpcError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, int code,
                  const std::string& message);

// True if the Accept header admits `mediaType` (exactly, via type/* or */*). An absent header
// admits everything.
bool accepts(const Poco::Net::HTTPServerRequest& request, const std::string& mediaType);

// The media type of Content-Type without parameters, lower-cased.
std::string mediaTypeOf(const std::string& contentType);

// How many times header `name` (case-insensitive) occurs in `message`.
std::size_t headerCount(const Poco::Net::MessageHeader& message, const std::string& name);

// The value of a header that may occur at most once: "" when absent, nullopt when `message`
// carries it more than once. Poco's get() picks one of them, so a proxy in front of the host and
// the host itself could each act on a different one.
std::optional<std::string> soleHeader(const Poco::Net::MessageHeader& message, const std::string& name);

}  // namespace mcph::http

#pragma once
// What the proxy authorization server's endpoints take and give, free of HTTP server types: the
// endpoints are pure logic (unit-testable without a socket) and a thin Poco handler in the host
// copies requests in and answers out.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mcph::auth::server {

struct EndpointRequest {
    std::string method;  // GET, POST
    // Query parameters (GET) or the form-urlencoded body (POST), decoded.
    std::map<std::string, std::string> params;
    // Parameter names sent more than once: RFC 6749 §3.1 says such a request is invalid.
    std::vector<std::string> repeatedParams;
    std::map<std::string, std::string> cookies;
    std::string authorization;  // the Authorization header, "" when absent
    std::string origin;         // the Origin header, "" when absent
    std::string contentType;    // media type only, lower case
    // What rate limits count by: the TCP peer or, behind a trusted proxy, the client it names
    // (host/src/http/ClientAddress); an IPv6 address as its /64, "2001:db8:1:2::/64".
    std::string clientAddress;
    std::string body;           // POST: the body as received (already bounded by the route)

    // The parameter's value, "" when absent.
    std::string param(const std::string& name) const;
    bool has(const std::string& name) const { return params.count(name) != 0; }
    std::string cookie(const std::string& name) const;
};

struct EndpointResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    // The value of header `name` (exact, case-insensitive), "" when absent.
    std::string header(const std::string& name) const;
};

}  // namespace mcph::auth::server

#include "mcphost/auth/PocoHttpFetcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>

namespace mcph::auth {

namespace {

Poco::Timespan toTimespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// One client context for the process: loading the system CA store costs tens of
// milliseconds, and a Context is safe to share between sessions and threads.
Poco::Net::Context::Ptr sharedTlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        // Our own context rather than SSLManager's default one, so nothing in the application
        // configuration can turn verification off for the auth library. A failed chain check
        // fails closed unless some handler explicitly ignores it; the host installs none.
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = true;  // the system CA store
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    });
    return context;
}

}  // namespace

PocoHttpFetcher::PocoHttpFetcher(HttpFetcherOptions options)
    : options_(std::move(options)), tlsContext_(sharedTlsContext()) {}

FetchResult PocoHttpFetcher::get(const std::string& url, const HttpHeaders& headers) {
    return send(Poco::Net::HTTPRequest::HTTP_GET, url, nullptr, headers);
}

FetchResult PocoHttpFetcher::postForm(const std::string& url, const std::string& formBody,
                                      const HttpHeaders& headers) {
    return send(Poco::Net::HTTPRequest::HTTP_POST, url, &formBody, headers);
}

FetchResult PocoHttpFetcher::send(const std::string& method, const std::string& url,
                                  const std::string* body, const HttpHeaders& headers) {
    FetchResult result;
    try {
        const Poco::URI uri(url);
        const std::string scheme = uri.getScheme();
        if (scheme != "http" && scheme != "https") {
            result.error = "unsupported URL scheme in " + url;
            return result;
        }
        if (uri.getHost().empty() || !uri.getUserInfo().empty()) {
            result.error = "unusable URL " + url;
            return result;
        }
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (scheme == "https") {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                      tlsContext_);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        }
        session->setTimeout(toTimespan(options_.connectTimeout), toTimespan(options_.readTimeout),
                            toTimespan(options_.readTimeout));
        session->setKeepAlive(false);

        std::string target = uri.getPathAndQuery();
        if (target.empty()) target = "/";
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", options_.userAgent);
        request.set("Accept", "application/json");
        for (const auto& [name, value] : headers) request.set(name, value);
        const auto started = std::chrono::steady_clock::now();
        if (body) {
            request.setContentType("application/x-www-form-urlencoded");
            request.setContentLength64(static_cast<Poco::Int64>(body->size()));
            session->sendRequest(request) << *body;
        } else {
            session->sendRequest(request);
        }

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        const std::size_t cap = options_.maxResponseBytes;
        if (response.hasContentLength() &&
            response.getContentLength64() > static_cast<Poco::Int64>(cap)) {
            result.error =
                "response from " + url + " is larger than " + std::to_string(cap) + " bytes";
            return result;
        }
        // Read at most cap + 1 bytes: one byte over is enough to know the answer is too big.
        std::string data;
        char buffer[8192];
        while (data.size() <= cap) {
            const std::size_t want = std::min(sizeof buffer, cap + 1 - data.size());
            in.read(buffer, static_cast<std::streamsize>(want));
            const auto got = in.gcount();
            if (got <= 0) break;
            data.append(buffer, static_cast<std::size_t>(got));
            if (std::chrono::steady_clock::now() - started > options_.totalTimeout) {
                result.error = "response from " + url + " took too long";
                return result;
            }
        }
        if (data.size() > cap) {
            result.error =
                "response from " + url + " is larger than " + std::to_string(cap) + " bytes";
            return result;
        }
        HttpResponse out;
        out.status = static_cast<int>(response.getStatus());
        out.contentType = response.getContentType();
        out.body = std::move(data);
        result.response = std::move(out);
    } catch (const Poco::Exception& e) {
        // displayText() describes the transport failure (refused, timeout, certificate); it
        // never includes a body.
        result.error = "request to " + url + " failed: " + e.displayText();
    } catch (const std::exception& e) {
        result.error = "request to " + url + " failed: " + e.what();
    }
    return result;
}

}  // namespace mcph::auth

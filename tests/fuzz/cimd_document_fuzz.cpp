// Client ID Metadata Documents (a URL as client_id at /authorize, then the JSON fetched from
// it): auth::server::CimdClientIdUrl::parse and ::looksLikeUrl on the client id, then
// ClientMetadataDocument::parse on the document (which runs RegistrationRequest::parse and
// RedirectUriPolicy on its redirect_uris). The input is the client id URL, a newline, then the
// document; the pinned vendor documents are among the seeds.
//
// Neither documents an exception: a refused id is nullopt with a reason, a refused document a
// result with `error`. So nothing is caught.
#include "FuzzSupport.h"
#include "mcphost/auth/server/CimdClientIdUrl.h"
#include "mcphost/auth/server/ClientMetadataDocument.h"

using namespace mcph::auth::server;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "cimd_document";

const RedirectUriPolicy& policy() {
    static const RedirectUriPolicy p({"https://mcp.example.com/oauth/callback"});
    return p;
}

bool printableAscii(const std::string& s) {
    for (unsigned char c : s) {
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [clientId, body] = mcph::fuzz::splitOnce(mcph::fuzz::bytes(data, size), '\n');

    std::string reason;
    const auto url = CimdClientIdUrl::parse(clientId, /*allowHttp=*/false, &reason);
    if (url) {
        if (url->url != clientId) fuzzFail(kTarget, "the parsed client id is not the id");
        if (!CimdClientIdUrl::looksLikeUrl(clientId)) fuzzFail(kTarget, "an accepted id that does not look like a URL");
        if (url->scheme != "https") fuzzFail(kTarget, "a non-https client id with allowHttp off");
        if (clientId.size() > CimdClientIdUrl::kMaxLength || !printableAscii(clientId))
            fuzzFail(kTarget, "an over-long or non-printable client id accepted");
        if (url->host.empty() || url->port == 0) fuzzFail(kTarget, "an accepted id without host or port");
        if (url->target.empty() || url->target[0] != '/' || url->target == "/")
            fuzzFail(kTarget, "an accepted id without a path");
        if (url->authority.find('@') != std::string::npos) fuzzFail(kTarget, "an accepted id with userinfo");
        if (clientId.find('#') != std::string::npos) fuzzFail(kTarget, "an accepted id with a fragment");
    } else if (reason.empty()) {
        fuzzFail(kTarget, "a refused client id without a reason");
    }

    const ClientMetadataDocumentResult result = ClientMetadataDocument::parse(body, clientId, policy());
    if (!result.document) {
        if (result.error.empty()) fuzzFail(kTarget, "a refused document without a reason");
        return 0;
    }
    const ClientMetadataDocument& doc = *result.document;
    if (doc.clientId != clientId) fuzzFail(kTarget, "a document accepted for another client id");
    if (doc.redirectUris.empty()) fuzzFail(kTarget, "a document accepted without redirect URIs");
    for (const auto& uri : doc.redirectUris) {
        if (policy().rejectReason(uri)) fuzzFail(kTarget, "a document kept a redirect URI the policy refuses");
    }
    const auto record = doc.toClientRecord(mcph::fuzz::fixedNow());
    if (record.authMethod != "none" || !record.secretHash.empty())
        fuzzFail(kTarget, "a metadata document client that is not public");
    return 0;
}

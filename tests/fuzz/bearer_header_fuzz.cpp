// The Authorization header in front of the MCP endpoint: auth::BearerAuthenticator::authenticate
// and ::parseBearer (RFC 6750 scheme, token68), and the WWW-Authenticate challenge built from
// the verifier's answer. The verifier is a stub that never touches the network: it accepts one
// fixed token and otherwise refuses with an error text made of the token's own bytes, so the
// fuzzer also checks that no refusal text can break out of the challenge header.
//
// authenticate() documents no exception (it turns a verifier's exception into a 503 itself),
// and the stub throws none. So nothing is caught.
#include <memory>

#include "FuzzSupport.h"
#include "mcphost/auth/BearerAuthenticator.h"

using namespace mcph::auth;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "bearer_header";
constexpr const char* kGoodToken = "good-token.with~token68+chars/==";

bool isToken68(const std::string& t) {
    std::size_t i = 0;
    auto ok = [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_' || c == '~' || c == '+' || c == '/';
    };
    while (i < t.size() && ok(static_cast<unsigned char>(t[i]))) ++i;
    if (i == 0) return false;
    while (i < t.size() && t[i] == '=') ++i;
    return i == t.size();
}

class StubVerifier final : public TokenVerifier {
public:
    std::string lastToken;
    VerifyResult verify(const std::string& token) override {
        lastToken = token;
        if (token == kGoodToken) {
            AuthContext ctx;
            ctx.authenticated = true;
            ctx.userId = "user-1";
            ctx.issuer = "https://issuer.example";
            return VerifyResult::ok(ctx);
        }
        // A hostile error text (real verifiers never echo the token; this checks the escaping).
        return VerifyResult::fail("refused: " + token + "\"\r\n\\", !token.empty() && token[0] == 'U');
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static auto stub = std::make_shared<StubVerifier>();
    static BearerAuthenticator authenticator(stub, "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
                                             {"mcp:read", "mcp:write"});
    const std::string header = mcph::fuzz::bytes(data, size);

    bool isBearer = false;
    const auto token = BearerAuthenticator::parseBearer(header, isBearer);
    if (token && (!isBearer || !isToken68(*token)))
        fuzzFail(kTarget, "parseBearer returned something that is not a Bearer token68");
    if (token && header.size() != 7 + token->size()) fuzzFail(kTarget, "parseBearer dropped or added bytes");

    stub->lastToken.clear();
    const AuthDecision decision = authenticator.authenticate(header);
    if (decision.context) {
        if (!token || *token != kGoodToken) fuzzFail(kTarget, "let in a request without the good token");
        if (decision.httpStatus != 200) fuzzFail(kTarget, "allowed with a status other than 200");
        return 0;
    }
    if (!stub->lastToken.empty() && (!token || stub->lastToken != *token))
        fuzzFail(kTarget, "the verifier saw something other than the parsed token");
    if (decision.httpStatus != 401 && decision.httpStatus != 503)
        fuzzFail(kTarget, "refused with status " + std::to_string(decision.httpStatus));
    if (decision.httpStatus == 401 && decision.wwwAuthenticate.rfind("Bearer ", 0) != 0)
        fuzzFail(kTarget, "a 401 without a Bearer challenge");
    if (mcph::fuzz::hasHeaderBreakingByte(decision.wwwAuthenticate))
        fuzzFail(kTarget, "a control byte in WWW-Authenticate");
    if (mcph::fuzz::hasHeaderBreakingByte(decision.errorDescription))
        fuzzFail(kTarget, "a control byte in the error description");

    // insufficientScope builds a challenge from scope names; those come from plugin descriptors,
    // here from the header bytes.
    const AuthDecision scope = authenticator.insufficientScope({header, "mcp:admin"});
    if (scope.httpStatus != 403 || mcph::fuzz::hasHeaderBreakingByte(scope.wwwAuthenticate))
        fuzzFail(kTarget, "a broken 403 challenge");
    return 0;
}

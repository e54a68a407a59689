#include "mcphost/auth/server/BrowserBinding.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

constexpr std::size_t kIdBytes = 32;
constexpr std::size_t kIdChars = 43;  // base64url of 32 bytes, no padding

bool wellFormedId(const std::string& id) {
    if (id.size() != kIdChars) return false;
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

BrowserBinding::BrowserBinding(std::string key, bool secureCookie)
    : key_(Secrets::sha256(key)), secure_(secureCookie) {}

std::optional<std::string> BrowserBinding::existing(const EndpointRequest& request) const {
    std::string id = request.cookie(cookieName());
    if (!wellFormedId(id)) return std::nullopt;
    return id;
}

BrowserBinding::Browser BrowserBinding::identify(const EndpointRequest& request) const {
    if (auto id = existing(request)) return {*id, false};
    return {Secrets::randomToken(kIdBytes), true};
}

std::string BrowserBinding::setCookieHeader(const std::string& id) const {
    // Session cookie (no Max-Age): it only has to live through one sign-in.
    std::string header = std::string(cookieName()) + "=" + id + "; Path=/; HttpOnly; SameSite=Lax";
    if (secure_) header += "; Secure";
    return header;
}

std::string BrowserBinding::fingerprint(const std::string& id) { return Secrets::sha256Hex("browser:" + id); }

std::string BrowserBinding::csrfToken(const std::string& browserId, const std::string& ticket) const {
    const std::string message = "consent:" + browserId + ":" + ticket;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length)) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return Base64Url::encode(std::string_view(reinterpret_cast<const char*>(mac), length));
}

bool BrowserBinding::csrfValid(const std::string& browserId, const std::string& ticket, const std::string& token) const {
    if (browserId.empty() || ticket.empty() || token.empty()) return false;
    return Secrets::constantTimeEquals(csrfToken(browserId, ticket), token);
}

}  // namespace mcph::auth::server

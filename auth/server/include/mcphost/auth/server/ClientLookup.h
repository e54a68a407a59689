#pragma once
// Where /authorize, /token and /revoke find a client by its id: the registrations in the store,
// and (when enabled) Client ID Metadata Documents, whose ids are https URLs.
#include <optional>
#include <string>

#include "mcphost/auth/server/AuthStore.h"

namespace mcph::auth::server {

class ClientLookup {
public:
    virtual ~ClientLookup() = default;
    virtual std::optional<ClientRecord> find(const std::string& clientId) = 0;
};

// Dynamically registered clients only.
class StoreClientLookup final : public ClientLookup {
public:
    explicit StoreClientLookup(AuthStore& store) : store_(store) {}
    std::optional<ClientRecord> find(const std::string& clientId) override {
        if (clientId.empty() || clientId.size() > 512) return std::nullopt;
        return store_.findClient(clientId);
    }

private:
    AuthStore& store_;
};

}  // namespace mcph::auth::server

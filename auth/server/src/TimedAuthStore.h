#pragma once
// Internal to AuthorizationServer: the store with each operation timed for AuthEvents (the
// store latency metric). Forwards every call unchanged.
#include <chrono>
#include <memory>
#include <utility>

#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/server/AuthStore.h"

namespace mcph::auth::server {

class TimedAuthStore final : public AuthStore {
  public:
    TimedAuthStore(std::unique_ptr<AuthStore> inner, AuthEvents& events)
        : inner_(std::move(inner)), events_(events) {}

    RegisterStatus registerClient(const ClientRecord& client) override {
        return timed([&] { return inner_->registerClient(client); });
    }
    std::optional<ClientRecord> findClient(const std::string& clientId) override {
        return timed([&] { return inner_->findClient(clientId); });
    }
    void markClientUsed(const std::string& clientId, TimePoint now) override {
        timed([&] { inner_->markClientUsed(clientId, now); });
    }
    std::size_t clientCount() override {
        return timed([&] { return inner_->clientCount(); });
    }
    std::size_t sweepUnusedClients(TimePoint now, std::chrono::seconds maxAge) override {
        return timed([&] { return inner_->sweepUnusedClients(now, maxAge); });
    }
    void grantConsent(const std::string& clientId, const std::string& userKey,
                      const std::vector<std::string>& scopes, TimePoint now) override {
        timed([&] { inner_->grantConsent(clientId, userKey, scopes, now); });
    }
    bool hasConsent(const std::string& clientId, const std::string& userKey,
                    const std::vector<std::string>& scopes) override {
        return timed([&] { return inner_->hasConsent(clientId, userKey, scopes); });
    }
    void putPending(const PendingAuthorization& pending) override {
        timed([&] { inner_->putPending(pending); });
    }
    std::optional<PendingAuthorization> takePending(const std::string& state,
                                                    TimePoint now) override {
        return timed([&] { return inner_->takePending(state, now); });
    }
    void putCode(const AuthorizationCode& code) override {
        timed([&] { inner_->putCode(code); });
    }
    ConsumeCodeResult consumeCode(const std::string& code, TimePoint now) override {
        return timed([&] { return inner_->consumeCode(code, now); });
    }
    RefreshIssue createRefreshFamily(const Grant& grant, const std::string& fromCode,
                                     TimePoint now) override {
        return timed([&] { return inner_->createRefreshFamily(grant, fromCode, now); });
    }
    RotateResult rotateRefreshToken(const std::string& token, const std::string& clientId,
                                    TimePoint now) override {
        return timed([&] { return inner_->rotateRefreshToken(token, clientId, now); });
    }
    bool revokeRefreshToken(const std::string& token, const std::string& clientId) override {
        return timed([&] { return inner_->revokeRefreshToken(token, clientId); });
    }
    bool revokeGrant(const std::string& familyId, const std::string& clientId) override {
        return timed([&] { return inner_->revokeGrant(familyId, clientId); });
    }
    std::optional<Grant> activeGrant(const std::string& familyId, TimePoint now) override {
        return timed([&] { return inner_->activeGrant(familyId, now); });
    }
    std::vector<ActiveGrant> activeGrants(TimePoint now) override {
        return timed([&] { return inner_->activeGrants(now); });
    }
    void narrowGrant(const std::string& familyId, const std::vector<std::string>& scopes) override {
        timed([&] { inner_->narrowGrant(familyId, scopes); });
    }
    void endGrant(const std::string& familyId) override {
        timed([&] { inner_->endGrant(familyId); });
    }
    std::optional<std::string> loadSigningKey() override {
        return timed([&] { return inner_->loadSigningKey(); });
    }
    std::string storeSigningKeyIfAbsent(const std::string& pem) override {
        return timed([&] { return inner_->storeSigningKeyIfAbsent(pem); });
    }
    std::size_t sweepExpired(TimePoint now) override {
        return timed([&] { return inner_->sweepExpired(now); });
    }
    std::string problem() override { return inner_->problem(); }

  private:
    // Reports the time whether the call returns or throws.
    template <typename Call>
    auto timed(Call call) -> decltype(call()) {
        struct Report {
            AuthEvents& events;
            std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
            ~Report() {
                events.storeOperation(
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                        .count());
            }
        } report{events_};
        return call();
    }

    std::unique_ptr<AuthStore> inner_;
    AuthEvents& events_;
};

}  // namespace mcph::auth::server

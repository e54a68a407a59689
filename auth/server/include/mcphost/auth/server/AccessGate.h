#pragma once
// The one place that says whether a user may hold a grant now, and with which scopes: the
// operator's access policy (AccessPolicy), the scopes the host offers and, for the `local`
// provider, the users file as it is now (a user removed from it holds nothing; a user's own
// `scopes` bound what any rule gives). Asked when a code is issued, at every refresh, and for
// every stored grant when the host starts or reloads the users file (SIGHUP).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/server/AccessPolicy.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/LocalUserDirectory.h"

namespace mcph::auth::server {

struct GrantReview {
    std::size_t kept = 0;
    std::size_t narrowed = 0;
    std::size_t ended = 0;
};

class AccessGate {
public:
    // `localUsers`: the local provider's directory, or null in proxy mode.
    AccessGate(AccessPolicy policy, std::vector<std::string> offered,
               std::shared_ptr<const LocalUserDirectory> localUsers);

    // At sign-in: whether the user with these facts is admitted, and to which scopes.
    AccessDecision admit(const UserFacts& facts) const;

    // For a stored grant: nullopt when its user is no longer admitted (end the grant), else the
    // scopes of the grant the user may still hold (a subset of grant.scopes, maybe all of it).
    std::optional<std::vector<std::string>> review(const Grant& grant) const;

    // Applies review() to every active grant in `store`: ends or narrows each one that no longer
    // fits. Returns the counts, for the log.
    GrantReview reviewAll(AuthStore& store, TimePoint now) const;

    const AccessPolicy& policy() const { return policy_; }

    // The `local` users as they are now (null in proxy mode). Sign-ins authenticate against
    // this snapshot, so a reload never pulls the file out from under a running check.
    std::shared_ptr<const LocalUserDirectory> localUsers() const;
    // The users file was read again (SIGHUP): later sign-ins, refreshes and reviews see it.
    void replaceLocalUsers(std::shared_ptr<const LocalUserDirectory> users);

private:
    AccessPolicy policy_;
    std::vector<std::string> offered_;
    mutable std::mutex usersMutex_;
    std::shared_ptr<const LocalUserDirectory> localUsers_;
};

}  // namespace mcph::auth::server

#pragma once
// The `local` provider's users, read from a JSON file the operator writes:
//   { "users": [ { "username": "alice", "password": "pbkdf2-sha256$600000$…$…",
//                  "email": "alice@example.com", "name": "Alice", "scopes": ["notes:write"] } ] }
// `scopes` (optional) limits what the user may be granted; absent = any scope the host offers.
// Unknown keys are refused, at the top level and per user, so a typo such as "scope" cannot
// silently lift a user's limit; each scope must be an RFC 6749 scope token.
#include <optional>
#include <string>
#include <vector>

namespace mcph::auth::server {

struct LocalUser {
    std::string username;
    std::string passwordHash;
    std::string email;
    std::string name;
    std::optional<std::vector<std::string>> scopes;
};

class LocalUserDirectory {
public:
    // Throws std::runtime_error naming the file and the problem (never a password hash) when the
    // file cannot be read, is not valid JSON, has no users, a duplicate (case-insensitively) or
    // empty username, a malformed hash, an unknown key or a malformed scope.
    static LocalUserDirectory load(const std::string& path);
    static LocalUserDirectory fromJson(const std::string& json);  // same checks, for tests

    // The user when `username` exists and `password` matches. Takes the same time for an
    // unknown username as for a wrong password (a dummy hash is verified), so timing does not
    // reveal which usernames exist.
    std::optional<LocalUser> authenticate(const std::string& username,
                                          const std::string& password) const;

    // The user named `username` (exactly, as authenticate matches), without a password: for
    // re-checking a grant against the file as it is now.
    std::optional<LocalUser> find(const std::string& username) const;

    std::size_t size() const { return users_.size(); }
    const std::vector<LocalUser>& users() const { return users_; }

private:
    static LocalUserDirectory parse(const std::string& json, const std::string& source);

    std::vector<LocalUser> users_;
    // Verified for unknown usernames: well formed, with the largest iteration count in the
    // file, so it costs as much as the dearest real hash and matches no password.
    std::string dummyHash_;
};

}  // namespace mcph::auth::server

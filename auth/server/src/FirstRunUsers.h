#pragma once
// The `local` provider without a users file (the embedded defaults): on first start the host
// writes <dir>/users.json with one user, "admin", whose random password goes to
// <dir>/admin-password (mode 0600, like the users file). The log names the file, never the
// password. Later starts reuse the file, so the operator can edit it (README: local provider).
#include <string>

namespace mcph::auth::server {

// Returns the path of <dir>/users.json, creating it (and the password file) when absent.
// Throws std::runtime_error when the directory cannot be written.
std::string ensureFirstRunUsersFile(const std::string& dir);

}  // namespace mcph::auth::server

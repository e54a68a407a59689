#pragma once
// Internal to SqliteAuthStore: the table definitions and the versioned migration. The version
// lives in the `meta` table; each schema change appends one step, and a file written by a newer
// build is refused rather than guessed at.
#include <string>

namespace Poco::Data {
class Session;
}

namespace mcph::auth::server {

class SqliteSchema {
public:
    // Brings the file to SqliteAuthStore::kSchemaVersion in one transaction. Throws
    // std::runtime_error for a newer version, Poco::Exception for SQL failures.
    static void migrate(Poco::Data::Session& session, const std::string& path);
    static int version(Poco::Data::Session& session);
};

}  // namespace mcph::auth::server

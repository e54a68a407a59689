#include "SqliteSchema.h"

#include <stdexcept>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "SqliteTransaction.h"
#include "mcphost/auth/server/SqliteAuthStore.h"

using namespace Poco::Data::Keywords;

namespace mcph::auth::server {

namespace {

// Times are milliseconds since the epoch; lists are space (scopes) or newline (redirect URIs)
// separated; empty strings and 0 stand for "unset", so no column is NULL.
const char* kSchemaV1[] = {
    "CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, redirect_uris TEXT NOT NULL,"
    " name TEXT NOT NULL, auth_method TEXT NOT NULL, created_at INTEGER NOT NULL, last_used INTEGER NOT NULL,"
    " has_token INTEGER NOT NULL)",
    "CREATE TABLE consents (client_id TEXT NOT NULL, user_key TEXT NOT NULL, scopes TEXT NOT NULL,"
    " granted_at INTEGER NOT NULL, PRIMARY KEY (client_id, user_key))",
    // state is hashed like every other bearer value; the upstream verifier must be read back.
    "CREATE TABLE pending (state_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, client_state TEXT NOT NULL,"
    " redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL, resource TEXT NOT NULL, scopes TEXT NOT NULL,"
    " upstream_verifier TEXT NOT NULL, browser_nonce TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    "CREATE TABLE codes (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, subject TEXT NOT NULL,"
    " email TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, resource TEXT NOT NULL,"
    " redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL, expires_at INTEGER NOT NULL,"
    " used INTEGER NOT NULL DEFAULT 0, family_id TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE refresh_families (family_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, subject TEXT NOT NULL,"
    " email TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, resource TEXT NOT NULL,"
    " generation INTEGER NOT NULL, rotated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, generation INTEGER NOT NULL)",
    "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
    "CREATE TABLE signing_key (id INTEGER PRIMARY KEY CHECK (id = 1), pem TEXT NOT NULL)",
};

}  // namespace

void SqliteSchema::migrate(Poco::Data::Session& s, const std::string& path) {
    const int target = SqliteAuthStore::kSchemaVersion;
    SqliteTransaction tx(s);
    s << "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", now;
    std::string text;
    Poco::Data::Statement select(s);
    select << "SELECT value FROM meta WHERE key = 'schema_version'", into(text);
    const int current = select.execute() ? std::stoi(text) : 0;
    if (current > target) {
        throw std::runtime_error("proxy store " + path + " has schema version " + std::to_string(current) +
                                 ", newer than this build understands (" + std::to_string(target) + ")");
    }
    if (current < 1) {
        for (const char* sql : kSchemaV1) s << std::string(sql), now;
    }
    if (current < 2) {
        // Version 2: the facts of the sign-in travel with codes and grants (the access policy
        // re-decides on them). Rows from version 1 read back with subject and email alone.
        s << "ALTER TABLE codes ADD COLUMN facts TEXT NOT NULL DEFAULT ''", now;
        s << "ALTER TABLE refresh_families ADD COLUMN facts TEXT NOT NULL DEFAULT ''", now;
    }
    // Later versions append `if (current < N) { ALTER ... }` steps here.
    std::string stored = std::to_string(target);
    s << "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", use(stored), now;
    tx.commit();
}

int SqliteSchema::version(Poco::Data::Session& s) {
    std::string text;
    s << "SELECT value FROM meta WHERE key = 'schema_version'", into(text), now;
    return std::stoi(text);
}

}  // namespace mcph::auth::server

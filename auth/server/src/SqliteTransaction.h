#pragma once
// Internal to SqliteAuthStore. BEGIN IMMEDIATE takes the write lock up front, so two
// connections never both read a row and then both act on it (a deferred BEGIN would instead
// fail one of them with SQLITE_BUSY on the upgrade); rolled back unless committed.
#include <Poco/Data/Session.h>

namespace mcph::auth::server {

class SqliteTransaction {
public:
    explicit SqliteTransaction(Poco::Data::Session& s) : s_(s) { s_ << "BEGIN IMMEDIATE", Poco::Data::Keywords::now; }
    ~SqliteTransaction() {
        if (done_) return;
        try {
            s_ << "ROLLBACK", Poco::Data::Keywords::now;
        } catch (...) {
        }
    }
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;

    void commit() {
        s_ << "COMMIT", Poco::Data::Keywords::now;
        done_ = true;
    }

private:
    Poco::Data::Session& s_;
    bool done_ = false;
};

}  // namespace mcph::auth::server

// A prepared SQLite statement and one use of it. All SQL in the notes plugin goes through
// here: fixed text prepared once, values only ever bound, never spliced into the SQL.
#ifndef MCPH_NOTES_SQLITE_STATEMENT_HPP
#define MCPH_NOTES_SQLITE_STATEMENT_HPP

#include <sqlite3.h>

#include <climits>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace notes {

class DatabaseError : public std::runtime_error {
  public:
    DatabaseError(sqlite3* db, const std::string& doing)
        : std::runtime_error("database error while " + doing + ": " + sqlite3_errmsg(db)) {}
};

class Statement {
  public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            throw DatabaseError(db, "preparing a statement");
        }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    sqlite3_stmt* get() const { return stmt_; }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

// Binds, steps and reads one execution; resets the statement and clears its bindings when it
// goes out of scope, so bound text may be borrowed (SQLITE_STATIC) for the Query's lifetime.
class Query {
  public:
    explicit Query(const Statement& statement) : stmt_(statement.get()) {}
    ~Query() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int index, std::string_view text) {
        if (text.size() > INT_MAX) {
            throw std::length_error("value too large to store");
        }
        // A null data pointer would bind SQL NULL; an empty view must bind "".
        const char* data = text.data() != nullptr ? text.data() : "";
        check(sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_STATIC));
        return *this;
    }
    Query& bind(int index, int64_t value) {
        check(sqlite3_bind_int64(stmt_, index, value));
        return *this;
    }

    // True while there is a row to read, false when done.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        throw DatabaseError(sqlite3_db_handle(stmt_), "running a statement");
    }

    int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return data ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
                    : std::string();
    }

  private:
    void check(int rc) const {
        if (rc != SQLITE_OK) {
            throw DatabaseError(sqlite3_db_handle(stmt_), "binding a value");
        }
    }

    sqlite3_stmt* stmt_;
};

}  // namespace notes

#endif  // MCPH_NOTES_SQLITE_STATEMENT_HPP

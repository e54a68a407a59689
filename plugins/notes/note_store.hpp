// The notes table: every row belongs to one (issuer, user id) and every query is filtered by
// it, so one user's note id is "not found" for anyone else, exactly like an id that never was.
#ifndef MCPH_NOTES_NOTE_STORE_HPP
#define MCPH_NOTES_NOTE_STORE_HPP

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite_statement.hpp"

namespace notes {

// Whose notes: the auth context's issuer and user id, never the user id alone.
struct Owner {
    std::string_view issuer;
    std::string_view userId;
};

struct Note {
    int64_t id = 0;
    std::string title;
    std::string text;  // the whole text from get(); the first kSnippetChars from list()
    std::string createdAt;
};

// One connection behind a mutex rather than a connection per call: a private in-memory
// database lives inside its single connection, SQLite runs one writer at a time anyway, and
// every call is one short statement, so a pool would only add open costs and busy retries.
// WAL mode and a busy timeout keep other processes on the same file (a backup, the sqlite3
// shell) from failing our calls.
class NoteStore {
  public:
    static constexpr int kSnippetChars = 200;

    // `path` is a file, created if missing, or ":memory:". Throws DatabaseError.
    explicit NoteStore(const std::string& path);

    Note add(const Owner& owner, std::string_view title, std::string_view text);
    // Newest first; `query` ("" for all) matches title or text as a substring, ASCII letters
    // without regard to case.
    std::vector<Note> list(const Owner& owner, std::string_view query, int64_t limit);
    std::optional<Note> get(const Owner& owner, int64_t id);
    bool remove(const Owner& owner, int64_t id);

  private:
    struct CloseDatabase {
        void operator()(sqlite3* db) const { sqlite3_close(db); }
    };

    void exec(const char* sql, const char* doing);
    void migrate();
    std::optional<Note> getLocked(const Owner& owner, int64_t id);

    std::mutex mutex_;
    std::unique_ptr<sqlite3, CloseDatabase> db_;  // declared before the statements: closed last
    std::unique_ptr<Statement> insert_;
    std::unique_ptr<Statement> list_;
    std::unique_ptr<Statement> get_;
    std::unique_ptr<Statement> remove_;
};

}  // namespace notes

#endif  // MCPH_NOTES_NOTE_STORE_HPP

#include "note_store.hpp"

#include <stdexcept>
#include <string>

namespace notes {
namespace {

constexpr int64_t kSchemaVersion = 1;

// AUTOINCREMENT: a deleted note's id is never handed out again, so an id a user remembers can
// only ever mean that one note.
constexpr char kCreateSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer     TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS notes_by_owner ON notes (issuer, user_id, id);
PRAGMA user_version = 1;
)sql";

constexpr char kInsert[] =
    "INSERT INTO notes (issuer, user_id, title, text) VALUES (?1, ?2, ?3, ?4)";

constexpr char kList[] = R"sql(
SELECT id, title, substr(text, 1, ?6), created_at FROM notes
WHERE issuer = ?1 AND user_id = ?2
  AND (?3 = '' OR title LIKE ?4 ESCAPE '\' OR text LIKE ?4 ESCAPE '\')
ORDER BY id DESC LIMIT ?5
)sql";

constexpr char kGet[] =
    "SELECT id, title, text, created_at FROM notes WHERE id = ?1 AND issuer = ?2 AND user_id = ?3";

constexpr char kRemove[] = "DELETE FROM notes WHERE id = ?1 AND issuer = ?2 AND user_id = ?3";

// The LIKE pattern for "contains `query`", with LIKE's own wildcards taken literally.
std::string containsPattern(std::string_view query) {
    std::string pattern = "%";
    for (const char ch : query) {
        if (ch == '%' || ch == '_' || ch == '\\') {
            pattern += '\\';
        }
        pattern += ch;
    }
    return pattern + "%";
}

}  // namespace

NoteStore::NoteStore(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(db);  // sqlite3_open_v2 may hand back a handle even when it fails
    if (rc != SQLITE_OK) {
        throw std::runtime_error("cannot open the notes database \"" + path +
                                 "\": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(db, 5000);
    exec("PRAGMA journal_mode = WAL", "enabling WAL");
    exec("PRAGMA synchronous = NORMAL", "setting synchronous");
    migrate();
    insert_ = std::make_unique<Statement>(db, kInsert);
    list_ = std::make_unique<Statement>(db, kList);
    get_ = std::make_unique<Statement>(db, kGet);
    remove_ = std::make_unique<Statement>(db, kRemove);
}

void NoteStore::exec(const char* sql, const char* doing) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw DatabaseError(db_.get(), doing);
    }
}

void NoteStore::migrate() {
    int64_t version = 0;
    {
        const Statement read(db_.get(), "PRAGMA user_version");
        Query query(read);
        if (query.step()) {
            version = query.integer(0);
        }
    }
    if (version > kSchemaVersion) {
        throw std::runtime_error(
            "the notes database has schema version " + std::to_string(version) +
            ", newer than this plugin understands (" + std::to_string(kSchemaVersion) + ")");
    }
    exec(kCreateSchema, "creating the schema");
}

Note NoteStore::add(const Owner& owner, std::string_view title, std::string_view text) {
    const std::lock_guard<std::mutex> lock(mutex_);
    {
        Query insert(*insert_);
        insert.bind(1, owner.issuer).bind(2, owner.userId).bind(3, title).bind(4, text).step();
    }
    // Under the mutex no other insert can run in between on this connection.
    const int64_t id = sqlite3_last_insert_rowid(db_.get());
    std::optional<Note> note = getLocked(owner, id);
    if (!note) {
        throw std::runtime_error("the new note vanished before it could be read back");
    }
    return *note;
}

std::vector<Note> NoteStore::list(const Owner& owner, std::string_view query, int64_t limit) {
    const std::string pattern = containsPattern(query);
    const std::lock_guard<std::mutex> lock(mutex_);
    Query select(*list_);
    select.bind(1, owner.issuer).bind(2, owner.userId).bind(3, query).bind(4, pattern);
    select.bind(5, limit).bind(6, int64_t{kSnippetChars});
    std::vector<Note> notes;
    while (select.step()) {
        notes.push_back(Note{select.integer(0), select.text(1), select.text(2), select.text(3)});
    }
    return notes;
}

std::optional<Note> NoteStore::get(const Owner& owner, int64_t id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return getLocked(owner, id);
}

std::optional<Note> NoteStore::getLocked(const Owner& owner, int64_t id) {
    Query select(*get_);
    select.bind(1, id).bind(2, owner.issuer).bind(3, owner.userId);
    if (!select.step()) {
        return std::nullopt;
    }
    return Note{select.integer(0), select.text(1), select.text(2), select.text(3)};
}

bool NoteStore::remove(const Owner& owner, int64_t id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    Query remove(*remove_);
    remove.bind(1, id).bind(2, owner.issuer).bind(3, owner.userId).step();
    return sqlite3_changes(db_.get()) > 0;
}

}  // namespace notes

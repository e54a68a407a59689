// The notes plugin: per-user isolation, limits, persistence, concurrency.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fake_host.hpp"
#include "test_json.hpp"

namespace abitest {
namespace {

namespace fs = std::filesystem;

const Caller kAlice = Caller::user("https://idp-one.example", "alice");
const Caller kBob = Caller::user("https://idp-one.example", "bob");

// A private temporary directory, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "mcph-notes-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

class Notes : public ::testing::Test {
  protected:
    void SetUp() override { start(); }

    void start() {
        plugin_ = std::make_unique<LoadedPlugin>(paths::notes);
        std::string reason;
        ASSERT_EQ(plugin_->init(settings_, &reason), MCPH_OK) << reason;
    }
    void restart() {
        plugin_.reset();
        start();
    }

    // The structured result of a successful call.
    Poco::JSON::Object::Ptr call(const char* tool, const std::string& args, const Caller& who) {
        const Outcome outcome = plugin_->invoke(tool, args, who);
        EXPECT_EQ(outcome.status, MCPH_OK);
        EXPECT_FALSE(outcome.result.isError) << tool << " " << args << " -> " << outcome.text();
        if (!outcome.result.structured) {
            ADD_FAILURE() << tool << " gave no structured content";
            return new Poco::JSON::Object;
        }
        EXPECT_EQ(outcome.text(), *outcome.result.structured);
        return parseObject(*outcome.result.structured);
    }

    // The message of a tool error.
    std::string toolError(const char* tool, const std::string& args, const Caller& who) {
        const Outcome outcome = plugin_->invoke(tool, args, who);
        EXPECT_EQ(outcome.status, MCPH_OK);
        EXPECT_TRUE(outcome.result.isError) << tool << " " << args << " -> " << outcome.text();
        return outcome.text();
    }

    int64_t add(const std::string& text, const Caller& who) {
        return call("notes_add", "{\"text\":\"" + text + "\"}", who)->getValue<int64_t>("id");
    }

    Poco::JSON::Array::Ptr list(const std::string& args, const Caller& who) {
        return call("notes_list", args, who)->getArray("notes");
    }

    TempDir dir_;
    fs::path database_ = dir_.path() / "notes.sqlite3";
    std::string settings_ = "{\"database\":\"" + database_.string() + "\"}";
    std::unique_ptr<LoadedPlugin> plugin_;
};

std::string idArgs(int64_t id) { return "{\"id\":" + std::to_string(id) + "}"; }

TEST_F(Notes, AddsAndGetsANote) {
    const auto added =
        call("notes_add", R"({"text":"buy milk\nand eggs","title":"shopping"})", kAlice);
    const auto id = added->getValue<int64_t>("id");
    EXPECT_GT(id, 0);
    EXPECT_EQ(added->getValue<std::string>("title"), "shopping");

    const auto note = call("notes_get", idArgs(id), kAlice);
    EXPECT_EQ(note->getValue<int64_t>("id"), id);
    EXPECT_EQ(note->getValue<std::string>("title"), "shopping");
    EXPECT_EQ(note->getValue<std::string>("text"), "buy milk\nand eggs");
    EXPECT_EQ(note->getValue<std::string>("createdAt"), added->getValue<std::string>("createdAt"));
    EXPECT_EQ(note->getValue<std::string>("createdAt").size(), 24u);  // 2024-01-02T03:04:05.678Z
}

TEST_F(Notes, AnotherUserCannotListGetOrDeleteANote) {
    const int64_t id = add("alice's secret", kAlice);
    const int64_t never = id + 1000;
    EXPECT_EQ(list("{}", kBob)->size(), 0u);
    EXPECT_EQ(list(R"({"query":"secret"})", kBob)->size(), 0u);
    // Exactly what a missing id gets: nothing tells bob the note exists.
    EXPECT_EQ(toolError("notes_get", idArgs(id), kBob),
              "note " + std::to_string(id) + " not found");
    EXPECT_EQ(toolError("notes_get", idArgs(never), kBob),
              "note " + std::to_string(never) + " not found");
    EXPECT_EQ(toolError("notes_delete", idArgs(id), kBob),
              "note " + std::to_string(id) + " not found");

    EXPECT_EQ(call("notes_get", idArgs(id), kAlice)->getValue<std::string>("text"),
              "alice's secret");
    EXPECT_EQ(list("{}", kAlice)->size(), 1u);
}

TEST_F(Notes, TheSameUserIdFromAnotherIssuerIsAnotherUser) {
    const Caller impostor = Caller::user("https://idp-two.example", "alice");
    const int64_t id = add("issuer one", kAlice);
    EXPECT_EQ(list("{}", impostor)->size(), 0u);
    toolError("notes_get", idArgs(id), impostor);
    // The anonymous caller of auth provider "none" is one more user of its own.
    EXPECT_EQ(list("{}", Caller::anonymous())->size(), 0u);
    EXPECT_EQ(list("{}", Caller::user("", "anonymous"))->size(), 0u);
}

TEST_F(Notes, DeleteRemovesTheNoteOnce) {
    const int64_t id = add("short-lived", kAlice);
    const auto deleted = call("notes_delete", idArgs(id), kAlice);
    EXPECT_TRUE(deleted->getValue<bool>("deleted"));
    EXPECT_EQ(deleted->getValue<int64_t>("id"), id);
    toolError("notes_get", idArgs(id), kAlice);
    toolError("notes_delete", idArgs(id), kAlice);
    EXPECT_GT(add("next", kAlice), id) << "ids are never reused";
}

TEST_F(Notes, ListIsNewestFirstAndHonoursTheLimit) {
    std::vector<int64_t> ids;
    ids.reserve(5);
    for (int i = 0; i < 5; ++i) {
        ids.push_back(add("note " + std::to_string(i), kAlice));
    }
    const auto page = call("notes_list", R"({"limit":2})", kAlice);
    const auto notes = page->getArray("notes");
    ASSERT_EQ(notes->size(), 2u);
    EXPECT_EQ(notes->getObject(0)->getValue<int64_t>("id"), ids[4]);
    EXPECT_EQ(notes->getObject(1)->getValue<int64_t>("id"), ids[3]);
    EXPECT_TRUE(page->getValue<bool>("hasMore"));
    EXPECT_FALSE(call("notes_list", R"({"limit":5})", kAlice)->getValue<bool>("hasMore"));
    EXPECT_EQ(list("{}", kAlice)->size(), 5u);
}

TEST_F(Notes, ListGivesSnippetsOfTheFirst200Characters) {
    const std::string eAcute = "\xc3\xa9";  // two bytes, one character
    std::string text;
    for (int i = 0; i < 300; ++i) {
        text += eAcute;
    }
    add(text, kAlice);
    const std::string snippet = list("{}", kAlice)->getObject(0)->getValue<std::string>("snippet");
    EXPECT_EQ(snippet.size(), eAcute.size() * 200);
}

TEST_F(Notes, QueryMatchesTitleOrTextWithWildcardsTakenLiterally) {
    add("50% off", kAlice);
    add("500 apples", kAlice);
    add("snake_case", kAlice);
    add("Plain Text", kAlice);
    call("notes_add", R"({"text":"body","title":"a 50% title"})", kAlice);
    EXPECT_EQ(list(R"({"query":"50%"})", kAlice)->size(), 2u);
    EXPECT_EQ(list(R"({"query":"_"})", kAlice)->size(), 1u);
    EXPECT_EQ(list(R"({"query":"plain text"})", kAlice)->size(), 1u);
    EXPECT_EQ(list(R"({"query":"\\"})", kAlice)->size(), 0u);
    EXPECT_EQ(list(R"({"query":""})", kAlice)->size(), 5u);
}

TEST_F(Notes, BoundsEveryInput) {
    const std::string maxText(64 * 1024, 'x');
    add(maxText, kAlice);
    EXPECT_EQ(toolError("notes_add", "{\"text\":\"" + maxText + "y\"}", kAlice),
              "argument \"text\" is too long (65537 bytes; the limit is 65536)");
    EXPECT_EQ(toolError("notes_add", "{\"text\":\"x\",\"title\":\"" + std::string(257, 't') + "\"}",
                        kAlice),
              "argument \"title\" is too long (257 bytes; the limit is 256)");
    EXPECT_EQ(toolError("notes_add", "{}", kAlice), "missing required argument \"text\"");
    EXPECT_EQ(toolError("notes_add", R"({"text":""})", kAlice),
              "argument \"text\" must not be empty");
    EXPECT_EQ(toolError("notes_add", R"({"text":7})", kAlice),
              "argument \"text\" must be a string");
    EXPECT_EQ(toolError("notes_list", R"({"query":")" + std::string(257, 'q') + "\"}", kAlice),
              "argument \"query\" is too long (257 bytes; the limit is 256)");
    for (const char* limit : {"0", "101", "-1"}) {
        EXPECT_EQ(toolError("notes_list", std::string("{\"limit\":") + limit + "}", kAlice),
                  "argument \"limit\" must be between 1 and 100");
    }
    EXPECT_EQ(toolError("notes_list", R"({"limit":1.5})", kAlice),
              "argument \"limit\" must be an integer");
    EXPECT_EQ(toolError("notes_list", R"({"limit":99999999999999999999})", kAlice),
              "argument \"limit\" is out of range");
    for (const char* id : {"0", "-3"}) {
        EXPECT_EQ(toolError("notes_get", std::string("{\"id\":") + id + "}", kAlice),
                  "argument \"id\" must be a positive integer");
    }
    EXPECT_EQ(toolError("notes_get", R"({"id":"1"})", kAlice),
              "argument \"id\" must be an integer");
    EXPECT_EQ(toolError("notes_delete", "{}", kAlice), "missing required argument \"id\"");
    EXPECT_EQ(toolError("notes_get", "{\"id\":1", kAlice), "arguments are not a valid JSON object");
}

TEST_F(Notes, NotesSurviveARestartWithTheSameDatabase) {
    const int64_t id = add("remember me", kAlice);
    restart();
    EXPECT_EQ(call("notes_get", idArgs(id), kAlice)->getValue<std::string>("text"), "remember me");
    EXPECT_EQ(list("{}", kBob)->size(), 0u);
}

TEST_F(Notes, UsesWriteAheadLogging) {
    add("anything", kAlice);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(database_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

TEST_F(Notes, ConcurrentCallsGetDistinctIds) {
    constexpr int kThreads = 4;
    constexpr int kEach = 25;
    std::vector<std::vector<int64_t>> ids(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const Caller me = Caller::user("https://idp-one.example", "user" + std::to_string(t));
            for (int i = 0; i < kEach; ++i) {
                ids[t].push_back(add("note", me));
                list("{}", me);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::set<int64_t> unique;
    for (const auto& mine : ids) {
        unique.insert(mine.begin(), mine.end());
    }
    EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kEach));
    const Caller user0 = Caller::user("https://idp-one.example", "user0");
    EXPECT_EQ(list(R"({"limit":100})", user0)->size(), static_cast<size_t>(kEach));
}

TEST(NotesSettings, WithoutADatabaseWarnsAndKeepsNotesInMemory) {
    LoadedPlugin plugin(paths::notes);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    const auto logs = plugin.logs();
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].level, MCPH_LOG_WARNING);
    EXPECT_NE(logs[0].message.find("in memory"), std::string::npos) << logs[0].message;
    const Outcome added = plugin.invoke("notes_add", R"({"text":"volatile"})", kAlice);
    EXPECT_FALSE(added.result.isError) << added.text();
}

TEST(NotesSettings, RefusesBadSettingsWithAReason) {
    const TempDir dir;
    const std::string missingDir = (dir.path() / "no-such-dir" / "notes.sqlite3").string();
    const std::pair<std::string, std::string> cases[] = {
        {R"({"database":5})", "setting \"database\" must be a string"},
        {R"({"database":""})", "setting \"database\" must be a non-empty path"},
        {R"({"database":)", "settings are not a valid JSON object"},
        {"{\"database\":\"" + missingDir + "\"}", "cannot open the notes database"},
    };
    for (const auto& [settings, expected] : cases) {
        LoadedPlugin plugin(paths::notes);
        std::string reason;
        EXPECT_NE(plugin.init(settings, &reason), MCPH_OK) << settings;
        EXPECT_NE(reason.find(expected), std::string::npos) << settings << " -> " << reason;
    }
}

}  // namespace
}  // namespace abitest

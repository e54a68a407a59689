// notes: per-user notes kept in SQLite. Each caller, identified by (issuer, user id) from the
// auth context, sees only their own notes.
//
// Settings (plugins.settings.notes): {"database": "<path>"}. Without it the notes live in a
// private in-memory database and are lost when the host stops; the plugin logs a warning.
#include <cstdint>
#include <mcphost/plugin.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "json_fields.hpp"
#include "note_store.hpp"

namespace notes {
namespace {

constexpr size_t kMaxTextBytes = size_t{64} * 1024;
constexpr size_t kMaxTitleBytes = 256;
constexpr size_t kMaxQueryBytes = 256;
constexpr int64_t kDefaultLimit = 20;
constexpr int64_t kMaxLimit = 100;

Owner ownerOf(const mcph::Call& call) { return Owner{call.issuer, call.userId}; }

void checkSize(const char* name, const std::string& value, size_t maxBytes) {
    if (value.size() > maxBytes) {
        throw mcph::ToolError("argument \"" + std::string(name) + "\" is too long (" +
                              std::to_string(value.size()) + " bytes; the limit is " +
                              std::to_string(maxBytes) + ")");
    }
}

int64_t noteId(const JsonFields& args) {
    const int64_t id = args.requiredInteger("id");
    if (id < 1) {
        throw mcph::ToolError("argument \"id\" must be a positive integer");
    }
    return id;
}

// The same message whether the id never existed or belongs to someone else.
[[noreturn]] void notFound(int64_t id) {
    throw mcph::ToolError("note " + std::to_string(id) + " not found");
}

// Structured content, and the same JSON as text for clients that only read text.
void reply(mcph::Result& result, const std::string& json) {
    result.addText(json).setStructuredJson(json);
}

std::string noteJson(const Note& note, const char* textField) {
    return "{\"id\":" + std::to_string(note.id) + ",\"title\":" + mcph::jsonString(note.title) +
           ",\"" + textField + "\":" + mcph::jsonString(note.text) +
           ",\"createdAt\":" + mcph::jsonString(note.createdAt) + "}";
}

void addNote(const mcph::Call& call, mcph::Result& result) {
    const JsonFields args(call.arguments, "argument");
    const std::string text = args.requiredString("text");
    const std::string title = args.optionalString("title").value_or("");
    if (text.empty()) {
        throw mcph::ToolError("argument \"text\" must not be empty");
    }
    checkSize("text", text, kMaxTextBytes);
    checkSize("title", title, kMaxTitleBytes);
    const Note note = call.stateAs<NoteStore>().add(ownerOf(call), title, text);
    reply(result, "{\"id\":" + std::to_string(note.id) +
                      ",\"title\":" + mcph::jsonString(note.title) +
                      ",\"createdAt\":" + mcph::jsonString(note.createdAt) + "}");
}

void listNotes(const mcph::Call& call, mcph::Result& result) {
    const JsonFields args(call.arguments, "argument");
    const std::string query = args.optionalString("query").value_or("");
    const int64_t limit = args.optionalInteger("limit").value_or(kDefaultLimit);
    checkSize("query", query, kMaxQueryBytes);
    if (limit < 1 || limit > kMaxLimit) {
        throw mcph::ToolError("argument \"limit\" must be between 1 and " +
                              std::to_string(kMaxLimit));
    }
    // One extra row tells whether there are more than `limit`.
    std::vector<Note> notes = call.stateAs<NoteStore>().list(ownerOf(call), query, limit + 1);
    const bool hasMore = notes.size() > static_cast<size_t>(limit);
    if (hasMore) {
        notes.pop_back();
    }
    std::string json = "{\"notes\":[";
    for (size_t i = 0; i < notes.size(); ++i) {
        json += (i > 0 ? "," : "") + noteJson(notes[i], "snippet");
    }
    json += std::string("],\"hasMore\":") + (hasMore ? "true" : "false") + "}";
    reply(result, json);
}

void getNote(const mcph::Call& call, mcph::Result& result) {
    const int64_t id = noteId(JsonFields(call.arguments, "argument"));
    const std::optional<Note> note = call.stateAs<NoteStore>().get(ownerOf(call), id);
    if (!note) {
        notFound(id);
    }
    reply(result, noteJson(*note, "text"));
}

void deleteNote(const mcph::Call& call, mcph::Result& result) {
    const int64_t id = noteId(JsonFields(call.arguments, "argument"));
    if (!call.stateAs<NoteStore>().remove(ownerOf(call), id)) {
        notFound(id);
    }
    reply(result, "{\"id\":" + std::to_string(id) + ",\"deleted\":true}");
}

void* openStore(const mcph::Host& host, std::string_view settingsJson) {
    const JsonFields settings(settingsJson, "setting");
    const std::optional<std::string> path = settings.optionalString("database");
    if (!path) {
        host.warning(
            "settings.database is not set: notes are kept in memory and lost when the host stops");
        return new NoteStore(":memory:");
    }
    if (path->empty()) {
        throw std::runtime_error("setting \"database\" must be a non-empty path");
    }
    return new NoteStore(*path);
}

void closeStore(void* state) { delete static_cast<NoteStore*>(state); }

// ---- descriptors ---------------------------------------------------------------------------

constexpr char kAddInput[] = R"({"type":"object","properties":{
  "text":{"type":"string","description":"The note, at most 64 KiB of UTF-8."},
  "title":{"type":"string","description":"An optional short title, at most 256 bytes."}},
  "required":["text"]})";
constexpr char kAddOutput[] = R"({"type":"object","properties":{
  "id":{"type":"integer"},"title":{"type":"string"},"createdAt":{"type":"string"}},
  "required":["id","title","createdAt"]})";

constexpr char kListInput[] = R"({"type":"object","properties":{
  "query":{"type":"string","description":"Only notes whose title or text contains this."},
  "limit":{"type":"integer","minimum":1,"maximum":100,"default":20}}})";
constexpr char kListOutput[] = R"({"type":"object","properties":{
  "notes":{"type":"array","items":{"type":"object","properties":{
    "id":{"type":"integer"},"title":{"type":"string"},
    "snippet":{"type":"string","description":"The first 200 characters of the text."},
    "createdAt":{"type":"string"}},"required":["id","title","snippet","createdAt"]}},
  "hasMore":{"type":"boolean","description":"More notes match than were returned."}},
  "required":["notes","hasMore"]})";

constexpr char kIdInput[] = R"({"type":"object","properties":{
  "id":{"type":"integer","minimum":1}},"required":["id"]})";
constexpr char kGetOutput[] = R"({"type":"object","properties":{
  "id":{"type":"integer"},"title":{"type":"string"},"text":{"type":"string"},
  "createdAt":{"type":"string"}},"required":["id","title","text","createdAt"]})";
constexpr char kDeleteOutput[] = R"({"type":"object","properties":{
  "id":{"type":"integer"},"deleted":{"type":"boolean"}},"required":["id","deleted"]})";

constexpr mcph_tool_annotations kAddHints = mcph::Annotations()
                                                .title("Add a note")
                                                .readOnly(false)
                                                .destructive(false)
                                                .idempotent(false)
                                                .openWorld(false);
constexpr mcph_tool_annotations kReadHints =
    mcph::Annotations().readOnly().idempotent().openWorld(false);
constexpr mcph_tool_annotations kDeleteHints = mcph::Annotations()
                                                   .title("Delete a note")
                                                   .readOnly(false)
                                                   .destructive()
                                                   .idempotent()
                                                   .openWorld(false);

constexpr mcph_tool kTools[] = {
    mcph::Tool("notes_add", mcph::invoke<addNote>)
        .title("Add a note")
        .description("Saves a note for the calling user and returns its id.")
        .inputSchema(kAddInput)
        .outputSchema(kAddOutput)
        .annotations(&kAddHints),
    mcph::Tool("notes_list", mcph::invoke<listNotes>)
        .title("List notes")
        .description("Lists the calling user's notes, newest first, optionally only those "
                     "containing `query`. Returns snippets; use notes_get for the full text.")
        .inputSchema(kListInput)
        .outputSchema(kListOutput)
        .annotations(&kReadHints),
    mcph::Tool("notes_get", mcph::invoke<getNote>)
        .title("Get a note")
        .description("Returns one of the calling user's notes in full.")
        .inputSchema(kIdInput)
        .outputSchema(kGetOutput)
        .annotations(&kReadHints),
    mcph::Tool("notes_delete", mcph::invoke<deleteNote>)
        .title("Delete a note")
        .description("Deletes one of the calling user's notes.")
        .inputSchema(kIdInput)
        .outputSchema(kDeleteOutput)
        .annotations(&kDeleteHints),
};

constexpr mcph_plugin kPlugin = mcph::Plugin("notes", "1.0.0", kTools)
                                    .description("Per-user notes kept in SQLite.")
                                    .onInit<openStore>()
                                    .onShutdown<closeStore>();

}  // namespace
}  // namespace notes

MCPH_PLUGIN_ENTRY(notes::kPlugin)

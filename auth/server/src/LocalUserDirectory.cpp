#include "mcphost/auth/server/LocalUserDirectory.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/server/PasswordHash.h"
#include "mcphost/auth/server/ScopeResolver.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxJsonDepth = 8;
constexpr std::size_t kMaxUsernameBytes = 256;
constexpr std::size_t kMaxTextBytes = 512;  // email, name

const char* const kUserKeys[] = {"username", "password", "email", "name", "scopes"};

bool hasControlCharacter(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

std::string lowerAscii(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Reports problems with where they are; never with a password hash in the text.
class Problems {
public:
    explicit Problems(std::string source) : source_(std::move(source)) {}
    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw std::runtime_error(source_ + ": " + (where.empty() ? "" : where + ": ") + what);
    }

private:
    std::string source_;
};

std::string describeUser(std::size_t index, const std::string& username) {
    std::string where = "user " + std::to_string(index + 1);
    // Only a username that passed the checks is echoed, so the message stays one clean line.
    if (!username.empty()) where += " (\"" + username + "\")";
    return where;
}

// An optional string member: absent is "", present must be a string of sane text.
std::string optionalText(const Poco::JSON::Object& user, const std::string& key,
                         const Problems& problems, const std::string& where) {
    if (!user.has(key)) return {};
    const auto value = JsonFields::string(user, key);
    if (!value) problems.fail(where, "\"" + key + "\" must be a string");
    if (value->size() > kMaxTextBytes || hasControlCharacter(*value))
        problems.fail(where, "\"" + key + "\" is too long or holds control characters");
    return *value;
}

std::vector<std::string> parseScopes(const Poco::JSON::Object& user, const Problems& problems,
                                     const std::string& where) {
    const Poco::Dynamic::Var value = user.get("scopes");
    if (value.type() != typeid(Poco::JSON::Array::Ptr))
        problems.fail(where, "\"scopes\" must be an array of strings");
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    std::vector<std::string> scopes;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString()) problems.fail(where, "\"scopes\" must be an array of strings");
        const auto scope = item.extract<std::string>();
        if (!ScopeResolver::isScopeToken(scope))
            problems.fail(where,
                          "\"scopes\" holds a malformed scope (RFC 6749 scope token "
                          "expected: printable ASCII, no space, quote or backslash)");
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(scope);
    }
    return scopes;
}

LocalUser parseUser(const Poco::JSON::Object& user, std::size_t index, const Problems& problems) {
    std::string where = describeUser(index, "");
    for (const auto& [key, value] : user) {
        (void)value;
        if (std::find(std::begin(kUserKeys), std::end(kUserKeys), key) == std::end(kUserKeys)) {
            problems.fail(where, "unknown key \"" + key +
                                     "\" (allowed: username, password, email, name, scopes)");
        }
    }
    LocalUser out;
    const auto username = JsonFields::string(user, "username");
    if (!username || username->empty())
        problems.fail(where, "\"username\" must be a non-empty string");
    if (username->size() > kMaxUsernameBytes || hasControlCharacter(*username) ||
        username->front() == ' ' || username->back() == ' ') {
        problems.fail(where,
                      "\"username\" is too long, holds control characters or has "
                      "surrounding spaces");
    }
    out.username = *username;
    where = describeUser(index, out.username);

    const auto hash = JsonFields::string(user, "password");
    if (!hash) problems.fail(where, "\"password\" must be a pbkdf2-sha256 hash string");
    std::string problem;
    if (!PasswordHash::wellFormed(*hash, &problem))
        problems.fail(where, "\"password\" is not a usable hash: " + problem);
    out.passwordHash = *hash;

    out.email = optionalText(user, "email", problems, where);
    out.name = optionalText(user, "name", problems, where);
    if (user.has("scopes")) out.scopes = parseScopes(user, problems, where);
    return out;
}

// The iteration count of a hash PasswordHash::wellFormed accepted.
int iterationsOf(const std::string& hash) {
    const auto first = hash.find('$');
    const auto second = hash.find('$', first + 1);
    return std::stoi(hash.substr(first + 1, second - first - 1));
}

}  // namespace

LocalUserDirectory LocalUserDirectory::load(const std::string& path) {
    const std::string source = "users file " + path;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(source + ": cannot be read");
    std::string text;
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxFileBytes) throw std::runtime_error(source + ": larger than 4 MiB");
    }
    if (in.bad()) throw std::runtime_error(source + ": cannot be read");
    return parse(text, source);
}

LocalUserDirectory LocalUserDirectory::fromJson(const std::string& json) {
    return parse(json, "users JSON");
}

LocalUserDirectory LocalUserDirectory::parse(const std::string& json, const std::string& source) {
    const Problems problems(source);
    // Parser messages may quote the text around the error, which can be a hash: not echoed.
    const auto root = JsonFields::parseObject(json, kMaxJsonDepth);
    if (!root) problems.fail("", "not a valid JSON object");
    for (const auto& [key, value] : *root) {
        (void)value;
        if (key != "users")
            problems.fail("", "unknown top-level key \"" + key + "\" (allowed: users)");
    }
    if (!root->has("users") || root->get("users").type() != typeid(Poco::JSON::Array::Ptr))
        problems.fail("", "\"users\" must be an array of user objects");
    const auto array = root->getArray("users");
    if (!array || array->size() == 0) problems.fail("", "\"users\" is empty: nobody could sign in");

    LocalUserDirectory directory;
    std::set<std::string> seen;  // lowercased: "Alice" and "alice" would be two look-alike accounts
    int maxIterations = PasswordHash::kMinimumIterations;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (item.type() != typeid(Poco::JSON::Object::Ptr))
            problems.fail(describeUser(i, ""), "must be an object");
        LocalUser user = parseUser(*item.extract<Poco::JSON::Object::Ptr>(), i, problems);
        if (!seen.insert(lowerAscii(user.username)).second)
            problems.fail(describeUser(i, user.username), "duplicate username");
        maxIterations = std::max(maxIterations, iterationsOf(user.passwordHash));
        directory.users_.push_back(std::move(user));
    }
    // Random salt and hash: no password derives to it, and nothing about it is predictable.
    directory.dummyHash_ = "pbkdf2-sha256$" + std::to_string(maxIterations) + "$" +
                           Secrets::randomToken(16) + "$" + Secrets::randomToken(32);
    return directory;
}

std::optional<LocalUser> LocalUserDirectory::find(const std::string& username) const {
    const auto it = std::find_if(users_.begin(), users_.end(),
                                 [&](const LocalUser& u) { return u.username == username; });
    if (it == users_.end()) return std::nullopt;
    return *it;
}

std::optional<LocalUser> LocalUserDirectory::authenticate(const std::string& username,
                                                          const std::string& password) const {
    const auto it = std::find_if(users_.begin(), users_.end(),
                                 [&](const LocalUser& u) { return u.username == username; });
    if (it == users_.end()) {
        // The same PBKDF2 work as for a real user, so the answer time does not say the name is
        // free.
        (void)PasswordHash::verify(password, dummyHash_);
        return std::nullopt;
    }
    if (!PasswordHash::verify(password, it->passwordHash)) return std::nullopt;
    return *it;
}

}  // namespace mcph::auth::server

#include "FirstRunUsers.h"

#include <fcntl.h>
#include <unistd.h>

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <stdexcept>

#include "mcphost/auth/server/PasswordHash.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

// Creates `path` exclusively with mode 0600 and writes `content`; false when it already exists.
bool writeNewPrivateFile(const std::string& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        throw std::runtime_error("cannot create " + path);
    }
    const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + path);
    return true;
}

}  // namespace

std::string ensureFirstRunUsersFile(const std::string& dir) {
    Poco::File(dir).createDirectories();
    const std::string usersPath = Poco::Path(dir).append("users.json").toString();
    if (Poco::File(usersPath).exists()) return usersPath;

    // 18 random bytes: 24 characters, easy to paste, 144 bits.
    const std::string password = auth::server::Secrets::randomToken(18);
    const std::string passwordPath = Poco::Path(dir).append("admin-password").toString();
    if (Poco::File(passwordPath).exists()) Poco::File(passwordPath).remove();  // from a deleted users file
    writeNewPrivateFile(passwordPath, password + "\n");
    const std::string users = "{\n  \"users\": [\n    {\"username\": \"admin\", \"password\": \"" +
                              auth::server::PasswordHash::hash(password) +
                              "\", \"name\": \"Administrator\"}\n  ]\n}\n";
    if (!writeNewPrivateFile(usersPath, users)) {
        Poco::File(passwordPath).remove();  // another instance won the race: its password stands
        return usersPath;
    }
    Poco::Logger::get("mcp-host.auth")
        .notice("local sign-in: created %s with the user \"admin\"; its password is in %s", usersPath, passwordPath);
    return usersPath;
}

}  // namespace mcph::auth::server

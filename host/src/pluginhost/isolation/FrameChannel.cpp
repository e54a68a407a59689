#include "pluginhost/isolation/FrameChannel.h"

#include <Poco/JSON/Parser.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

namespace mcph::pluginhost::isolation {

FrameChannel::FrameChannel(int fd, std::size_t maxFrameBytes)
    : fd_(fd), maxFrameBytes_(maxFrameBytes) {}

FrameChannel::~FrameChannel() {
    if (fd_ >= 0) ::close(fd_);
}

void FrameChannel::shutdown() { ::shutdown(fd_, SHUT_RDWR); }

bool FrameChannel::send(const Poco::JSON::Object::Ptr& frame) {
    std::ostringstream text;
    frame->stringify(text);
    const std::string body = text.str();
    std::string out(4, '\0');
    const auto size = static_cast<std::uint32_t>(body.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((size >> (24 - 8 * i)) & 0xff);
    out += body;
    std::lock_guard<std::mutex> lock(sendMutex_);
    std::size_t done = 0;
    while (done < out.size()) {
        // MSG_NOSIGNAL: a dead peer is an error here, not a SIGPIPE for the whole process.
        const ssize_t n = ::send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool FrameChannel::readFully(char* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::recv(fd_, data + done, size - done, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

Poco::JSON::Object::Ptr FrameChannel::receive() {
    unsigned char header[4];
    if (!readFully(reinterpret_cast<char*>(header), 4)) return nullptr;
    const std::size_t size = (std::size_t(header[0]) << 24) | (std::size_t(header[1]) << 16) |
                             (std::size_t(header[2]) << 8) | std::size_t(header[3]);
    if (size == 0 || size > maxFrameBytes_) {
        throw BadFrame("frame of " + std::to_string(size) + " bytes (limit " +
                       std::to_string(maxFrameBytes_) + ")");
    }
    std::string body(size, '\0');
    if (!readFully(body.data(), size)) return nullptr;
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body);
    } catch (const std::exception& e) {
        throw BadFrame(std::string("frame is not JSON: ") + e.what());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw BadFrame("frame is not a JSON object");
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (!object) throw BadFrame("frame is not a JSON object");
    return object;
}

}  // namespace mcph::pluginhost::isolation

#pragma once
// One end of the host <-> worker socket: length-prefixed JSON objects (4-byte big-endian length,
// then the object's text). Poco::JSON parses and writes the text; only the framing is ours,
// since neither Poco nor libc has a message framing for a stream socket.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>

namespace mcph::pluginhost::isolation {

// A frame that is not one JSON object within the size bound: the peer is broken or hostile.
struct BadFrame : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class FrameChannel {
  public:
    // Takes ownership of `fd`. `maxFrameBytes` bounds what receive() accepts.
    FrameChannel(int fd, std::size_t maxFrameBytes);
    ~FrameChannel();
    FrameChannel(const FrameChannel&) = delete;
    FrameChannel& operator=(const FrameChannel&) = delete;

    // Safe from any thread (frames never interleave). False when the peer is gone.
    bool send(const Poco::JSON::Object::Ptr& frame);
    // From one thread only. Null when the peer closed the socket; throws BadFrame.
    Poco::JSON::Object::Ptr receive();
    // Ends both directions: a reader blocked in receive() returns null.
    void shutdown();
    int fd() const { return fd_; }

  private:
    bool readFully(char* data, std::size_t size);

    int fd_;
    std::size_t maxFrameBytes_;
    std::mutex sendMutex_;
};

}  // namespace mcph::pluginhost::isolation

#pragma once
// Every open stream is a socket, so the open-file limit bounds how many clients can listen at
// once. The host raises its soft limit to the hard one at start (what systemd's LimitNOFILE=
// or `ulimit -Hn` allows) and sizes the stream limit to fit under it.
#include <cstddef>

namespace mcph::app {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit now in force.
std::size_t raiseOpenFileLimit();

// Descriptors kept for everything but streams: request connections, plugins, the store, logs.
inline constexpr std::size_t kDescriptorsForTheRest = 512;

// How many streams fit under `openFileLimit`, at most `configured`.
std::size_t streamCapacity(std::size_t configured, std::size_t openFileLimit);

// How many request connections (idle or busy) fit beside `streams` open streams.
std::size_t connectionCapacity(std::size_t openFileLimit, std::size_t streams);

}  // namespace mcph::app

// mcph-plugin-worker: runs one plugin for mcp-host (plugins.isolation "process"). Started by
// the host (pluginhost/isolation/WorkerSpawn.cpp) with its end of a socketpair as fd 3; not
// meant to be run by hand.
#include <unistd.h>

#include <climits>
#include <csignal>

#include "WorkerSession.h"

int main() {
    // The host spawns us with only fds 0-3; this makes sure even if started otherwise.
    ::close_range(4, UINT_MAX, 0);
    std::signal(SIGPIPE, SIG_IGN);
    mcph::pluginhost::isolation::WorkerSession session(3);
    return session.run();
}

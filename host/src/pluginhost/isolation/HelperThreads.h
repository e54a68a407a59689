#pragma once
// Threads that run in-process plugin calls under a deadline (InProcessDeadline). Cached, not a
// fixed pool: a call that never returns keeps its thread forever, and a fixed pool would run
// dry of them (Poco::ThreadPool throws when full). Idle threads end after a while.
#include <functional>

namespace mcph::pluginhost::isolation {

void runOnHelperThread(std::function<void()> work);

}  // namespace mcph::pluginhost::isolation

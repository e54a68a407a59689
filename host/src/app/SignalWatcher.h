#pragma once
// The signals of a running host, turned into events the main thread handles in ordinary code:
// each handler only writes the signal's number to a pipe (async-signal-safe), so a reload or a
// stop never runs inside a handler. Handlers (unlike a blocked signal mask) are reset by exec, so
// processes that plugins start get the default dispositions.
//
//   SIGTERM, SIGINT, SIGQUIT  stop (waitForStop returns)
//   SIGHUP                    reload (the callback), never exits
//   SIGUSR1, SIGUSR2          logged and ignored
//   SIGPIPE                   ignored: a client that went away is an error on that socket only
#include <functional>

namespace mcph::app {

class SignalWatcher {
  public:
    // Installs the handlers; a signal that arrives before waitForStop waits in the pipe.
    SignalWatcher();
    // Restores the default dispositions.
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // Handles signals until one asks to stop, calling `reload` for each SIGHUP; returns the
    // stopping signal's number.
    int waitForStop(const std::function<void()>& reload);

  private:
    int next();  // blocks until a signal arrives
};

}  // namespace mcph::app

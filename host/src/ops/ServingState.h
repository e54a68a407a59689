#pragma once
// Where the server is in its life, for the admin listener's /readyz and the drain: starting
// (plugins loading, keys and store being reached), ready, or draining (SIGTERM: the listener is
// closed and requests in flight are finishing). Read on every probe, written a few times in the
// process's life.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace mcph::ops {

class ServingState {
  public:
    enum class Phase { Starting, Ready, Draining };

    void set(Phase phase) { phase_.store(phase); }
    Phase phase() const { return phase_.load(); }
    bool draining() const { return phase() == Phase::Draining; }

    // A dependency that must answer for the host to be ready (e.g. the auth store). `check`
    // returns an empty string when fine, otherwise why not (shown on /readyz: no secrets).
    void addCheck(std::string name, std::function<std::string()> check) {
        std::lock_guard<std::mutex> lock(mutex_);
        checks_.emplace_back(std::move(name), std::move(check));
    }

    // Empty when ready; otherwise the reason /readyz gives with its 503.
    std::string notReadyReason() const {
        switch (phase()) {
            case Phase::Starting:
                return "starting";
            case Phase::Draining:
                return "draining";
            case Phase::Ready:
                break;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [name, check] : checks_) {
            const std::string problem = check();
            if (!problem.empty()) return name + ": " + problem;
        }
        return {};
    }

  private:
    std::atomic<Phase> phase_{Phase::Starting};
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, std::function<std::string()>>> checks_;
};

}  // namespace mcph::ops

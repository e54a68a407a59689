#pragma once
// The time source for expiry checks and refetch cooldowns. Injected so tests can move time
// instead of sleeping.
#include <chrono>
#include <functional>

namespace mcph::auth {

using TimePoint = std::chrono::system_clock::time_point;
using NowFunction = std::function<TimePoint()>;

inline NowFunction systemClock() {
    return [] { return std::chrono::system_clock::now(); };
}

// Seconds since the epoch as a double, the unit of JWT NumericDate claims.
inline double toEpochSeconds(TimePoint t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace mcph::auth

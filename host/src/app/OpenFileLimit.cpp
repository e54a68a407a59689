#include "app/OpenFileLimit.h"

#include <sys/resource.h>

#include <algorithm>

namespace mcph::app {

std::size_t raiseOpenFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t streamCapacity(std::size_t configured, std::size_t openFileLimit) {
    const std::size_t room = openFileLimit > 2 * kDescriptorsForTheRest ? openFileLimit - kDescriptorsForTheRest
                                                                         : openFileLimit / 2;
    return std::min(configured, room);
}

std::size_t connectionCapacity(std::size_t openFileLimit, std::size_t streams) {
    // A stream starts as a request connection, so both draw on the same descriptors; half of
    // the rest's reserve stays free for plugins, the store and upstream calls.
    const std::size_t used = streams + kDescriptorsForTheRest / 2;
    const std::size_t floor = 64;
    return openFileLimit > used + floor ? openFileLimit - used : floor;
}

}  // namespace mcph::app

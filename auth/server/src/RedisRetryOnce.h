#pragma once
// A command of the shared rate limits, tried a second time when the first failed for want of
// Redis. A Redis that restarted leaves every idle connection dead, and the first command on each
// fails without having run; the limits have a connection of their own, which nothing else wakes
// up, so without this a restart would cost a 503 on every instance. Only for commands that may
// run twice: at worst one more token taken or one more failure counted, which errs on the safe
// side. A Redis still down fails both tries (503).
#include <Poco/Redis/Array.h>

#include "mcphost/auth/server/RedisConnection.h"

namespace mcph::auth::server {

template <typename T>
T executeRetryingOnce(RedisConnection& redis, const Poco::Redis::Array& command) {
    try {
        return redis.execute<T>(command);
    } catch (const RedisUnavailable&) {
        return redis.execute<T>(command);
    }
}

}  // namespace mcph::auth::server

#pragma once
// Everything a test Redis holds, keys and values, as one text: what an attacker with a dump
// sees, for tests that check nothing secret or personal is stored in the clear.
#include <string>

#include "support/RedisServer.h"

namespace mcph::testing {

std::string dumpRedis(const RedisServer& redis);

}  // namespace mcph::testing

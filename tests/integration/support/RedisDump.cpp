#include "support/RedisDump.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

namespace mcph::testing {

std::string dumpRedis(const RedisServer& redis) {
    Poco::Redis::Client c(Poco::Net::SocketAddress(
        Poco::Net::SocketAddress::UNIX_LOCAL, redis.url().substr(std::string("unix://").size())));
    Poco::Redis::Array keys;
    keys << "KEYS"
         << "*";
    const Poco::Redis::Array names = c.execute<Poco::Redis::Array>(keys);
    std::string all;
    for (std::size_t i = 0; i < (names.isNull() ? 0 : names.size()); ++i) {
        const std::string name = names.get<Poco::Redis::BulkString>(i).value();
        all += name + "\n";
        Poco::Redis::Array type;
        type << "TYPE" << name;
        const std::string t = c.execute<std::string>(type);
        Poco::Redis::Array read;
        if (t == "string") read << "GET" << name;
        if (t == "hash") read << "HGETALL" << name;
        if (t == "set") read << "SMEMBERS" << name;
        if (t == "zset")
            read << "ZRANGE" << name << "0"
                 << "-1";
        Poco::Redis::RedisType::Ptr reply = c.sendCommand(read);
        all += reply->toString() + "\n";
    }
    return all;
}

}  // namespace mcph::testing

#include <gtest/gtest.h>

#include "mcp/Cursor.h"
#include "mcp/ProtocolVersion.h"

using namespace mcph::mcp;

TEST(Cursor, RoundTrips) {
    for (std::size_t offset : {0u, 1u, 100u, 123456u}) {
        auto decoded = decodeCursor(encodeCursor(offset));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, offset);
    }
}

TEST(Cursor, RejectsForgeries) {
    EXPECT_FALSE(decodeCursor(""));
    EXPECT_FALSE(decodeCursor("not-a-cursor"));
    EXPECT_FALSE(decodeCursor("MTA"));  // "10" without our prefix
    EXPECT_FALSE(decodeCursor(std::string(200, 'A')));
    std::string tampered = encodeCursor(5);
    tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(decodeCursor(tampered));
}

TEST(ProtocolVersion, NegotiatesEchoOrLatest) {
    EXPECT_EQ(negotiateProtocolVersion("2025-06-18"), "2025-06-18");
    EXPECT_EQ(negotiateProtocolVersion("2025-03-26"), "2025-03-26");
    EXPECT_EQ(negotiateProtocolVersion("2024-11-05"), latestProtocolVersion());
    EXPECT_EQ(negotiateProtocolVersion("garbage"), "2025-11-25");
    EXPECT_FALSE(isSupportedProtocolVersion("2099-01-01"));
}

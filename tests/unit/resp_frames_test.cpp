// The RESP2 frames a grant-changes subscription reads (auth/server/src/RespFrames.h): frames
// that arrive in pieces, several in one read, and input that is not RESP2 or is too large.
#include <gtest/gtest.h>

#include "RespFrames.h"

namespace mcph::auth::server::resp {
namespace {

const std::string kMessage =
    "*3\r\n$7\r\nmessage\r\n$18\r\nmcph:grant-changes\r\n$22\r\nfamily-id-0123456789ab\r\n";

TEST(RespFrames, AMessageArrivingByteByByteIsReadOnceWhole) {
    FrameReader reader;
    Value v;
    for (std::size_t i = 0; i + 1 < kMessage.size(); ++i) {
        reader.append(&kMessage[i], 1);
        ASSERT_EQ(reader.next(v), Parse::Incomplete) << "after " << i + 1 << " bytes";
    }
    reader.append(&kMessage.back(), 1);
    ASSERT_EQ(reader.next(v), Parse::Frame);
    ASSERT_EQ(v.type, '*');
    ASSERT_EQ(v.items.size(), 3u);
    EXPECT_EQ(v.items[0].text, "message");
    EXPECT_EQ(v.items[1].text, "mcph:grant-changes");
    EXPECT_EQ(v.items[2].text, "family-id-0123456789ab");
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(RespFrames, SeveralFramesInOneReadComeOutInOrder) {
    FrameReader reader;
    const std::string in = "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n" + kMessage +
                           "*2\r\n$4\r\npong\r\n$0\r\n\r\n+OK\r\n-WRONGPASS invalid\r\n$-1\r\n";
    reader.append(in.data(), in.size());
    Value v;
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_EQ(v.items[2].type, ':');
    EXPECT_EQ(v.items[2].text, "1");
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_EQ(v.items[0].text, "message");
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_EQ(v.items[0].text, "pong");
    EXPECT_EQ(v.items[1].text, "");
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_EQ(v.type, '+');
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_EQ(v.type, '-');
    EXPECT_EQ(v.text, "WRONGPASS invalid");
    ASSERT_EQ(reader.next(v), Parse::Frame);
    EXPECT_TRUE(v.null);
    EXPECT_EQ(reader.next(v), Parse::Incomplete);
}

TEST(RespFrames, WhatIsNotRespOrTooLargeIsInvalid) {
    for (const std::string bad :
         {std::string("HTTP/1.1 200 OK\r\n"), std::string("$abc\r\n"), std::string("$-2\r\n"),
          std::string("$3\r\nabcXY"), std::string("*99\r\n"), std::string("$999999999\r\n"),
          std::string("*1\r\n*1\r\n*1\r\n:1\r\n"), std::string(600, 'x')}) {
        FrameReader reader;
        reader.append(bad.data(), bad.size());
        Value v;
        EXPECT_EQ(reader.next(v), Parse::Invalid) << bad.substr(0, 40);
    }
}

TEST(RespFrames, CommandsAreArraysOfBulkStrings) {
    EXPECT_EQ(command({"SUBSCRIBE", "mcph:grant-changes"}),
              "*2\r\n$9\r\nSUBSCRIBE\r\n$18\r\nmcph:grant-changes\r\n");
    EXPECT_EQ(command({"AUTH", "p w\r\n"}), "*2\r\n$4\r\nAUTH\r\n$5\r\np w\r\n\r\n");
}

}  // namespace
}  // namespace mcph::auth::server::resp

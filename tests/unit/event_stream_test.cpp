// The kept events of a POST response stream, for resumption with Last-Event-ID.
#include <gtest/gtest.h>

#include "mcp/EventStream.h"

using mcph::mcp::EventStream;

TEST(EventStream, ResumingAfterAnIdReturnsOnlyWhatCameLater) {
    EventStream stream("p7");
    const std::string first = stream.append("");  // priming
    stream.append("a");
    stream.append("b");
    stream.finish();
    auto parsed = EventStream::parseEventId(first);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->first, "p7");
    auto events = stream.after(parsed->second, std::chrono::milliseconds(0));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].second, "a");
    EXPECT_EQ(events[1].second, "b");
    EXPECT_TRUE(stream.after(EventStream::parseEventId(events[1].first)->second, std::chrono::milliseconds(0)).empty());
}

TEST(EventStream, MalformedEventIdsAreRefused) {
    for (const char* bad : {"", "p1", ".3", "p1.", "p1.x", "p1.99999999999999999999999"}) {
        EXPECT_FALSE(EventStream::parseEventId(bad)) << bad;
    }
}

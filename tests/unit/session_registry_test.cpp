#include <gtest/gtest.h>

#include <thread>

#include "mcp/SessionRegistry.h"

using namespace mcph::mcp;

TEST(SessionRegistry, IdsAreLongRandomVisibleAscii) {
    auto a = SessionRegistry::newSessionId();
    auto b = SessionRegistry::newSessionId();
    EXPECT_EQ(a.size(), 64u);
    EXPECT_NE(a, b);
    for (char c : a) EXPECT_TRUE(c >= 0x21 && c <= 0x7E);
}

TEST(SessionRegistry, CreateFindRemove) {
    SessionRegistry registry(10, std::chrono::seconds(60));
    auto s = registry.create("anonymous", "2025-11-25", nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(registry.find(s->id()), s);
    EXPECT_EQ(s->protocolVersion(), "2025-11-25");
    EXPECT_TRUE(registry.remove(s->id()));
    EXPECT_FALSE(registry.find(s->id()));
    EXPECT_TRUE(s->closed());
    EXPECT_FALSE(registry.remove(s->id()));
}

TEST(SessionRegistry, BoundedTable) {
    SessionRegistry registry(2, std::chrono::seconds(60));
    EXPECT_TRUE(registry.create("p", "2025-11-25", nullptr));
    EXPECT_TRUE(registry.create("p", "2025-11-25", nullptr));
    EXPECT_FALSE(registry.create("p", "2025-11-25", nullptr));
    EXPECT_EQ(registry.size(), 2u);
}

TEST(SessionRegistry, IdleSessionsExpire) {
    SessionRegistry registry(2, std::chrono::seconds(0));
    auto s = registry.create("p", "2025-11-25", nullptr);
    ASSERT_TRUE(s);
    // With a zero idle timeout, any measurable time passing expires the session.
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() == start) std::this_thread::yield();
    EXPECT_FALSE(registry.find(s->id()));
    EXPECT_TRUE(s->closed());
}

TEST(Session, StreamDeliversQueuedMessagesAndCloseWakesTheReader) {
    Session s("id", "p", "2025-11-25", nullptr);
    s.post("dropped: no stream yet");
    ASSERT_TRUE(s.attachStream());
    EXPECT_FALSE(s.attachStream());  // one GET stream per session
    s.post("one");
    EXPECT_EQ(s.nextMessage(std::chrono::milliseconds(0)).value_or(""), "one");
    EXPECT_FALSE(s.nextMessage(std::chrono::milliseconds(0)));

    std::thread closer([&] { s.close(); });
    // Without the wake-up this would wait the full minute.
    auto before = std::chrono::steady_clock::now();
    EXPECT_FALSE(s.nextMessage(std::chrono::minutes(1)));
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(30));
    closer.join();
}

TEST(SessionRegistry, OneUserCannotFillTheTableForEveryone) {
    SessionRegistry registry(4, std::chrono::seconds(60), 2);
    auto a1 = registry.create("alice", "2025-11-25", nullptr);
    auto a2 = registry.create("alice", "2025-11-25", nullptr);
    auto a3 = registry.create("alice", "2025-11-25", nullptr);  // evicts alice's least recently used
    ASSERT_TRUE(a3);
    EXPECT_EQ(registry.size(), 2u);
    EXPECT_TRUE(a1->closed());
    EXPECT_FALSE(registry.find(a1->id()));
    EXPECT_TRUE(registry.find(a2->id()));
    // Bob still gets in.
    EXPECT_TRUE(registry.create("bob", "2025-11-25", nullptr));
    EXPECT_TRUE(registry.create("bob", "2025-11-25", nullptr));
    EXPECT_EQ(registry.size(), 4u);
}

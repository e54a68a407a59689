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
    auto first = registry.create("p", "2025-11-25", nullptr);
    EXPECT_TRUE(registry.create("p", "2025-11-25", nullptr));
    EXPECT_TRUE(registry.create("p", "2025-11-25", nullptr));  // the oldest idle one made room
    EXPECT_EQ(registry.size(), 2u);
    EXPECT_TRUE(first->closed());
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

TEST(SessionRegistry, AUserAtTheCapLosesTheirLeastRecentlyUsedIdleSession) {
    SessionRegistry registry(100, std::chrono::seconds(60), 3);
    auto a1 = registry.create("alice", "2025-11-25", nullptr);
    auto a2 = registry.create("alice", "2025-11-25", nullptr);
    auto a3 = registry.create("alice", "2025-11-25", nullptr);
    auto b1 = registry.create("bob", "2025-11-25", nullptr);
    // a1 is used again, a2 has a call in flight: a3 is the least recently used idle one.
    ASSERT_TRUE(registry.find(a1->id()));
    auto call = a2->beginCall("1");
    auto a4 = registry.create("alice", "2025-11-25", nullptr);
    ASSERT_TRUE(a4);
    EXPECT_TRUE(a3->closed());
    EXPECT_FALSE(registry.find(a3->id()));
    EXPECT_FALSE(a1->closed());
    EXPECT_FALSE(a2->closed());
    EXPECT_FALSE(b1->closed());  // never another user's
    EXPECT_EQ(registry.size(), 4u);
}

TEST(SessionRegistry, BusySessionsAreNeverEvictedSoAUserWithAllBusyIsRefused) {
    SessionRegistry registry(100, std::chrono::seconds(60), 2);
    auto a1 = registry.create("alice", "2025-11-25", nullptr);
    auto a2 = registry.create("alice", "2025-11-25", nullptr);
    auto call = a1->beginCall("1");
    ASSERT_TRUE(a2->attachStream());  // an open GET stream
    EXPECT_FALSE(registry.create("alice", "2025-11-25", nullptr));
    EXPECT_FALSE(a1->closed());
    EXPECT_FALSE(a2->closed());
    EXPECT_TRUE(registry.create("bob", "2025-11-25", nullptr));
    // Once the call is over, that session is idle again and may make room.
    a1->endCall("1");
    EXPECT_TRUE(registry.create("alice", "2025-11-25", nullptr));
    EXPECT_TRUE(a1->closed());
    EXPECT_FALSE(a2->closed());
}

TEST(SessionRegistry, AFullTableEvictsTheLeastRecentlyUsedIdleSessionOfAnyUser) {
    SessionRegistry registry(3, std::chrono::seconds(60), 3);
    auto a1 = registry.create("alice", "2025-11-25", nullptr);
    auto b1 = registry.create("bob", "2025-11-25", nullptr);
    auto c1 = registry.create("carol", "2025-11-25", nullptr);
    ASSERT_TRUE(registry.find(a1->id()));  // bob's is now the least recently used
    auto d1 = registry.create("dave", "2025-11-25", nullptr);
    ASSERT_TRUE(d1);
    EXPECT_TRUE(b1->closed());
    EXPECT_FALSE(a1->closed());
    EXPECT_FALSE(c1->closed());
    EXPECT_EQ(registry.size(), 3u);
    // Only when every session is busy does a newcomer get nothing (the endpoint's 503).
    for (const auto& s : {a1, c1, d1}) s->beginCall("1");
    EXPECT_FALSE(registry.create("erin", "2025-11-25", nullptr));
    EXPECT_EQ(registry.size(), 3u);
    for (const auto& s : {a1, c1, d1}) EXPECT_FALSE(s->closed());
}

// Anonymous callers (provider "none", loopback only) are no one user: only the table's bound
// applies, so a local load of many clients is not cut at the per-user cap.
TEST(SessionRegistry, UncappedCallersAreBoundByTheTableAlone) {
    SessionRegistry registry(5, std::chrono::seconds(60), 2);
    std::vector<std::shared_ptr<Session>> sessions;
    for (int i = 0; i < 5; ++i) sessions.push_back(registry.create("anonymous", "2025-11-25", nullptr, false));
    for (const auto& s : sessions) EXPECT_FALSE(s->closed());
    EXPECT_EQ(registry.size(), 5u);
    // The full table still makes room from its least recently used idle session.
    EXPECT_TRUE(registry.create("anonymous", "2025-11-25", nullptr, false));
    EXPECT_TRUE(sessions.front()->closed());
    EXPECT_EQ(registry.size(), 5u);
}

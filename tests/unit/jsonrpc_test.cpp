#include <gtest/gtest.h>

#include <sstream>

#include "mcp/JsonRpc.h"

using namespace mcph::mcp;

TEST(JsonRpc, ClassifiesRequestNotificationAndResponse) {
    auto req = parseMessage(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
    EXPECT_EQ(req.kind, MessageKind::Request);
    EXPECT_EQ(req.method, "tools/list");
    EXPECT_EQ(req.id.convert<int>(), 7);
    EXPECT_EQ(req.params->getValue<std::string>("cursor"), "x");

    auto note = parseMessage(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    EXPECT_EQ(note.kind, MessageKind::Notification);
    ASSERT_TRUE(note.params);  // absent params read as an empty object
    EXPECT_EQ(note.params->size(), 0u);

    auto resp = parseMessage(R"({"jsonrpc":"2.0","id":"abc","result":{}})");
    EXPECT_EQ(resp.kind, MessageKind::Response);
}

TEST(JsonRpc, MalformedJsonIsParseError) {
    auto m = parseMessage("{\"jsonrpc\":\"2.0\",");
    EXPECT_EQ(m.kind, MessageKind::Invalid);
    EXPECT_EQ(m.errorCode, rpc::kParseError);
}

TEST(JsonRpc, InvalidRequests) {
    for (const char* body : {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])",  // batch
                             R"("hello")", R"({"id":1,"method":"ping"})",          // no jsonrpc
                             R"({"jsonrpc":"1.0","id":1,"method":"ping"})", R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
                             R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", R"({"jsonrpc":"2.0","id":{},"method":"ping"})",
                             R"({"jsonrpc":"2.0","id":1,"method":5})", R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})",
                             R"({"jsonrpc":"2.0","id":1})"}) {
        auto m = parseMessage(body);
        EXPECT_EQ(m.kind, MessageKind::Invalid) << body;
        EXPECT_EQ(m.errorCode, rpc::kInvalidRequest) << body;
    }
}

TEST(JsonRpc, ErrorKeepsAValidIdAndNullsAnInvalidOne) {
    auto withId = parseMessage(R"({"jsonrpc":"1.0","id":"q","method":"ping"})");
    EXPECT_EQ(serializeError(withId.id, withId.errorCode, "bad"),
              R"({"error":{"code":-32600,"message":"bad"},"id":"q","jsonrpc":"2.0"})");
    auto badId = parseMessage(R"({"jsonrpc":"2.0","id":[1],"method":"ping"})");
    EXPECT_TRUE(badId.id.isEmpty());
    EXPECT_NE(serializeError(badId.id, -32600, "x").find("\"id\":null"), std::string::npos);
}

TEST(JsonRpc, ResultEchoesStringAndIntegerIds) {
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("ok", true);
    EXPECT_EQ(serializeResult(Poco::Dynamic::Var("a\"b"), result), R"({"id":"a\"b","jsonrpc":"2.0","result":{"ok":true}})");
    EXPECT_EQ(serializeResult(Poco::Dynamic::Var(42), result), R"({"id":42,"jsonrpc":"2.0","result":{"ok":true}})");
}

TEST(JsonRpc, BooleanIdsAreInvalidAndKeyOrderIsKept) {
    auto m = parseMessage(R"({"jsonrpc":"2.0","id":true,"method":"ping"})");
    EXPECT_EQ(m.kind, MessageKind::Invalid);
    auto call = parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"zeta":1,"alpha":2}}})");
    std::ostringstream out;
    call.params->getObject("arguments")->stringify(out);
    EXPECT_EQ(out.str(), R"({"zeta":1,"alpha":2})");
}

// The 2026-07-28 "input required" round trip: what the host answers, what it accepts back.
#include <gtest/gtest.h>
#include <Poco/JSON/Parser.h>

#include "mcp/InputRequests.h"
#include "mcp/JsonRpc.h"

using mcph::mcp::InputRequests;
using mcph::mcp::RequestStateKey;
using mcph::mcp::RpcError;

namespace {

Poco::JSON::Object::Ptr obj(const std::string& text) { return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>(); }

const RequestStateKey kKey = RequestStateKey::random();

const char* kAllCapabilities = R"({"sampling":{},"elicitation":{},"roots":{}})";

Poco::JSON::Object::Ptr retry(const std::string& state, const std::string& responses) {
    auto params = obj(R"({"name":"greet"})");
    params->set("requestState", state);
    params->set("inputResponses", obj(responses));
    return params;
}

}  // namespace

TEST(InputRequests, UnansweredRequestsBecomeOneInputRequiredResult) {
    InputRequests inputs(kKey, obj(kAllCapabilities), obj(R"({"name":"greet"})"), "tools/call", "greet");
    EXPECT_EQ(inputs.request("name", "elicitation/create", obj(R"({"message":"Name?"})")).status, MCPH_ERR_INPUT_REQUIRED);
    EXPECT_EQ(inputs.request("roots", "roots/list", obj("{}")).status, MCPH_ERR_INPUT_REQUIRED);
    ASSERT_TRUE(inputs.anyPending());
    auto result = inputs.inputRequiredResult();
    EXPECT_EQ(result->getValue<std::string>("resultType"), "input_required");
    auto requests = result->getObject("inputRequests");
    EXPECT_EQ(requests->getObject("name")->getValue<std::string>("method"), "elicitation/create");
    EXPECT_EQ(requests->getObject("roots")->getValue<std::string>("method"), "roots/list");
    EXPECT_FALSE(result->getValue<std::string>("requestState").empty());
}

TEST(InputRequests, AnswersOfEarlierRoundsTravelInTheRequestState) {
    InputRequests round1(kKey, obj(kAllCapabilities), obj(R"({"name":"greet"})"), "tools/call", "greet");
    round1.request("step1", "elicitation/create", obj("{}"));
    const std::string state1 = round1.inputRequiredResult()->getValue<std::string>("requestState");

    InputRequests round2(kKey, obj(kAllCapabilities), retry(state1, R"({"step1":{"action":"accept","content":{"n":"Ann"}}})"),
                         "tools/call", "greet");
    EXPECT_EQ(round2.request("step1", "elicitation/create", obj("{}")).status, MCPH_OK);
    EXPECT_EQ(round2.request("step2", "elicitation/create", obj("{}")).status, MCPH_ERR_INPUT_REQUIRED);
    const std::string state2 = round2.inputRequiredResult()->getValue<std::string>("requestState");
    EXPECT_NE(state2, state1);

    // Round 3 brings only step2's answer; step1's comes from the state.
    InputRequests round3(kKey, obj(kAllCapabilities), retry(state2, R"({"step2":{"action":"accept","content":{"c":"red"}}})"),
                         "tools/call", "greet");
    auto first = round3.request("step1", "elicitation/create", obj("{}"));
    EXPECT_EQ(first.status, MCPH_OK);
    EXPECT_NE(first.json.find("Ann"), std::string::npos);
    EXPECT_EQ(round3.request("step2", "elicitation/create", obj("{}")).status, MCPH_OK);
    EXPECT_FALSE(round3.anyPending());
}

TEST(InputRequests, ATamperedOrForeignStateIsInvalidParams) {
    InputRequests round1(kKey, obj(kAllCapabilities), obj(R"({"name":"greet"})"), "tools/call", "greet");
    round1.request("k", "elicitation/create", obj("{}"));
    std::string state = round1.inputRequiredResult()->getValue<std::string>("requestState");
    std::string tampered = state;
    tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
    try {
        InputRequests bad(kKey, obj(kAllCapabilities), retry(tampered, "{}"), "tools/call", "greet");
        FAIL() << "a tampered state was accepted";
    } catch (const RpcError& e) {
        EXPECT_EQ(e.code, -32602);
    }
    EXPECT_THROW(InputRequests(kKey, obj(kAllCapabilities), retry(state, "{}"), "tools/call", "other_tool"), RpcError);
    EXPECT_THROW(InputRequests(kKey, obj(kAllCapabilities), retry("not-a-state", "{}"), "tools/call", "greet"), RpcError);
}

TEST(InputRequests, AnUndeclaredCapabilityIsNeverAskedFor) {
    InputRequests inputs(kKey, obj(R"({"elicitation":{}})"), obj(R"({"name":"greet"})"), "tools/call", "greet");
    EXPECT_EQ(inputs.request("s", "sampling/createMessage", obj("{}")).status, MCPH_ERR_UNSUPPORTED);
    EXPECT_FALSE(inputs.anyPending());
    ASSERT_EQ(inputs.missingCapabilities().size(), 1u);
    EXPECT_EQ(inputs.missingCapabilities()[0], "sampling");
}

TEST(InputRequests, InstancesSharingTheSecretAcceptEachOthersStates) {
    const auto one = RequestStateKey::fromSecret("a-secret-every-instance-of-this-deployment-shares");
    InputRequests round1(one, obj(kAllCapabilities), obj(R"({"name":"greet"})"), "tools/call", "greet");
    round1.request("k", "elicitation/create", obj("{}"));
    const std::string state = round1.inputRequiredResult()->getValue<std::string>("requestState");
    // "Another instance": the key is derived from the same secret again.
    const auto another = RequestStateKey::fromSecret("a-secret-every-instance-of-this-deployment-shares");
    EXPECT_NO_THROW(InputRequests(another, obj(kAllCapabilities), retry(state, "{}"), "tools/call", "greet"));
    // An instance with another secret, or a random key, refuses it.
    const auto foreign = RequestStateKey::fromSecret("another-secret-of-another-deployment-entirely");
    EXPECT_THROW(InputRequests(foreign, obj(kAllCapabilities), retry(state, "{}"), "tools/call", "greet"), RpcError);
    EXPECT_THROW(InputRequests(kKey, obj(kAllCapabilities), retry(state, "{}"), "tools/call", "greet"), RpcError);
}

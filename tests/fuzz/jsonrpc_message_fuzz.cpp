// The JSON-RPC envelope of every POST to the MCP endpoint: mcp::parseMessage, then what the
// endpoint does with its verdict (an error reply for an invalid message, the id echoed in a
// reply for a request).
//
// parseMessage documents no exception: every body, however broken, is classified (Invalid with
// -32700 or -32600). So nothing is caught here.

#include "FuzzSupport.h"
#include "mcp/JsonRpc.h"

using namespace mcph::mcp;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "jsonrpc_message";

bool integralOrString(const Poco::Dynamic::Var& id) {
    return id.isString() || id.isInteger() || id.isNumeric();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body = mcph::fuzz::bytes(data, size);
    const Message m = parseMessage(body);
    switch (m.kind) {
        case MessageKind::Invalid: {
            if (m.errorCode != rpc::kParseError && m.errorCode != rpc::kInvalidRequest)
                fuzzFail(kTarget, "an invalid message with code " + std::to_string(m.errorCode));
            if (m.errorMessage.empty()) fuzzFail(kTarget, "an invalid message without a reason");
            // The endpoint answers with this error; the reply must itself be JSON-RPC.
            const Message reply = parseMessage(serializeError(m.id, m.errorCode, m.errorMessage));
            if (reply.kind != MessageKind::Response && !m.id.isEmpty())
                fuzzFail(kTarget, "the error reply to an invalid message is not a response");
            break;
        }
        case MessageKind::Request:
        case MessageKind::Notification: {
            if (!m.params) fuzzFail(kTarget, "a request or notification without a params object");
            if (m.kind == MessageKind::Notification) break;
            if (!integralOrString(m.id)) fuzzFail(kTarget, "a request whose id is neither a string nor a number");
            // The reply echoes the id; the client must find its request by it.
            const Message reply = parseMessage(serializeResult(m.id, nullptr));
            if (reply.kind != MessageKind::Response)
                fuzzFail(kTarget, "the reply to a request does not parse as a response");
            // A number may come back in another spelling (1e2 as 100): the same value is enough.
            const bool sameNumber = !m.id.isString() && !reply.id.isString() && reply.id.isNumeric() &&
                                    reply.id.convert<double>() == m.id.convert<double>();
            if (idKey(reply.id) != idKey(m.id) && !sameNumber)
                fuzzFail(kTarget, "the reply's id differs from the request's: " + idKey(m.id) + " vs " +
                                      idKey(reply.id));
            break;
        }
        case MessageKind::Response:
            if (!integralOrString(m.id)) fuzzFail(kTarget, "a response whose id is neither a string nor a number");
            (void)idKey(m.id);
            break;
    }
    return 0;
}

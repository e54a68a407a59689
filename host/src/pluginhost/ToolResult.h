#pragma once
// The host's side of `mcph_result`: what a plugin builds through the host API during invoke.
// Everything a plugin hands over is copied in here, so nothing it owns outlives the call.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <mcphost/plugin.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

namespace mcph::pluginhost {
class CallServices;
}

// What result_add_text means for the thing being built (ABI 1.1 reuses one handle).
enum class ResultKind { Tool, ResourceContents, PromptMessages, Completion };

struct mcph_result {
    Poco::JSON::Array::Ptr content = new Poco::JSON::Array;
    Poco::JSON::Object::Ptr structured;
    bool isError = false;
    bool hasText = false;
    std::size_t bytes = 0;  // bytes accepted so far, checked against limit
    std::size_t limit = 0;

    ResultKind kind = ResultKind::Tool;
    std::string uri;       // ResourceContents: the URI being read
    std::string mimeType;  // ResourceContents: the resource's declared type
    mcph::pluginhost::CallServices* services = nullptr;  // null: no client to talk to
    std::deque<std::string> answers;  // request_input answers, alive until the call ends
    double lastProgress = -1e300;     // progress must increase

    // 1.2 argument accessors: the call's arguments, parsed on first use, and the strings handed
    // out, alive until the call ends.
    std::optional<Poco::Dynamic::Var> arguments;
    std::deque<std::string> argumentTexts;
};

namespace mcph::pluginhost {

// What the host hands a plugin as `mcph_call*`: the call first, so the 1.2 accessors find the
// call's result (and with it the parsed arguments) from the pointer the plugin passes back.
struct CallFrame {
    mcph_call call;
    const void* self;  // &call: a copy the plugin made of the call is refused, not misread
    mcph_result* result;
    const std::string* argumentsJson;
};

}  // namespace mcph::pluginhost

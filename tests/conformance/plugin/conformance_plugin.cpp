// The fixtures of the official MCP conformance suite (@modelcontextprotocol/conformance),
// under the names its server scenarios call: tools, resources, a resource template, prompts
// and completion, written once against the SDK. The same code serves the stateful revisions
// (input requests travel as server-to-client requests) and 2026-07-28 (as "input required"
// results the client retries).
#include <mcphost/plugin.hpp>

#include <string>

#include "fixture_json.hpp"

namespace {

using conformance::rawMember;
using conformance::stringArg;
using mcph::jsonString;

// A 1x1 red PNG and a minimal WAV file, as the suite expects them.
constexpr const char* kPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
constexpr const char* kWav = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

std::string imageBlock() { return std::string(R"({"type":"image","data":")") + kPng + R"(","mimeType":"image/png"})"; }

// ---- tools ----

std::string simpleText(const mcph::Call&, mcph::Result&) { return "This is a simple text response for testing."; }

void imageContent(const mcph::Call&, mcph::Result& r) { r.addContentJson(imageBlock()); }

void audioContent(const mcph::Call&, mcph::Result& r) {
    r.addContentJson(std::string(R"({"type":"audio","data":")") + kWav + R"(","mimeType":"audio/wav"})");
}

void embeddedResource(const mcph::Call&, mcph::Result& r) {
    r.addContentJson(R"({"type":"resource","resource":{"uri":"test://embedded-resource","mimeType":"text/plain",)"
                     R"("text":"This is an embedded resource content."}})");
}

void multipleContent(const mcph::Call&, mcph::Result& r) {
    r.addText("Multiple content types test:");
    r.addContentJson(imageBlock());
    r.addContentJson(R"({"type":"resource","resource":{"uri":"test://mixed-content-resource",)"
                     R"("mimeType":"application/json","text":"{\"test\":\"data\",\"value\":123}"}})");
}

std::string withLogging(const mcph::Call&, mcph::Result& r) {
    r.log("info", "Tool execution started");
    r.log("info", "Tool processing data");
    r.log("info", "Tool execution completed");
    return "Tool with logging executed successfully";
}

std::string withProgress(const mcph::Call&, mcph::Result& r) {
    for (int step : {0, 50, 100}) {
        r.progress(step, 100, ("Completed step " + std::to_string(step) + " of 100").c_str());
    }
    return "Progress reported: 0, 50, 100 of 100";
}

void errorHandling(const mcph::Call&, mcph::Result&) {
    throw mcph::ToolError("This tool intentionally returns an error for testing");
}

std::string reconnection(const mcph::Call&, mcph::Result&) {
    return "Reconnection test completed successfully. If you received this, the client properly "
           "reconnected after stream closure.";
}

std::string sampling(const mcph::Call& call, mcph::Result& r) {
    const std::string prompt = stringArg(call.arguments, "prompt", "Hello");
    const std::string answer = r.requestInput(
        "sampling", "sampling/createMessage",
        R"({"messages":[{"role":"user","content":{"type":"text","text":)" + jsonString(prompt) + R"(}}],"maxTokens":100})");
    const std::string text = stringArg(rawMember(answer, "content"), "text", "No response");
    return "LLM response: " + text;
}

std::string elicitResult(const std::string& prefix, const std::string& answer) {
    const std::string content = rawMember(answer, "content");
    return prefix + "action=" + stringArg(answer, "action", "unknown") + ", content=" + (content.empty() ? "{}" : content);
}

std::string elicitation(const mcph::Call& call, mcph::Result& r) {
    const std::string message = stringArg(call.arguments, "message", "Please provide a response");
    const std::string answer = r.requestInput(
        "elicitation", "elicitation/create",
        R"({"mode":"form","message":)" + jsonString(message) +
            R"(,"requestedSchema":{"type":"object","properties":{"response":{"type":"string","description":"User's response"}},"required":["response"]}})");
    return elicitResult("User response: ", answer);
}

std::string elicitationDefaults(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput("defaults", "elicitation/create", R"({"mode":"form",
        "message":"Please review and update the form fields with defaults",
        "requestedSchema":{"type":"object","properties":{
          "name":{"type":"string","description":"User name","default":"John Doe"},
          "age":{"type":"integer","description":"User age","default":30},
          "score":{"type":"number","description":"User score","default":95.5},
          "status":{"type":"string","description":"User status","enum":["active","inactive","pending"],"default":"active"},
          "verified":{"type":"boolean","description":"Verification status","default":true}},"required":[]}})");
    return elicitResult("Elicitation completed: ", answer);
}

std::string elicitationEnums(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput("enums", "elicitation/create", R"J({"mode":"form",
        "message":"Please select options from the enum fields",
        "requestedSchema":{"type":"object","properties":{
          "untitledSingle":{"type":"string","description":"Select one option","enum":["option1","option2","option3"]},
          "titledSingle":{"type":"string","description":"Select one option with titles","oneOf":[
            {"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},
          "legacyEnum":{"type":"string","description":"Select one option (legacy)","enum":["opt1","opt2","opt3"],
            "enumNames":["Option One","Option Two","Option Three"]},
          "untitledMulti":{"type":"array","description":"Select multiple options","minItems":1,"maxItems":3,
            "items":{"type":"string","enum":["option1","option2","option3"]}},
          "titledMulti":{"type":"array","description":"Select multiple options with titles","minItems":1,"maxItems":3,
            "items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},
                              {"const":"value3","title":"Third Choice"}]}}},"required":[]}})J");
    return elicitResult("Elicitation completed: ", answer);
}

std::string jsonSchema202012(const mcph::Call& call, mcph::Result&) {
    return "JSON Schema 2020-12 tool called with: " + std::string(call.arguments);
}

// ---- 2026-07-28 multi round-trip fixtures: the same code asks through server-to-client
// requests on the stateful revisions ----

std::string askName(const char* message) {
    return std::string(R"({"message":)") + jsonString(message) +
           R"(,"requestedSchema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}})";
}

std::string acceptedField(const std::string& answer, const char* field) {
    return stringArg(rawMember(answer, "content"), field, "(none)");
}

std::string irElicitation(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput("user_name", "elicitation/create", askName("What is your name?"));
    return "Hello, " + acceptedField(answer, "name") + "!";
}

std::string irSampling(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput(
        "capital_question", "sampling/createMessage",
        R"({"messages":[{"role":"user","content":{"type":"text","text":"What is the capital of France?"}}],"maxTokens":100})");
    return "Sampling response: " + stringArg(rawMember(answer, "content"), "text", "(none)");
}

std::string irListRoots(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput("client_roots", "roots/list", "{}");
    return "Client roots: " + rawMember(answer, "roots");
}

std::string irRequestState(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput(
        "confirm", "elicitation/create",
        R"({"message":"Please confirm","requestedSchema":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}})");
    // The host checked the requestState's integrity before the answer reached us.
    return "state-ok: confirmed with " + rawMember(answer, "content");
}

std::string irMultipleInputs(const mcph::Call&, mcph::Result& r) {
    // Three questions in one round: ask them all, then wait for every answer together.
    auto name = r.askInput("user_name", "elicitation/create", askName("What is your name?"));
    auto greeting = r.askInput(
        "greeting", "sampling/createMessage",
        R"({"messages":[{"role":"user","content":{"type":"text","text":"Generate a greeting"}}],"maxTokens":50})");
    auto roots = r.askInput("client_roots", "roots/list", "{}");
    for (const auto* reply : {&name, &greeting, &roots}) {
        if (reply->status == MCPH_ERR_INPUT_REQUIRED) throw mcph::Result::inputRequired();
    }
    return "name=" + acceptedField(name.json, "name") + ", greeting=" + stringArg(rawMember(greeting.json, "content"), "text") +
           ", roots=" + rawMember(roots.json, "roots");
}

std::string irMultiRound(const mcph::Call&, mcph::Result& r) {
    const std::string first = r.requestInput("step1", "elicitation/create", askName("Step 1: What is your name?"));
    const std::string second = r.requestInput(
        "step2", "elicitation/create",
        R"({"message":"Step 2: What is your favorite color?","requestedSchema":{"type":"object","properties":{"color":{"type":"string"}},"required":["color"]}})");
    return acceptedField(first, "name") + " likes " + acceptedField(second, "color");
}

std::string irCapabilities(const mcph::Call&, mcph::Result& r) {
    // Asks only for what the client can give: the host answers UNSUPPORTED for the rest.
    auto elicit = r.askInput("user_name", "elicitation/create", askName("What is your name?"));
    auto sample = r.askInput(
        "greeting", "sampling/createMessage",
        R"({"messages":[{"role":"user","content":{"type":"text","text":"Generate a greeting"}}],"maxTokens":50})");
    if (elicit.status == MCPH_ERR_INPUT_REQUIRED || sample.status == MCPH_ERR_INPUT_REQUIRED) throw mcph::Result::inputRequired();
    return "elicitation " + std::string(elicit.status == MCPH_OK ? "answered" : "not supported") + ", sampling " +
           (sample.status == MCPH_OK ? "answered" : "not supported");
}

std::string missingCapability(const mcph::Call&, mcph::Result& r) {
    // Needs sampling and cannot do without: an undeclared capability fails the request.
    const std::string answer = r.requestInput(
        "summary", "sampling/createMessage",
        R"({"messages":[{"role":"user","content":{"type":"text","text":"Summarize"}}],"maxTokens":50})");
    return "Sampled: " + stringArg(rawMember(answer, "content"), "text");
}

std::string streamingElicitation(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput("user_name", "elicitation/create", askName("What is your name?"));
    return "Hello, " + acceptedField(answer, "name") + "!";
}

// Not a suite fixture: lets tests make the host send notifications/resources/updated.
std::string touchWatched(const mcph::Call& call, mcph::Result&) {
    const mcph_host_api* api = call.host.api();
    if (api->struct_size < offsetof(mcph_host_api, resource_updated) + sizeof(api->resource_updated)) {
        throw mcph::ToolError("this host cannot send resource updates");
    }
    api->resource_updated(api, "test://watched-resource");
    return "test://watched-resource updated";
}

std::string noChange(const mcph::Call&, mcph::Result&) { return "The tool and prompt lists of this host are fixed."; }

constexpr const char* kNoArgs = R"({"type":"object","properties":{}})";

constexpr mcph_tool kTools[] = {
    mcph::Tool("test_simple_text", mcph::invoke<simpleText>).description("Tests simple text content response").inputSchema(kNoArgs),
    mcph::Tool("test_image_content", mcph::invoke<imageContent>).description("Tests image content response").inputSchema(kNoArgs),
    mcph::Tool("test_audio_content", mcph::invoke<audioContent>).description("Tests audio content response").inputSchema(kNoArgs),
    mcph::Tool("test_embedded_resource", mcph::invoke<embeddedResource>)
        .description("Tests embedded resource content response")
        .inputSchema(kNoArgs),
    mcph::Tool("test_multiple_content_types", mcph::invoke<multipleContent>)
        .description("Tests response with multiple content types (text, image, resource)")
        .inputSchema(kNoArgs),
    mcph::Tool("test_tool_with_logging", mcph::invoke<withLogging>)
        .description("Tests tool that emits log messages during execution")
        .inputSchema(kNoArgs),
    mcph::Tool("test_tool_with_progress", mcph::invoke<withProgress>)
        .description("Tests tool that reports progress notifications")
        .inputSchema(kNoArgs),
    mcph::Tool("test_error_handling", mcph::invoke<errorHandling>).description("Tests error response handling").inputSchema(kNoArgs),
    mcph::Tool("test_reconnection", mcph::invoke<reconnection>)
        .description("Tests SSE stream disconnection and client reconnection (SEP-1699)")
        .inputSchema(kNoArgs),
    mcph::Tool("test_sampling", mcph::invoke<sampling>)
        .description("Tests server-initiated sampling (LLM completion request)")
        .inputSchema(R"({"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},"required":["prompt"]})"),
    mcph::Tool("test_elicitation", mcph::invoke<elicitation>)
        .description("Tests server-initiated elicitation (user input request)")
        .inputSchema(R"({"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},"required":["message"]})"),
    mcph::Tool("test_elicitation_sep1034_defaults", mcph::invoke<elicitationDefaults>)
        .description("Tests elicitation with default values per SEP-1034")
        .inputSchema(kNoArgs),
    mcph::Tool("test_elicitation_sep1330_enums", mcph::invoke<elicitationEnums>)
        .description("Tests elicitation with enum schema improvements per SEP-1330")
        .inputSchema(kNoArgs),
    mcph::Tool("json_schema_2020_12_tool", mcph::invoke<jsonSchema202012>)
        .description("Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)")
        .inputSchema(R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},"additionalProperties":false})"),
    mcph::Tool("test_input_required_result_elicitation", mcph::invoke<irElicitation>)
        .description("Asks the user's name (input required round trip)")
        .inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_sampling", mcph::invoke<irSampling>).description("Asks for a sampling answer").inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_list_roots", mcph::invoke<irListRoots>).description("Asks for the client's roots").inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_request_state", mcph::invoke<irRequestState>)
        .description("Asks for a confirmation; the answer comes back with the request state")
        .inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_multiple_inputs", mcph::invoke<irMultipleInputs>)
        .description("Asks three things in one round")
        .inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_multi_round", mcph::invoke<irMultiRound>).description("Asks two things in two rounds").inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_tampered_state", mcph::invoke<irRequestState>)
        .description("Asks for a confirmation; a tampered request state is refused by the host")
        .inputSchema(kNoArgs),
    mcph::Tool("test_input_required_result_capabilities", mcph::invoke<irCapabilities>)
        .description("Asks only for what the client declared")
        .inputSchema(kNoArgs),
    mcph::Tool("test_missing_capability", mcph::invoke<missingCapability>).description("Needs the sampling capability").inputSchema(kNoArgs),
    mcph::Tool("test_streaming_elicitation", mcph::invoke<streamingElicitation>).description("Asks the user's name").inputSchema(kNoArgs),
    mcph::Tool("test_logging_tool", mcph::invoke<withLogging>).description("Sends log messages when the client asked for them").inputSchema(kNoArgs),
    mcph::Tool("test_update_watched_resource", mcph::invoke<touchWatched>)
        .description("Tells subscribers that test://watched-resource changed")
        .inputSchema(kNoArgs),
    mcph::Tool("test_trigger_tool_change", mcph::invoke<noChange>).description("Would change the tool list (it is fixed here)").inputSchema(kNoArgs),
};

// ---- resources ----

std::string staticText(const mcph::Call&, mcph::Result&) { return "This is the content of the static text resource."; }

void staticBinary(const mcph::Call&, mcph::Result& r) {
    r.addContentJson(std::string(R"({"uri":"test://static-binary","mimeType":"image/png","blob":")") + kPng + "\"}");
}

std::string watched(const mcph::Call&, mcph::Result&) { return "Watched resource content"; }

void templateData(const mcph::Call& call, mcph::Result& r) {
    const std::string uri = stringArg(call.arguments, "uri");
    const std::string id = stringArg(rawMember(call.arguments, "variables"), "id");
    const std::string text = R"({"id":)" + jsonString(id) + R"(,"templateTest":true,"data":)" + jsonString("Data for ID: " + id) + "}";
    r.addContentJson(R"({"uri":)" + jsonString(uri) + R"(,"mimeType":"application/json","text":)" + jsonString(text) + "}");
}

constexpr mcph_resource kResources[] = {
    {sizeof(mcph_resource), "test://static-text", "static-text", "Static Text Resource", "A static text resource for testing",
     "text/plain", mcph::invoke<staticText>, nullptr},
    {sizeof(mcph_resource), "test://static-binary", "static-binary", "Static Binary Resource",
     "A static binary resource (image) for testing", "image/png", mcph::invoke<staticBinary>, nullptr},
    {sizeof(mcph_resource), "test://watched-resource", "watched-resource", "Watched Resource",
     "A resource clients can subscribe to", "text/plain", mcph::invoke<watched>, nullptr},
};

constexpr mcph_resource_template kTemplates[] = {
    {sizeof(mcph_resource_template), "test://template/{id}/data", "template", "Resource Template",
     "A resource template with parameter substitution", "application/json", mcph::invoke<templateData>, nullptr},
};

// ---- prompts ----

std::string simplePrompt(const mcph::Call&, mcph::Result&) { return "This is a simple prompt for testing."; }

std::string promptWithArguments(const mcph::Call& call, mcph::Result&) {
    return "Prompt with arguments: arg1='" + stringArg(call.arguments, "arg1") + "', arg2='" + stringArg(call.arguments, "arg2") + "'";
}

void promptWithResource(const mcph::Call& call, mcph::Result& r) {
    const std::string uri = stringArg(call.arguments, "resourceUri", "test://example-resource");
    r.addContentJson(R"({"role":"user","content":{"type":"resource","resource":{"uri":)" + jsonString(uri) +
                     R"(,"mimeType":"text/plain","text":"Embedded resource content for testing."}}})");
    r.addText("Please process the embedded resource above.");
}

void promptWithImage(const mcph::Call&, mcph::Result& r) {
    r.addContentJson(R"({"role":"user","content":)" + imageBlock() + "}");
    r.addText("Please analyze the image above.");
}

std::string irPrompt(const mcph::Call&, mcph::Result& r) {
    const std::string answer = r.requestInput(
        "user_context", "elicitation/create",
        R"({"message":"What context should the prompt use?","requestedSchema":{"type":"object","properties":{"context":{"type":"string"}},"required":["context"]}})");
    return "Use this context: " + acceptedField(answer, "context");
}

constexpr mcph_prompt_argument kTwoArgs[] = {
    {sizeof(mcph_prompt_argument), "arg1", "First test argument", 1},
    {sizeof(mcph_prompt_argument), "arg2", "Second test argument", 1},
};
constexpr mcph_prompt_argument kResourceArg[] = {
    {sizeof(mcph_prompt_argument), "resourceUri", "URI of the resource to embed", 1},
};

constexpr mcph_prompt kPrompts[] = {
    {sizeof(mcph_prompt), "test_simple_prompt", "Simple Test Prompt", "A simple prompt without arguments", nullptr, 0,
     mcph::invoke<simplePrompt>, nullptr},
    {sizeof(mcph_prompt), "test_prompt_with_arguments", "Prompt With Arguments", "A prompt with required arguments", kTwoArgs, 2,
     mcph::invoke<promptWithArguments>, nullptr},
    {sizeof(mcph_prompt), "test_prompt_with_embedded_resource", "Prompt With Embedded Resource",
     "A prompt that includes an embedded resource", kResourceArg, 1, mcph::invoke<promptWithResource>, nullptr},
    {sizeof(mcph_prompt), "test_prompt_with_image", "Prompt With Image", "A prompt that includes image content", nullptr, 0,
     mcph::invoke<promptWithImage>, nullptr},
    {sizeof(mcph_prompt), "test_input_required_result_prompt", "Prompt Needing Input", "A prompt that asks the user for context",
     nullptr, 0, mcph::invoke<irPrompt>, nullptr},
};

// ---- completion: argument values that start with what the user typed ----

void complete(const mcph::Call& call, mcph::Result& r) {
    const std::string typed = stringArg(rawMember(call.arguments, "argument"), "value");
    std::string values;
    for (const char* candidate : {"paris", "park", "party", "test", "testing"}) {
        if (std::string(candidate).rfind(typed, 0) != 0) continue;
        values += (values.empty() ? "" : ",") + jsonString(candidate);
    }
    r.setStructuredJson("{\"values\":[" + values + "],\"hasMore\":false}");
}

constexpr mcph_plugin kPlugin = mcph::Plugin("conformance", "1.0.0", kTools)
                                    .description("Fixtures of the official MCP conformance suite")
                                    .resources(kResources)
                                    .resourceTemplates(kTemplates)
                                    .prompts(kPrompts)
                                    .complete(mcph::invoke<complete>);

}  // namespace

MCPH_PLUGIN_ENTRY(kPlugin)

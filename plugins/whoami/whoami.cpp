// whoami: tells the caller who the host thinks they are. Useful to check an auth setup end to
// end, and the smallest example of the C++ layer (mcphost/plugin.hpp).
#include <mcphost/plugin.hpp>
#include <string>

namespace {

constexpr char kInputSchema[] = R"({"type":"object","properties":{}})";

constexpr char kOutputSchema[] = R"({
  "type": "object",
  "properties": {
    "userId": {"type": "string", "description": "The subject; \"anonymous\" without auth."},
    "email": {"type": "string"},
    "name": {"type": "string"},
    "scopes": {"type": "array", "items": {"type": "string"}},
    "issuer": {"type": "string", "description": "Who vouched for userId."},
    "clientId": {"type": "string", "description": "The OAuth client used to sign in."},
    "authenticated": {"type": "boolean"},
    "picture": {"type": "string", "description": "URL of the user's picture, when known."}
  },
  "required": ["userId", "email", "name", "scopes", "issuer", "clientId", "authenticated"],
  "additionalProperties": false
})";

std::string describeCaller(const mcph::Call& call) {
    std::string scopes = "[";
    for (const auto scope : call.scopes) {
        scopes += (scopes.size() > 1 ? "," : "") + mcph::jsonString(scope);
    }
    scopes += "]";
    return "{\"userId\":" + mcph::jsonString(call.userId) +
           ",\"email\":" + mcph::jsonString(call.email) +
           ",\"name\":" + mcph::jsonString(call.name) + ",\"scopes\":" + scopes +
           ",\"issuer\":" + mcph::jsonString(call.issuer) +
           ",\"clientId\":" + mcph::jsonString(call.clientId) +
           ",\"authenticated\":" + (call.authenticated ? "true" : "false") +
           (call.picture.empty() ? "" : ",\"picture\":" + mcph::jsonString(call.picture)) + "}";
}

void whoami(const mcph::Call& call, mcph::Result& result) {
    const std::string caller = describeCaller(call);
    result.addText(caller).setStructuredJson(caller);
}

constexpr mcph_tool_annotations kAnnotations =
    mcph::Annotations().title("Who am I").readOnly().idempotent().openWorld(false);

constexpr mcph_tool kTools[] = {
    mcph::Tool("whoami", mcph::invoke<whoami>)
        .title("Who am I")
        .description("Returns the identity the server sees for you: user id, email, name, "
                     "picture, issuer, OAuth client and granted scopes.")
        .inputSchema(kInputSchema)
        .outputSchema(kOutputSchema)
        .annotations(&kAnnotations),
};

constexpr mcph_plugin kPlugin =
    mcph::Plugin("whoami", "1.0.0", kTools).description("Shows the caller's identity and scopes.");

}  // namespace

MCPH_PLUGIN_ENTRY(kPlugin)

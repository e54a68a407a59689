#pragma once
// Copies of the well-known MCP clients' metadata documents, used instead of fetching them: some
// of these hosts answer requests from cloud addresses with a bot challenge, which would lock
// their users out. Data only; CimdClientLookup validates them like any fetched document.
#include <string>
#include <vector>

namespace mcph::auth::server {

struct PinnedClientDocument {
    const char* clientId;
    const char* json;
};

class PinnedClientDocuments {
  public:
    static const std::vector<PinnedClientDocument>& all();
};

}  // namespace mcph::auth::server

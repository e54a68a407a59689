#pragma once
// The HTML the authorization server shows a person: the consent page (with the sign-in form for
// the `local` provider) and the error page. Every value is HTML-escaped; nothing the client
// asserted about itself becomes a link or an image (docs/client-interop.md#consent-page: no logo_uri, no
// clickable client_uri). The answers forbid framing (clickjacking a consent button) and caching.
#include <string>
#include <vector>

#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

struct ConsentView {
    std::string serviceName;
    std::string clientName;    // self-asserted at registration: shown as a claim, not a fact
    std::string clientId;
    // For a client id that is a metadata document URL: its host, the one fact about the client
    // the host checked itself. "" for registered clients.
    std::string clientIdHost;
    std::string redirectUri;   // where the browser goes after approval
    std::vector<std::string> scopes;
    std::string formAction;    // the path the form posts to
    std::string ticket;
    std::string csrfToken;
    bool askCredentials = false;  // the `local` provider signs the user in on this page
    std::string username;         // prefilled after a failed attempt
    std::string errorMessage;     // shown above the form, "" for none
};

class AuthorizationPages {
public:
    static std::string escape(const std::string& text);
    // The part of a redirect URI a person should check: the host, or the scheme for app URIs.
    static std::string destinationOf(const std::string& redirectUri);

    static EndpointResponse consent(const ConsentView& view, int status = 200);
    // An error shown in the browser; never a redirect (the redirect target is not trusted).
    static EndpointResponse error(int status, const std::string& title, const std::string& message);
};

}  // namespace mcph::auth::server

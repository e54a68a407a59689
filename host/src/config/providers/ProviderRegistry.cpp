#include "config/providers/ProviderRegistry.h"

namespace mcph::config {

// Each provider's reader, defined in the file of its name in this folder.
void readNoneProvider(ObjectReader&, AuthConfig&, const std::string&);
void readOidcProvider(ObjectReader&, AuthConfig&, const std::string&);
void readWorkosProvider(ObjectReader&, AuthConfig&, const std::string&);
void readKeycloakProvider(ObjectReader&, AuthConfig&, const std::string&);
void readSupabaseProvider(ObjectReader&, AuthConfig&, const std::string&);
void readProxyProvider(ObjectReader&, AuthConfig&, const std::string&);
void readAuth0Provider(ObjectReader&, AuthConfig&, const std::string&);
void readGoogleProvider(ObjectReader&, AuthConfig&, const std::string&);
void readGithubProvider(ObjectReader&, AuthConfig&, const std::string&);
void readOktaProvider(ObjectReader&, AuthConfig&, const std::string&);
void readEntraProvider(ObjectReader&, AuthConfig&, const std::string&);
void readLocalProvider(ObjectReader&, AuthConfig&, const std::string&);

const std::vector<AuthProvider>& authProviders() {
    static const std::vector<AuthProvider> providers = {
        {"none", &readNoneProvider},
        // Native DCR mode: the host verifies tokens issued by the authorization server.
        {"oidc", &readOidcProvider},
        {"workos", &readWorkosProvider},
        {"keycloak", &readKeycloakProvider},
        {"supabase", &readSupabaseProvider},
        // Proxy mode: the host is the authorization server and signs users in upstream.
        {"proxy", &readProxyProvider},
        {"auth0", &readAuth0Provider},
        {"google", &readGoogleProvider},
        {"github", &readGithubProvider},
        {"okta", &readOktaProvider},
        {"entra", &readEntraProvider},
        // The host's own sign-in page and users file.
        {"local", &readLocalProvider},
    };
    return providers;
}

const AuthProvider* findAuthProvider(const std::string& name) {
    for (const AuthProvider& provider : authProviders()) {
        if (name == provider.name) return &provider;
    }
    return nullptr;
}

}  // namespace mcph::config

// "google": fixed URLs; ID tokens checked at Google's keys.
#include "config/providers/UpstreamPresets.h"

namespace mcph::config {

void readGoogleProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("google");
    auto& u = *o.upstream;
    u.authEndpoint = "https://accounts.google.com/o/oauth2/v2/auth";
    u.tokenEndpoint = "https://oauth2.googleapis.com/token";
    u.issuer = "https://accounts.google.com";
    u.jwksUrl = "https://www.googleapis.com/oauth2/v3/certs";
    finishUpstreamProvider(auth, out, baseDir, std::move(o), false, false);
}

}  // namespace mcph::config

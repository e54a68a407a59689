// "supabase": Supabase Auth of one project, named by its project ref.
#include "config/providers/NativeKeys.h"

namespace mcph::config {

void readSupabaseProvider(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    auth::ResourceServerOptions o;
    o.providerName = "supabase";
    const std::string ref = readPresetKey(auth, "projectRef");
    readNativeProvider(auth, out, std::move(o),
                       ref.empty() ? "" : "https://" + ref + ".supabase.co/auth/v1");
}

}  // namespace mcph::config

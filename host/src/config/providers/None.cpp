// "none": no authentication (loopback only unless the operator says otherwise; ConfigLoader).
#include "config/HostConfig.h"
#include "config/reader/ObjectReader.h"

namespace mcph::config {

void readNoneProvider(ObjectReader& /*auth*/, AuthConfig& out, const std::string& /*baseDir*/) {
    out.settings = NoAuthSettings{};
}

}  // namespace mcph::config

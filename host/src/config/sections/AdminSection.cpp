#include "config/UrlChecks.h"
#include "config/sections/Sections.h"

namespace mcph::config {

void readAdminSection(ObjectReader& admin, AdminConfig& out) {
    if (std::optional<bool> enabled = admin.boolean("enabled")) {
        out.enabled = *enabled;
    }
    if (std::optional<ConfigString> host = admin.string("host")) {
        if (isValidHost(host->value)) {
            out.host = host->value;
        } else {
            admin.diagnostics().error(admin.pathOf("host"),
                                      "expected an IP address or host name, got " + host->shown());
        }
    }
    if (auto port = admin.integer("port", 0, 65535)) {
        out.port = static_cast<int>(*port);
        out.portRequired = true;
    }
    admin.finish();
}

}  // namespace mcph::config

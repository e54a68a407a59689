#include <algorithm>
#include <cctype>

#include "config/reader/Suggest.h"
#include "config/sections/Sections.h"

namespace mcph::config {

void readLoggingSection(ObjectReader& logging, LoggingConfig& out) {
    static const std::vector<std::string> levels = {
        "none", "fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"};
    if (std::optional<ConfigString> level = logging.string("level")) {
        std::string name = level->value;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(levels.begin(), levels.end(), name) != levels.end()) {
            out.level = name;
        } else {
            std::string problem = "unknown level " + level->shown();
            if (std::optional<std::string> match = closestMatch(name, levels)) {
                problem += " (did you mean " + quotedText(*match) + "?)";
            }
            logging.diagnostics().error(
                logging.pathOf("level"),
                problem +
                    "; one of none, fatal, critical, error, warning, notice, information, "
                    "debug, trace");
        }
    }
    if (std::optional<ConfigString> format = logging.string("format")) {
        if (format->value == "text" || format->value == "json") {
            out.format = format->value;
        } else {
            logging.diagnostics().error(logging.pathOf("format"),
                                        "expected \"text\" or \"json\", got " + format->shown());
        }
    }
    if (std::optional<bool> accessLog = logging.boolean("accessLog")) {
        out.accessLog = *accessLog;
    }
    logging.finish();
}

}  // namespace mcph::config

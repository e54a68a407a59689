// The config file: config::JsonTextScanner::scan (JSON with comments, positions, duplicate keys,
// the depth cap) and config::loadConfigText, the whole loader behind --check-config (every
// section, the providers, ${VAR} expansion, URL and path checks). Relative paths resolve in a
// directory that does not exist, so the loader finds no files to read.
//
// Neither documents an exception: scan reports a syntax error in its result, loadConfigText
// "never throws" (ConfigLoader.h). So nothing is caught.
#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include "FuzzSupport.h"
#include "config/ConfigLoader.h"
#include "config/reader/JsonTextScanner.h"

using mcph::config::JsonTextScanner;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "config_text";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = mcph::fuzz::bytes(data, size);
    const JsonTextScanner::Result scanned = JsonTextScanner::scan(text);
    if (scanned.error) {
        if (scanned.errorPosition.line < 1 || scanned.errorPosition.column < 1)
            fuzzFail(kTarget, "a syntax error without a position");
        if (!scanned.strictJson.empty()) fuzzFail(kTarget, "strict JSON handed out with a syntax error");
    } else {
        // Comments are blanked in place: same length, same lines, nothing else changed.
        if (scanned.strictJson.size() != text.size()) fuzzFail(kTarget, "the strict JSON changed length");
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (scanned.strictJson[i] != text[i] && scanned.strictJson[i] != ' ')
                fuzzFail(kTarget, "the strict JSON changed a byte other than by blanking it");
        }
        // The scanner checks the grammar so that Poco never reports a (position-less) syntax
        // error of its own. Wrapped in [ ]: Poco 1.11 refuses a top-level scalar, which RFC 8259
        // allows (the loader then reports Poco's "Attempt to set value on an empty stack"
        // instead of "expected a JSON object at the top level": a known wart, not checked here).
        try {
            Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
            (void)parser.parse("[" + scanned.strictJson + "]");
        } catch (const Poco::Exception& e) {
            fuzzFail(kTarget, "the scanner passed text Poco refuses: " + e.displayText());
        }
    }

    const mcph::config::LoadResult loaded =
        mcph::config::loadConfigText(text, "fuzz.json", "/nonexistent/mcph-fuzz-config-dir");
    for (const auto& line : loaded.errors) {
        if (line.rfind("fuzz.json", 0) != 0) fuzzFail(kTarget, "an error line not prefixed by the source: " + line);
    }
    if (scanned.error && loaded.errors.empty()) fuzzFail(kTarget, "a syntax error the loader did not report");
    return 0;
}

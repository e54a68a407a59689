#pragma once
// Every log line is one line, whatever it quotes. Log messages carry text that comes from
// requests and from upstream answers (OAuth `error` and `error_description`, client names, user
// agents, paths, plugin messages); a CR or LF in it would start a forged line. The host's log
// channel formats each message with EscapingFormatter, so no call site has to remember to.
#include <Poco/AutoPtr.h>
#include <Poco/Formatter.h>

#include <string>

namespace mcph::app {

// `text` with every control byte (below 0x20, and 0x7F) written out: \n, \r and \t as such,
// the others as \xNN (lower-case hex). Everything else, UTF-8 included, is kept as it is.
std::string escapeControlCharacters(const std::string& text);

// Formats with `inner`, then escapes the control bytes of the whole line.
class EscapingFormatter final : public Poco::Formatter {
public:
    explicit EscapingFormatter(Poco::AutoPtr<Poco::Formatter> inner);

    void format(const Poco::Message& msg, std::string& text) override;

private:
    Poco::AutoPtr<Poco::Formatter> inner_;
};

}  // namespace mcph::app

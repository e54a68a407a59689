// The log channel's escaping: text quoted in a log message can never start a line of its own.
#include <Poco/AutoPtr.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StreamChannel.h>
#include <gtest/gtest.h>

#include <sstream>

#include "app/LogEscaping.h"

using mcph::app::EscapingFormatter;
using mcph::app::escapeControlCharacters;

TEST(LogEscaping, EveryControlByteIsWrittenOut) {
    EXPECT_EQ(escapeControlCharacters("a\r\nFORGED line"), "a\\r\\nFORGED line");
    EXPECT_EQ(escapeControlCharacters("tab\there"), "tab\\there");
    EXPECT_EQ(escapeControlCharacters(std::string("nul\0x", 5)), "nul\\x00x");
    EXPECT_EQ(escapeControlCharacters("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
    EXPECT_EQ(escapeControlCharacters("del\x7f" "bell\a\x0b\x0c\x1f"), "del\\x7fbell\\x07\\x0b\\x0c\\x1f");
    for (int c = 0; c < 0x20; ++c) {
        const std::string out = escapeControlCharacters(std::string(1, static_cast<char>(c)));
        ASSERT_GE(out.size(), 2u) << c;
        EXPECT_EQ(out[0], '\\') << c;
        for (unsigned char o : out) EXPECT_FALSE(o < 0x20 || o == 0x7f) << c;
    }
}

TEST(LogEscaping, PrintableTextAndUtf8AreKept) {
    EXPECT_EQ(escapeControlCharacters(""), "");
    const std::string printable = "client \"Zed\" asked /mcp?x=1 from 10.0.0.1 \\ {}~";
    EXPECT_EQ(escapeControlCharacters(printable), printable);
    EXPECT_EQ(escapeControlCharacters("caf\xC3\xA9 \xE2\x9C\x93"), "caf\xC3\xA9 \xE2\x9C\x93");
}

TEST(LogEscaping, TheFormatterEscapesTheWholeFormattedLine) {
    Poco::AutoPtr<EscapingFormatter> f(new EscapingFormatter(new Poco::PatternFormatter("%s: %t")));
    Poco::Message msg("plugin.evil\nX", "upstream said: bad\r\nFORGED 2026-01-01 F mcp-host: admin signed in",
                      Poco::Message::PRIO_WARNING);
    std::string text;
    f->format(msg, text);
    EXPECT_EQ(text, "plugin.evil\\nX: upstream said: bad\\r\\nFORGED 2026-01-01 F mcp-host: admin signed in");
}

TEST(LogEscaping, ALoggerBehindTheFormatterWritesOneLinePerMessage) {
    std::ostringstream out;
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(
        new EscapingFormatter(new Poco::PatternFormatter("%p %s: %t")), new Poco::StreamChannel(out)));
    Poco::Logger& log = Poco::Logger::create("mcph.test.log-escaping", channel, Poco::Message::PRIO_TRACE);
    log.warning("callback: upstream refused the sign-in (%s)", std::string("x\r\nFORGED line\n"));
    log.information("plain");
    Poco::Logger::destroy("mcph.test.log-escaping");
    EXPECT_EQ(out.str(),
              "Warning mcph.test.log-escaping: callback: upstream refused the sign-in (x\\r\\nFORGED line\\n)\n"
              "Information mcph.test.log-escaping: plain\n");
}

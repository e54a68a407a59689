#pragma once
// Shared by the libFuzzer targets in tests/fuzz. Each target feeds the fuzzer's bytes to one
// parser's real public function, catches only the exceptions that function documents as its
// normal way of refusing input, and checks a few properties of the answer. A broken property
// is reported through fuzzFail(), which aborts so libFuzzer records the input as a crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace mcph::fuzz {

// The fixed clock of the token fuzzers: the seeds in corpus/jws_compact were issued at this
// second (tests/fuzz/make_jws_seeds.py).
constexpr long long kNow = 1750000000;

inline std::chrono::system_clock::time_point fixedNow() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
}

inline std::string bytes(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Splits `text` at the first `separator`: (before, after). No separator: (text, "").
inline std::pair<std::string, std::string> splitOnce(const std::string& text, char separator) {
    const auto at = text.find(separator);
    if (at == std::string::npos) return {text, std::string()};
    return {text.substr(0, at), text.substr(at + 1)};
}

[[noreturn]] inline void fuzzFail(const char* target, const std::string& what) {
    std::fprintf(stderr, "\n[%s] property violated: %s\n", target, what.c_str());
    std::fflush(stderr);
    std::abort();
}

// True when `text` holds a byte that must never reach an HTTP header value (CTLs, DEL).
inline bool hasHeaderBreakingByte(const std::string& text) {
    for (unsigned char c : text) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    }
    return false;
}

}  // namespace mcph::fuzz

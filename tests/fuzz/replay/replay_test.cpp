// Replays tests/fuzz/corpus/<target>/* through each fuzz target (see CMakeLists.txt here). A
// seed that crashes or breaks a target's property aborts this binary, naming the target and
// the property on stderr; the file being replayed is printed first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "config/UrlChecks.h"
#include "http/OriginPolicy.h"

#define MCPH_FUZZ_TARGET(name) extern "C" int mcph_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef MCPH_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;
using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
    const char* name;
    Entry entry;
};

const std::vector<Target>& targets() {
    static const std::vector<Target> all = {
#define MCPH_FUZZ_TARGET(name) {#name, &mcph_fuzz_##name},
#include "fuzz_targets.inc"
#undef MCPH_FUZZ_TARGET
    };
    return all;
}

// gtest prints the parameter by its name.
void PrintTo(const Target& target, std::ostream* out) { *out << target.name; }

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int replay(const Target& target, const fs::path& file) {
    const std::string data = readFile(file);
    std::fprintf(stderr, "replaying %s\n", file.string().c_str());
    return target.entry(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
}

class FuzzCorpus : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzCorpus, EverySeedPasses) {
    const fs::path dir = fs::path(MCPH_FUZZ_CORPUS_DIR) / GetParam().name;
    ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing: every fuzz target has seeds";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        // crash-* files are reproducers, replayed by the FuzzRegression tests below.
        if (e.is_regular_file() && e.path().filename().string().rfind("crash-", 0) != 0) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    EXPECT_GE(files.size(), 3u) << "a handful of seeds per target";
    for (const auto& file : files) {
        SCOPED_TRACE(file.string());
        EXPECT_EQ(replay(GetParam(), file), 0);
    }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<Target>& info) { return std::string(info.param.name); });

// Runs one target on one file of its corpus (for the regression tests of known crashes).
[[maybe_unused]] int replayOne(const char* targetName, const char* fileName) {
    for (const auto& t : targets()) {
        if (std::string(t.name) == targetName) return replay(t, fs::path(MCPH_FUZZ_CORPUS_DIR) / targetName / fileName);
    }
    ADD_FAILURE() << "no fuzz target " << targetName;
    return -1;
}

}  // namespace

// ---- Regression tests for crashes the fuzzers found in product code ------------------------
// Each replays a reproducer (corpus/<target>/crash-*, left out of fuzzing runs by
// run_fuzzers.sh) and checks the behaviour it broke.

// Found by fuzz_origin_header (reproducer: corpus/origin_header/crash-nul-in-host, the Origin
// "http://127.0.0.11\0\0m27.0.0.1:8080:8080"). config::isIpv4, isIpv6 and isLoopbackHost
// (host/src/config/UrlChecks.cpp) pass std::string::c_str() to inet_pton, so a host with an
// embedded NUL is judged by the text before the NUL: parseAbsoluteUrl accepts
// "127.0.0.11\0\0m27.0.0.1:8080" as an IPv4 host, normalizeOrigin returns
// "http://[127.0.0.11\0\0m27.0.0.1:8080]:8080" (not idempotent), and "127.0.0.1\0.evil.example"
// counts as loopback, so a config file with "\u0000" in server.host or server.publicUrl passes
// the loopback-only rules (--check-config says OK). Over HTTP a NUL never gets this far:
// RequestFraming refuses control characters in header fields before any route runs.
TEST(FuzzRegression, HostsWithAnEmbeddedNulAreRefused) {
    using namespace std::string_literals;
    std::string problem;
    const std::string origin = "http://127.0.0.11\0\0m27.0.0.1:8080:8080"s;
    EXPECT_FALSE(mcph::config::parseAbsoluteUrl(origin, problem));
    EXPECT_EQ(mcph::http::normalizeOrigin(origin), "");
    EXPECT_FALSE(mcph::config::isValidHost("127.0.0.1\0.evil.example"s));
    EXPECT_FALSE(mcph::config::isLoopbackHost("127.0.0.1\0.evil.example"s));
    EXPECT_FALSE(mcph::config::normalizePublicUrl("http://127.0.0.1\0.evil.example:8080"s, problem));
    EXPECT_EQ(replayOne("origin_header", "crash-nul-in-host"), 0);
}

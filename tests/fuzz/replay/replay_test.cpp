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
#include <string>
#include <vector>

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
        // crash-* files reproduce known, unfixed crashes: see the DISABLED_ tests below.
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
// Each is DISABLED_ until the product code is fixed: it aborts the binary today. Run it with
//   mcph_fuzz_replay_tests --gtest_also_run_disabled_tests --gtest_filter='FuzzRegression.*'
// and enable it (and rename its crash-* file) with the fix.

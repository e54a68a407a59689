// What an operator may leave in the plugins directory: a copy cut short, a file of another
// machine, a FIFO. Each is refused before dlopen with one reason naming it, and the host (a real
// process) keeps serving the rest; a truncated plugin used to kill it with SIGBUS inside dlopen,
// before any log line.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <fstream>
#include <iterator>

#include "pluginhost/ElfCheck.h"
#include "pluginhost/PluginLoader.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"

using namespace mcph::testing;
using mcph::pluginhost::sharedObjectProblem;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string writeBytes(const TempDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

const std::string& echoImage() {
    static const std::string image = readFile(std::string(MCPH_PLUGINS_DIR) + "/echo.so");
    return image;
}

}  // namespace

TEST(PluginFileChecks, ARealPluginPasses) {
    ASSERT_GT(echoImage().size(), 1000u);
    EXPECT_EQ(sharedObjectProblem(std::string(MCPH_PLUGINS_DIR) + "/echo.so"), std::nullopt);
}

TEST(PluginFileChecks, EveryTruncationOfAPluginIsRefused) {
    TempDir dir;
    const std::string& image = echoImage();
    // Every cut an interrupted copy could leave, from nothing to one byte short.
    for (std::size_t length : {std::size_t{0}, std::size_t{3}, std::size_t{16}, std::size_t{63}, std::size_t{64},
                               std::size_t{120}, std::size_t{4096}, image.size() / 2, image.size() - 64,
                               image.size() - 1}) {
        const auto path = writeBytes(dir, "cut.so", image.substr(0, length));
        const auto problem = sharedObjectProblem(path);
        ASSERT_TRUE(problem) << "a copy cut at " << length << " of " << image.size() << " bytes passed";
        EXPECT_TRUE(problem->find("truncated") != std::string::npos || problem->find("not an ELF file") != std::string::npos)
            << length << ": " << *problem;
    }
}

TEST(PluginFileChecks, ForeignFilesAreRefusedWithWhatIsWrong) {
    TempDir dir;
    auto withByte = [&](std::size_t offset, unsigned char value) {
        std::string copy = echoImage();
        copy[offset] = static_cast<char>(value);
        return *sharedObjectProblem(writeBytes(dir, "x.so", copy));
    };
    EXPECT_EQ(withByte(4, 1), "not a 64-bit ELF file");                 // EI_CLASS: ELFCLASS32
    EXPECT_EQ(withByte(5, 2), "ELF file of the other byte order");      // EI_DATA: big-endian
    EXPECT_NE(withByte(18, 0xB7).find("built for another machine"), std::string::npos);  // e_machine: AArch64
    EXPECT_NE(withByte(16, 2).find("not a shared object"), std::string::npos);           // e_type: ET_EXEC
    EXPECT_EQ(*sharedObjectProblem(writeBytes(dir, "text.so", "#!/bin/sh\necho hi\n")), "not an ELF file");
    EXPECT_NE(sharedObjectProblem(dir.path() + "/absent.so")->find("cannot be opened"), std::string::npos);
}

TEST(PluginFileChecks, AFifoIsRefusedWithoutWaitingForAWriter) {
    TempDir dir;
    const std::string fifo = dir.path() + "/pipe.so";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(sharedObjectProblem(fifo), "not a regular file");
    const auto report = mcph::pluginhost::loadPluginDirectory(dir.path(), {});
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0].reason, "not a regular file");
}

TEST(PluginFileChecks, TheHostLogsATruncatedPluginAndServesTheRest) {
    TempDir plugins;
    writeBytes(plugins, "echo.so", echoImage().substr(0, echoImage().size() / 2));
    Poco::File(std::string(MCPH_PLUGINS_DIR) + "/whoami.so").copyTo(plugins.path());
    TempDir dir;
    const auto config = dir.write("host.json", R"({"server":{"host":"127.0.0.1","port":0},"plugins":{"dir":")" +
                                                   plugins.path() + R"("},"auth":{"provider":"none"}})");
    HostProcess host(config);
    HttpClient c(host.port());
    const auto session = c.openSession();
    EXPECT_TRUE(c.callTool(session, "whoami", "{}"));
    host.terminate();
    EXPECT_EQ(host.wait(), 0);
    const std::string log = host.stderrText();
    EXPECT_NE(log.find(plugins.path() + "/echo.so"), std::string::npos) << log;
    EXPECT_NE(log.find("truncated"), std::string::npos) << log;
}

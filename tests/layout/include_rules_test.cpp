// The include rules of docs/architecture.md, checked over the source tree: which folder
// (component) may include which. Every quoted include (and <mcphost/...>) must resolve to a file
// of the repository, so a rename cannot make an include silently escape the rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Include {
  std::string from;      // including file, relative to the root
  int line = 0;
  std::string text;      // as written between the quotes or brackets
  bool angle = false;    // written as <...>
  bool quoted = false;   // "..." or <mcphost/...>: must name a repository file
  std::string resolved;  // repository file it names, relative to the root; empty if none
  std::string fromComp, toComp;

  std::string where() const {
    return from + ":" + std::to_string(line) + ": #include " + (angle ? "<" + text + ">" : "\"" + text + "\"");
  }
};

struct Scan {
  std::map<std::string, std::string> files;  // relative path -> component ("" if none)
  std::vector<Include> includes;
};

// Order matters: the first root under which the included path exists wins.
const char* const kIncludeRoots[] = {"host/src", "auth/core/include", "auth/server/include",
                                     "sdk/include", "plugins/common", "tests/conformance/plugin"};

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string componentOf(const std::string& rel) {
  if (startsWith(rel, "sdk/")) return "sdk";
  if (startsWith(rel, "plugins/")) return "plugins";
  if (startsWith(rel, "auth/core/")) return "auth/core";
  if (startsWith(rel, "auth/server/")) return "auth/server";
  if (rel == "host/src/main.cpp" || startsWith(rel, "host/src/app/")) return "host/app";
  // The isolated plugin's worker process: its own executable over pluginhost.
  if (startsWith(rel, "host/worker/")) return "host/worker";
  for (const char* sub : {"http", "mcp", "pluginhost", "config", "ops"})
    if (startsWith(rel, std::string("host/src/") + sub + "/")) return std::string("host/") + sub;
  if (startsWith(rel, "tests/") || startsWith(rel, "bench/")) return "tests";  // not product
  return "";
}

bool isSource(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".h" || ext == ".hpp" || ext == ".c" || ext == ".cpp";
}

bool isSkippedDir(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return name == "node_modules" || name == "build" || startsWith(name, "build-") ||
         startsWith(name, "build_") || fs::exists(dir / "CMakeCache.txt");
}

std::string resolve(const fs::path& root, const std::string& fromRel, const std::string& text) {
  std::vector<fs::path> bases{fs::path(fromRel).parent_path()};
  for (const char* r : kIncludeRoots) bases.emplace_back(r);
  for (const fs::path& base : bases) {
    const fs::path rel = (base / text).lexically_normal();
    if (!rel.empty() && *rel.begin() != ".." && fs::is_regular_file(root / rel)) return rel.generic_string();
  }
  return "";
}

Scan scanTree(const fs::path& root) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^">]+)[">])");
  Scan scan;
  for (const char* top : {"sdk", "plugins", "auth", "host"}) {
    if (!fs::is_directory(root / top)) continue;
    for (auto it = fs::recursive_directory_iterator(root / top); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && isSkippedDir(it->path())) it.disable_recursion_pending();
      if (!it->is_regular_file() || !isSource(it->path())) continue;
      const std::string rel = it->path().lexically_relative(root).generic_string();
      scan.files[rel] = componentOf(rel);
      std::ifstream in(it->path());
      std::string line;
      std::smatch m;
      for (int n = 1; std::getline(in, line); ++n) {
        if (!std::regex_search(line, m, kInclude)) continue;
        Include inc{rel, n, m[2].str(), m[1] == "<"};
        inc.quoted = !inc.angle || startsWith(inc.text, "mcphost/");
        if (inc.quoted) inc.resolved = resolve(root, rel, inc.text);
        inc.fromComp = componentOf(rel);
        inc.toComp = componentOf(inc.resolved);
        scan.includes.push_back(inc);
      }
    }
  }
  std::sort(scan.includes.begin(), scan.includes.end(), [](const Include& a, const Include& b) {
    return std::tie(a.from, a.line) < std::tie(b.from, b.line);
  });
  return scan;
}

using Violations = std::vector<std::string>;

// Every resolved include from a component matching `from` into a component for which
// `forbidden` is true.
template <typename Pred>
Violations forbid(const Scan& scan, const std::string& from, Pred forbidden, const std::string& why) {
  Violations out;
  for (const Include& inc : scan.includes)
    if (!inc.resolved.empty() && startsWith(inc.fromComp, from) && forbidden(inc.toComp))
      out.push_back(inc.where() + " -> " + inc.resolved + ": " + why);
  return out;
}

Violations sdkRule(const Scan& s) {
  return forbid(s, "sdk", [](const std::string& to) { return to != "sdk"; }, "sdk includes only sdk/");
}
Violations pluginsRule(const Scan& s) {
  return forbid(s, "plugins", [](const std::string& to) { return to != "sdk" && to != "plugins"; },
                "plugins include only the SDK and plugins/");
}
Violations authRule(const Scan& s) {
  return forbid(s, "auth/", [](const std::string& to) { return startsWith(to, "host/"); },
                "auth never includes host");
}
Violations authCoreRule(const Scan& s) {
  return forbid(s, "auth/core", [](const std::string& to) { return to == "auth/server"; },
                "auth/core never includes auth/server");
}
Violations mcpRule(const Scan& s) {
  Violations out = forbid(s, "host/mcp", [](const std::string& to) { return to == "host/http"; },
                          "host/mcp never includes host/http");
  for (const Include& inc : s.includes)
    if (inc.fromComp == "host/mcp" && startsWith(inc.text, "Poco/Net/HTTP"))
      out.push_back(inc.where() + ": host/mcp never includes a Poco HTTP header");
  return out;
}
Violations opsRule(const Scan& s) {
  return forbid(s, "host/ops", [](const std::string& to) { return !to.empty() && to != "host/ops"; },
                "host/ops (metrics, logs, probes) includes nothing else of the repository");
}
Violations testsRule(const Scan& s) {
  return forbid(s, "", [](const std::string& to) { return to == "tests"; },
                "the product never includes tests/ or bench/");
}
Violations unresolvedRule(const Scan& s) {
  Violations out;
  for (const Include& inc : s.includes)
    if (inc.quoted && inc.resolved.empty()) out.push_back(inc.where() + ": names no file of the repository");
  return out;
}

// One shortest cycle through each component edge that lies on a cycle, deduplicated.
Violations cycleRule(const Scan& s) {
  std::map<std::string, std::map<std::string, const Include*>> edges;  // from -> to -> example
  for (const Include& inc : s.includes)
    if (!inc.fromComp.empty() && !inc.toComp.empty() && inc.fromComp != inc.toComp)
      edges[inc.fromComp].emplace(inc.toComp, &inc);
  std::set<std::vector<std::string>> cycles;
  for (const auto& [u, targets] : edges)
    for (const auto& [v, example] : targets) {
      std::map<std::string, std::string> parent{{v, ""}};  // BFS from v back to u
      for (std::deque<std::string> queue{v}; !queue.empty() && !parent.count(u); queue.pop_front())
        if (auto out = edges.find(queue.front()); out != edges.end())
          for (const auto& [next, unused] : out->second)
            if (parent.emplace(next, queue.front()).second) queue.push_back(next);
      if (!parent.count(u)) continue;
      std::vector<std::string> cycle;
      for (std::string c = u; !c.empty(); c = parent[c]) cycle.insert(cycle.begin(), c);
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      cycles.insert(cycle);
    }
  Violations out;
  for (const auto& cycle : cycles) {
    std::string msg = "component cycle:";
    for (const auto& c : cycle) msg += " " + c + " ->";
    msg += " " + cycle.front();
    for (size_t i = 0; i < cycle.size(); ++i)
      msg += "\n    " + edges.at(cycle[i]).at(cycle[(i + 1) % cycle.size()])->where();
    out.push_back(msg);
  }
  return out;
}

std::string join(const Violations& v) {
  std::string out;
  for (const auto& line : v) out += "\n  " + line;
  return out;
}

const Scan& repo() {
  static const Scan scan = scanTree(MCPH_SOURCE_DIR);
  return scan;
}

#define EXPECT_NO_VIOLATIONS(rule) \
  do { const Violations v = rule(repo()); EXPECT_TRUE(v.empty()) << v.size() << " violation(s):" << join(v); } while (0)

TEST(IncludeRules, ScanCoversEveryComponent) {
  std::map<std::string, int> counts;
  for (const auto& [file, comp] : repo().files) {
    EXPECT_FALSE(comp.empty()) << file << " belongs to no component; assign it in componentOf()";
    ++counts[comp];
  }
  for (const char* comp : {"sdk", "plugins", "auth/core", "auth/server", "host/app", "host/http",
                           "host/mcp", "host/pluginhost", "host/config", "host/ops", "host/worker"})
    EXPECT_GT(counts[comp], 0) << "no source files found for component " << comp;
  EXPECT_GT(repo().includes.size(), 100u);
}

TEST(IncludeRules, SdkIncludesOnlySdk) { EXPECT_NO_VIOLATIONS(sdkRule); }
TEST(IncludeRules, PluginsIncludeOnlySdkAndPlugins) { EXPECT_NO_VIOLATIONS(pluginsRule); }
TEST(IncludeRules, AuthNeverIncludesHost) { EXPECT_NO_VIOLATIONS(authRule); }
TEST(IncludeRules, AuthCoreNeverIncludesAuthServer) { EXPECT_NO_VIOLATIONS(authCoreRule); }
TEST(IncludeRules, McpNeverIncludesHttp) { EXPECT_NO_VIOLATIONS(mcpRule); }
TEST(IncludeRules, OpsIncludesOnlyOps) { EXPECT_NO_VIOLATIONS(opsRule); }
TEST(IncludeRules, NoComponentCycle) { EXPECT_NO_VIOLATIONS(cycleRule); }
TEST(IncludeRules, EveryIncludeResolves) { EXPECT_NO_VIOLATIONS(unresolvedRule); }
TEST(IncludeRules, ProductNeverIncludesTests) { EXPECT_NO_VIOLATIONS(testsRule); }

// Each rule reports a planted violation in a small fake tree (and nothing for the allowed includes).
TEST(IncludeRules, RulesCatchViolationsInAFakeTree) {
  const fs::path root = fs::temp_directory_path() /
      ("mcph_layout_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::remove_all(root);
  auto write = [&](const std::string& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  };
  write("sdk/include/mcphost/plugin.h", "#pragma once\n#include \"http/Router.h\"\n");
  write("plugins/echo/echo.c", "#include <mcphost/plugin.h>\n#include \"mcphost/auth/Token.h\"\n");
  write("auth/core/include/mcphost/auth/Token.h", "#include \"mcphost/auth/server/Issuer.h\"\n");
  write("auth/server/include/mcphost/auth/server/Issuer.h", "#include \"mcphost/auth/Token.h\"\n");
  write("auth/server/src/Issuer.cpp", "#include \"mcphost/auth/server/Issuer.h\"\n#include \"app/Wiring.h\"\n");
  write("host/src/http/Router.h", "#include <Poco/Net/HTTPRequestHandler.h>\n#include \"../../../bench/Load.h\"\n");
  write("host/src/mcp/Dispatcher.cpp", "#include \"http/Router.h\"\n#include <Poco/Net/HTTPServerRequest.h>\n");
  write("host/src/config/providers/Oidc.h", "#include \"pluginhost/Registry.h\"\n");
  write("host/src/pluginhost/Registry.h", "#include \"config/providers/Oidc.h\"\n#include \"fixture.hpp\"\n");
  write("host/src/app/Wiring.h", "#include \"http/Router.h\"\n#include \"app/Renamed.h\"\n");
  write("host/src/ops/Metrics.h", "#include \"http/Router.h\"\n");
  write("tests/conformance/plugin/fixture.hpp", "\n");
  write("bench/Load.h", "\n");

  const Scan scan = scanTree(root);
  auto expectOne = [](const Violations& v, const std::string& needle) {
    ASSERT_EQ(v.size(), 1u) << join(v);
    EXPECT_NE(v[0].find(needle), std::string::npos) << v[0];
  };
  expectOne(sdkRule(scan), "sdk/include/mcphost/plugin.h:2: #include \"http/Router.h\"");
  expectOne(pluginsRule(scan), "plugins/echo/echo.c:2: #include \"mcphost/auth/Token.h\"");
  expectOne(authRule(scan), "auth/server/src/Issuer.cpp:2: #include \"app/Wiring.h\"");
  expectOne(authCoreRule(scan), "auth/core/include/mcphost/auth/Token.h:1:");
  expectOne(unresolvedRule(scan), "host/src/app/Wiring.h:2: #include \"app/Renamed.h\"");
  expectOne(opsRule(scan), "host/src/ops/Metrics.h:1: #include \"http/Router.h\"");

  const Violations mcp = mcpRule(scan);
  ASSERT_EQ(mcp.size(), 2u) << join(mcp);
  EXPECT_NE(mcp[0].find("host/src/mcp/Dispatcher.cpp:1: #include \"http/Router.h\""), std::string::npos);
  EXPECT_NE(mcp[1].find("host/src/mcp/Dispatcher.cpp:2: #include <Poco/Net/HTTPServerRequest.h>"), std::string::npos);

  const Violations tests = testsRule(scan);
  ASSERT_EQ(tests.size(), 2u) << join(tests);
  EXPECT_NE(tests[0].find("host/src/http/Router.h:2: #include \"../../../bench/Load.h\" -> bench/Load.h"), std::string::npos);
  EXPECT_NE(tests[1].find("host/src/pluginhost/Registry.h:2: #include \"fixture.hpp\""), std::string::npos);

  const Violations cycles = cycleRule(scan);
  ASSERT_EQ(cycles.size(), 2u) << join(cycles);
  EXPECT_NE(cycles[0].find("auth/core -> auth/server -> auth/core"), std::string::npos) << cycles[0];
  EXPECT_NE(cycles[1].find("host/config -> host/pluginhost -> host/config"), std::string::npos) << cycles[1];
  EXPECT_NE(cycles[1].find("host/src/config/providers/Oidc.h:1: #include \"pluginhost/Registry.h\""), std::string::npos);
  fs::remove_all(root);
}

}  // namespace

#pragma once
// Which files of a plugin directory the host tries to load, at start and at every rescan: every
// "*.so" that is not a directory and not hidden. Hidden names (a leading dot) are what an
// install in progress writes before its rename (".x.so", ".x.so.tmp"); what is not a loadable
// regular file among the rest is reported with its reason, never silently passed over.
#include <string>
#include <vector>

namespace mcph::pluginhost {

// `fileName` without its directory.
bool isPluginFileName(const std::string& fileName);

// The candidates' full paths in file-name order (the load order); empty when `dir` cannot be
// read.
std::vector<std::string> pluginCandidates(const std::string& dir);

}  // namespace mcph::pluginhost

#include "pluginhost/PluginCandidates.h"

#include <algorithm>
#include <boost/filesystem.hpp>

namespace mcph::pluginhost {

bool isPluginFileName(const std::string& fileName) {
    constexpr const char* kSuffix = ".so";
    return fileName.size() > 3 && fileName.front() != '.' &&
           fileName.compare(fileName.size() - 3, 3, kSuffix) == 0;
}

std::vector<std::string> pluginCandidates(const std::string& dir) {
    namespace fs = boost::filesystem;
    std::vector<std::string> files;
    boost::system::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (isPluginFileName(it->path().filename().string()) && !fs::is_directory(it->status())) {
            files.push_back(it->path().string());
        }
    }
    std::sort(files.begin(), files.end());  // deterministic load and tool order
    return files;
}

}  // namespace mcph::pluginhost

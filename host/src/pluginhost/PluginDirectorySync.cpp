#include "pluginhost/PluginDirectorySync.h"

#include <Poco/Logger.h>

#include <boost/filesystem.hpp>
#include <exception>
#include <set>

#include "pluginhost/PluginCandidates.h"

namespace mcph::pluginhost {
namespace {

Poco::Logger& log() { return Poco::Logger::get("mcp-host.plugins"); }

}  // namespace

PluginDirectorySync::PluginDirectorySync(OfferingRegistry& registry, std::string dir,
                                         std::map<std::string, std::string> settingsJson,
                                         RunPolicy policy,
                                         const std::vector<LoadProblem>& startupProblems)
    : registry_(registry),
      dir_(std::move(dir)),
      settingsJson_(std::move(settingsJson)),
      policy_(std::move(policy)) {
    for (const auto& entry : registry_.snapshot()->plugins()) {
        const LoadedPlugin& p = *entry.plugin;
        // The identity of the bytes actually copied; a plugin loaded otherwise has none.
        FileIdentity identity = p.image.source();
        if (identity.inode == 0) identity = FileIdentity::ofPath(p.file).value_or(FileIdentity{});
        loaded_[p.file] = {p.name, identity};
    }
    for (const auto& problem : startupProblems) {
        if (loaded_.count(problem.file)) continue;  // a loaded plugin's single offering
        if (auto identity = FileIdentity::ofPath(problem.file)) skipped_[problem.file] = *identity;
    }
}

void PluginDirectorySync::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
}

PluginRescanReport PluginDirectorySync::rescan(const std::string& trigger) {
    PluginRescanReport report;
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return report;
    try {
        boost::system::error_code ec;
        if (!boost::filesystem::is_directory(dir_, ec)) {
            // Not "every plugin is gone": a directory that vanished or cannot be read for a
            // moment must not unload everything.
            log().warning("rescan (%s): plugin directory %s cannot be read; nothing changed",
                          trigger, dir_);
            report.skipped.push_back({dir_, "plugin directory cannot be read; nothing changed"});
            return report;
        }
        std::map<std::string, FileIdentity> present;
        for (const auto& file : pluginCandidates(dir_)) {
            if (auto identity = FileIdentity::ofPath(file)) present[file] = *identity;
        }
        std::vector<std::string> goneFiles;
        for (const auto& [file, _] : loaded_) {
            if (!present.count(file)) goneFiles.push_back(file);
        }
        for (auto it = skipped_.begin(); it != skipped_.end();) {
            it = present.count(it->first) ? std::next(it) : skipped_.erase(it);
        }
        for (const auto& [file, identity] : present) {
            const auto loaded = loaded_.find(file);
            if (loaded != loaded_.end() && loaded->second.identity == identity) continue;
            const auto skipped = skipped_.find(file);
            if (skipped != skipped_.end() && skipped->second == identity) continue;
            loadFile(file, identity, goneFiles, report);
        }
        removeGone(goneFiles, report);
    } catch (const std::exception& e) {
        log().error("rescan (%s) stopped: %s", trigger, std::string(e.what()));
    }
    logReport(trigger, report);
    return report;
}

void PluginDirectorySync::loadFile(const std::string& file, const FileIdentity& seen,
                                   const std::vector<std::string>& goneFiles,
                                   PluginRescanReport& report) {
    const auto previous = loaded_.find(file);
    // Names this file's plugin may take: its own old one, and those of plugins whose file is
    // gone (a renamed file takes its plugin over); every other served name is taken.
    std::set<std::string> taken;
    for (const auto& entry : registry_.snapshot()->plugins()) taken.insert(entry.plugin->name);
    if (previous != loaded_.end()) taken.erase(previous->second.plugin);
    for (const auto& gone : goneFiles) {
        if (auto it = loaded_.find(gone); it != loaded_.end()) taken.erase(it->second.plugin);
    }

    std::vector<LoadProblem> problems;
    auto plugin = loadPlugin(file, settingsJson_, taken, problems, &registry_.resourceUpdates(),
                             &registry_.toolChanges(), policy_);
    if (!plugin) {
        LoadProblem why = problems.empty() ? LoadProblem{file, "not loaded"} : problems.back();
        if (previous != loaded_.end()) {
            why.reason +=
                "; the loaded version of plugin \"" + previous->second.plugin + "\" keeps serving";
        }
        report.skipped.push_back(std::move(why));
        skipped_[file] = seen;
        return;
    }
    skipped_.erase(file);
    const std::string name = plugin->name;
    const std::string version = plugin->version;
    const FileIdentity identity = plugin->image.source();
    std::string previousVersion;
    const auto before = registry_.snapshot();
    const PluginOfferings* served = before->findPlugin(name);
    if (served) previousVersion = served->plugin->version;
    registry_.setPlugin(std::move(plugin), problems);
    (served ? report.replaced : report.added).push_back({name, version, file, previousVersion});
    report.problems.insert(report.problems.end(), problems.begin(), problems.end());

    // The same file now serving another plugin name: the old name is gone.
    if (previous != loaded_.end() && previous->second.plugin != name &&
        registry_.removePlugin(previous->second.plugin)) {
        report.removed.push_back({previous->second.plugin, file});
    }
    // A gone file whose plugin this one took over is no longer that plugin's source.
    for (const auto& gone : goneFiles) {
        if (auto it = loaded_.find(gone); it != loaded_.end() && it->second.plugin == name) {
            loaded_.erase(it);
        }
    }
    loaded_[file] = {name, identity};
}

void PluginDirectorySync::removeGone(const std::vector<std::string>& goneFiles,
                                     PluginRescanReport& report) {
    for (const auto& file : goneFiles) {
        const auto it = loaded_.find(file);
        if (it == loaded_.end()) continue;  // taken over by a renamed file
        const std::string name = it->second.plugin;
        loaded_.erase(it);
        if (registry_.removePlugin(name)) report.removed.push_back({name, file});
    }
}

void PluginDirectorySync::logReport(const std::string& trigger,
                                    const PluginRescanReport& report) const {
    for (const auto& a : report.added) {
        log().notice("rescan (%s): added plugin %s %s from %s", trigger, a.plugin, a.version,
                     a.file);
    }
    for (const auto& r : report.replaced) {
        log().notice(
            "rescan (%s): replaced plugin %s %s with %s from %s (calls in flight finish on the "
            "old version)",
            trigger, r.plugin, r.previousVersion, r.version, r.file);
    }
    for (const auto& r : report.removed) {
        log().notice("rescan (%s): removed plugin %s (no longer in %s)", trigger, r.plugin, r.file);
    }
    for (const auto& s : report.skipped) {
        log().warning("rescan (%s): skipped %s: %s", trigger, s.file, s.reason);
    }
    for (const auto& p : report.problems) {
        log().warning("rescan (%s): %s: %s", trigger, p.file, p.reason);
    }
    if (report.changeCount() == 0 && report.skipped.empty()) {
        log().debug("rescan (%s): nothing changed in %s", trigger, dir_);
    }
}

}  // namespace mcph::pluginhost

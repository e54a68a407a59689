#pragma once
// The host's metrics and their Prometheus exposition. A family is a name, a help text and a
// fixed list of label names; each distinct list of label values is one series, created on first
// use and never removed. Label values must come from bounded sets (methods, routes, status
// codes, tool and plugin names of the loaded plugins): never user, session or client ids.
//
// Why our own and not prometheus-cpp: Debian 12 has no libprometheus-cpp-dev package, and what
// the host needs (counters, gauges, fixed-bucket histograms, text format 0.0.4) fits in a few
// hundred lines with no new dependency.
//
// Cost: a series is found under a shared (reader) lock keyed by its label values; callers on
// the request path keep the reference they got for label sets known in advance, so recording is
// then only relaxed atomic adds.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "ops/MetricSeries.h"

namespace mcph::ops {

class MetricFamily {
  public:
    virtual ~MetricFamily() = default;
    virtual void render(std::string& out) const = 0;
    const std::string& name() const { return name_; }

  protected:
    MetricFamily(std::string name, std::string help)
        : name_(std::move(name)), help_(std::move(help)) {}
    const std::string name_;
    const std::string help_;
};

template <typename Series>
class LabeledFamily final : public MetricFamily {
  public:
    LabeledFamily(std::string name, std::string help, std::vector<std::string> labelNames,
                  std::vector<double> bounds = {});

    // The series for these label values (one per label name, in order); created on first use.
    Series& with(const std::vector<std::string>& labelValues);
    // The only series of a family without labels.
    Series& get() { return with({}); }

    void render(std::string& out) const override;

  private:
    const std::vector<std::string> labelNames_;
    const std::vector<double> bounds_;  // histograms only
    mutable std::shared_mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<Series>> series_;  // ordered: stable output
};

using CounterFamily = LabeledFamily<Counter>;
using GaugeFamily = LabeledFamily<Gauge>;
using HistogramFamily = LabeledFamily<Histogram>;

class MetricsRegistry {
  public:
    // Names must match [a-zA-Z_:][a-zA-Z0-9_:]*, be unique, and counters end in _total
    // (std::invalid_argument otherwise: a programming error, found by any test that starts a host).
    CounterFamily& counter(const std::string& name, const std::string& help,
                           std::vector<std::string> labelNames = {});
    GaugeFamily& gauge(const std::string& name, const std::string& help,
                       std::vector<std::string> labelNames = {});
    HistogramFamily& histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> labelNames, std::vector<double> bounds);
    // A gauge read when scraped (e.g. the size of a table that already counts itself).
    void gaugeFunction(const std::string& name, const std::string& help,
                       std::function<double()> read);

    // Every family in registration order, as Prometheus text format 0.0.4.
    std::string exposition() const;

    // Bucket bounds for request-like durations in seconds: 1 ms to 60 s.
    static std::vector<double> durationBuckets();

  private:
    template <typename Family, typename... Args>
    Family& add(const std::string& name, Args&&... args);

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<MetricFamily>> families_;
};

}  // namespace mcph::ops

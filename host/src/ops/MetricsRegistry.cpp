#include "ops/MetricsRegistry.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "ops/PrometheusText.h"

namespace mcph::ops {

namespace {

bool validName(const std::string& name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class FunctionGauge final : public MetricFamily {
  public:
    FunctionGauge(std::string name, std::string help, std::function<double()> read)
        : MetricFamily(std::move(name), std::move(help)), read_(std::move(read)) {}

    void render(std::string& out) const override {
        appendFamilyHeader(out, name_, help_, "gauge");
        appendSample(out, name_, {}, {}, formatNumber(read_()));
    }

  private:
    std::function<double()> read_;
};

}  // namespace

template <typename Series>
LabeledFamily<Series>::LabeledFamily(std::string name, std::string help,
                                     std::vector<std::string> labelNames,
                                     std::vector<double> bounds)
    : MetricFamily(std::move(name), std::move(help)),
      labelNames_(std::move(labelNames)),
      bounds_(std::move(bounds)) {
    for (const auto& label : labelNames_) {
        if (!validName(label) || label == "le" || label.rfind("__", 0) == 0) {
            throw std::invalid_argument("invalid label name \"" + label + "\" on " + name_);
        }
    }
    if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
        std::any_of(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); })) {
        throw std::invalid_argument("bucket bounds of " + name_ + " must be ascending and finite");
    }
}

template <typename Series>
Series& LabeledFamily<Series>::with(const std::vector<std::string>& labelValues) {
    if (labelValues.size() != labelNames_.size()) {
        throw std::invalid_argument(name_ + " takes " + std::to_string(labelNames_.size()) +
                                    " label values");
    }
    {
        std::shared_lock<std::shared_mutex> read(mutex_);
        auto found = series_.find(labelValues);
        if (found != series_.end()) return *found->second;
    }
    std::unique_lock<std::shared_mutex> write(mutex_);
    auto& slot = series_[labelValues];
    if (!slot) {
        if constexpr (std::is_same_v<Series, Histogram>) {
            slot = std::make_unique<Histogram>(bounds_);
        } else {
            slot = std::make_unique<Series>();
        }
    }
    return *slot;
}

template <typename Series>
void LabeledFamily<Series>::render(std::string& out) const {
    std::shared_lock<std::shared_mutex> read(mutex_);
    if constexpr (std::is_same_v<Series, Counter>) {
        appendFamilyHeader(out, name_, help_, "counter");
        for (const auto& [values, series] : series_) {
            appendSample(out, name_, labelNames_, values, std::to_string(series->value()));
        }
    } else if constexpr (std::is_same_v<Series, Gauge>) {
        appendFamilyHeader(out, name_, help_, "gauge");
        for (const auto& [values, series] : series_) {
            appendSample(out, name_, labelNames_, values, std::to_string(series->value()));
        }
    } else {
        appendFamilyHeader(out, name_, help_, "histogram");
        const std::string bucketName = name_ + "_bucket";
        for (const auto& [values, series] : series_) {
            const Histogram::Snapshot snap = series->snapshot();
            for (std::size_t i = 0; i < bounds_.size(); ++i) {
                appendSample(out, bucketName, labelNames_, values,
                             std::to_string(snap.cumulative[i]), "le", formatNumber(bounds_[i]));
            }
            appendSample(out, bucketName, labelNames_, values,
                         std::to_string(snap.cumulative.back()), "le", "+Inf");
            appendSample(out, name_ + "_sum", labelNames_, values, formatNumber(snap.sum));
            appendSample(out, name_ + "_count", labelNames_, values,
                         std::to_string(snap.cumulative.back()));
        }
    }
}

template class LabeledFamily<Counter>;
template class LabeledFamily<Gauge>;
template class LabeledFamily<Histogram>;

template <typename Family, typename... Args>
Family& MetricsRegistry::add(const std::string& name, Args&&... args) {
    if (!validName(name)) throw std::invalid_argument("invalid metric name \"" + name + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& family : families_) {
        if (family->name() == name)
            throw std::invalid_argument("metric " + name + " registered twice");
    }
    auto family = std::make_unique<Family>(name, std::forward<Args>(args)...);
    Family& ref = *family;
    families_.push_back(std::move(family));
    return ref;
}

CounterFamily& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                        std::vector<std::string> labelNames) {
    if (!endsWith(name, "_total"))
        throw std::invalid_argument("counter " + name + " must end in _total");
    return add<CounterFamily>(name, help, std::move(labelNames));
}

GaugeFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                    std::vector<std::string> labelNames) {
    return add<GaugeFamily>(name, help, std::move(labelNames));
}

HistogramFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                            std::vector<std::string> labelNames,
                                            std::vector<double> bounds) {
    return add<HistogramFamily>(name, help, std::move(labelNames), std::move(bounds));
}

void MetricsRegistry::gaugeFunction(const std::string& name, const std::string& help,
                                    std::function<double()> read) {
    add<FunctionGauge>(name, help, std::move(read));
}

std::string MetricsRegistry::exposition() const {
    std::string out;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& family : families_) family->render(out);
    return out;
}

std::vector<double> MetricsRegistry::durationBuckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace mcph::ops

#include "ops/MetricSeries.h"

#include <algorithm>

namespace mcph::ops {

Histogram::Histogram(const std::vector<double>& upperBounds)
    : bounds_(upperBounds), buckets_(new std::atomic<std::uint64_t>[upperBounds.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i)
        buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
    // Prometheus buckets are "less than or equal": the first bound not below the value.
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    // std::atomic<double> has no fetch_add before C++20.
    double sum = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
    }
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot out;
    out.cumulative.reserve(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        out.cumulative.push_back(running);
    }
    out.sum = sum_.load(std::memory_order_relaxed);
    return out;
}

std::uint64_t Histogram::count() const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i)
        total += buckets_[i].load(std::memory_order_relaxed);
    return total;
}

}  // namespace mcph::ops

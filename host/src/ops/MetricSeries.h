#pragma once
// One time series each: a counter, a gauge or a histogram with fixed bucket bounds. Updates are
// relaxed atomics (no lock, no allocation), so recording on the request path costs a few
// uncontended atomic adds; a scrape reads the values as they are at that moment.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace mcph::ops {

class Counter {
  public:
    void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
  public:
    void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
    void set(std::int64_t n) { value_.store(n, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::int64_t> value_{0};
};

class Histogram {
  public:
    // `upperBounds`: ascending, finite; +Inf is implied. Must outlive the histogram (the family
    // owns it).
    explicit Histogram(const std::vector<double>& upperBounds);

    void observe(double value);

    struct Snapshot {
        std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
        double sum = 0;
    };
    Snapshot snapshot() const;
    std::uint64_t count() const;
    const std::vector<double>& upperBounds() const { return bounds_; }

  private:
    const std::vector<double>& bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
    std::atomic<double> sum_{0};
};

}  // namespace mcph::ops

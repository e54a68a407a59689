// The metrics registry and its text exposition, byte for byte, and the JSON log formatter.
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "ops/JsonLogFormatter.h"
#include "ops/MetricsRegistry.h"
#include "ops/PrometheusText.h"

using namespace mcph::ops;

TEST(OpsMetricsRegistry, CountersGaugesAndHistogramsInTextFormat) {
    MetricsRegistry registry;
    auto& requests = registry.counter("app_requests_total", "Requests.", {"route"});
    requests.with({"/a"}).inc();
    requests.with({"/a"}).inc(2);
    requests.with({"/b\"\\\n"}).inc();
    registry.gauge("app_open", "Open things.").get().set(-3);
    auto& latency = registry.histogram("app_seconds", "Latency\nin seconds.", {}, {0.1, 1});
    latency.get().observe(0.05);
    latency.get().observe(0.1);  // "less than or equal": the 0.1 bucket
    latency.get().observe(7);
    registry.gaugeFunction("app_size", "Size.", [] { return 2.5; });

    EXPECT_EQ(registry.exposition(),
              "# HELP app_requests_total Requests.\n"
              "# TYPE app_requests_total counter\n"
              "app_requests_total{route=\"/a\"} 3\n"
              "app_requests_total{route=\"/b\\\"\\\\\\n\"} 1\n"
              "# HELP app_open Open things.\n"
              "# TYPE app_open gauge\n"
              "app_open -3\n"
              "# HELP app_seconds Latency\\nin seconds.\n"
              "# TYPE app_seconds histogram\n"
              "app_seconds_bucket{le=\"0.1\"} 2\n"
              "app_seconds_bucket{le=\"1\"} 2\n"
              "app_seconds_bucket{le=\"+Inf\"} 3\n"
              "app_seconds_sum 7.15\n"
              "app_seconds_count 3\n"
              "# HELP app_size Size.\n"
              "# TYPE app_size gauge\n"
              "app_size 2.5\n");
}

TEST(OpsMetricsRegistry, RefusesWhatWouldBreakTheExposition) {
    MetricsRegistry registry;
    EXPECT_THROW(registry.counter("no_suffix", "x"), std::invalid_argument);
    EXPECT_THROW(registry.gauge("1starts_with_digit", "x"), std::invalid_argument);
    EXPECT_THROW(registry.gauge("ok_name", "x", {"bad-label"}), std::invalid_argument);
    EXPECT_THROW(registry.histogram("h_seconds", "x", {"le"}, {1}), std::invalid_argument);
    EXPECT_THROW(registry.histogram("h2_seconds", "x", {}, {2, 1}), std::invalid_argument);
    registry.gauge("twice", "x");
    EXPECT_THROW(registry.gauge("twice", "x"), std::invalid_argument);
    auto& family = registry.counter("labelled_total", "x", {"a", "b"});
    EXPECT_THROW(family.with({"only-one"}), std::invalid_argument);
}

TEST(OpsMetricsRegistry, ConcurrentUpdatesAreNotLost) {
    MetricsRegistry registry;
    auto& counter = registry.counter("hits_total", "x", {"t"});
    auto& histogram =
        registry.histogram("d_seconds", "x", {"t"}, MetricsRegistry::durationBuckets());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10000; ++i) {
                counter.with({t % 2 ? "odd" : "even"}).inc();
                histogram.with({"x"}).observe(0.001);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(counter.with({"odd"}).value() + counter.with({"even"}).value(), 40000u);
    EXPECT_EQ(histogram.with({"x"}).count(), 40000u);
}

TEST(OpsPrometheusText, NumbersAsTheFormatSpellsThem) {
    EXPECT_EQ(formatNumber(3), "3");
    EXPECT_EQ(formatNumber(0.25), "0.25");
    EXPECT_EQ(formatNumber(0.1), "0.1");
    EXPECT_EQ(formatNumber(1.0 / 0.0), "+Inf");
    EXPECT_EQ(formatNumber(-1.0 / 0.0), "-Inf");
    EXPECT_EQ(formatNumber(0.0 / 0.0), "NaN");
}

TEST(OpsJsonLogFormatter, OneObjectPerLineWithFieldsAndEscapes) {
    Poco::Message message("mcp-host.auth", "a \"quoted\"\r\nFORGED line\x1b",
                          Poco::Message::PRIO_WARNING);
    message.set("http.response.status_code", "401");
    message.set("url.path", "/x\ny");
    std::string line;
    JsonLogFormatter().format(message, line);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    Poco::JSON::Parser parser;
    auto json = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getValue<std::string>("level"), "warning");
    EXPECT_EQ(json->getValue<std::string>("logger"), "mcp-host.auth");
    EXPECT_EQ(json->getValue<std::string>("message"), "a \"quoted\"\r\nFORGED line\x1b");
    EXPECT_EQ(json->getValue<int>("http.response.status_code"), 401);
    EXPECT_EQ(json->getValue<std::string>("url.path"), "/x\ny");
    EXPECT_EQ(json->getValue<std::string>("time").size(),
              std::string("2026-01-02T03:04:05.678Z").size());
}

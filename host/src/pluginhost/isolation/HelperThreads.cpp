#include "pluginhost/isolation/HelperThreads.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace mcph::pluginhost::isolation {
namespace {

constexpr std::chrono::seconds kIdleLifetime{30};

struct HelperPool {
    std::mutex mutex;
    std::condition_variable workArrived;
    std::deque<std::function<void()>> queue;
    std::size_t idle = 0;

    void loop() {
        std::unique_lock<std::mutex> lock(mutex);
        while (true) {
            ++idle;
            const bool got =
                workArrived.wait_for(lock, kIdleLifetime, [this] { return !queue.empty(); });
            --idle;
            if (!got) return;
            auto work = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            work();
            lock.lock();
        }
    }
};

// Never destroyed: detached helpers may still run plugin code at exit.
HelperPool& pool() {
    static auto* instance = new HelperPool;
    return *instance;
}

}  // namespace

void runOnHelperThread(std::function<void()> work) {
    HelperPool& p = pool();
    std::unique_lock<std::mutex> lock(p.mutex);
    p.queue.push_back(std::move(work));
    if (p.idle >= p.queue.size()) {
        lock.unlock();
        p.workArrived.notify_one();
        return;
    }
    lock.unlock();
    std::thread([&p] { p.loop(); }).detach();
}

}  // namespace mcph::pluginhost::isolation

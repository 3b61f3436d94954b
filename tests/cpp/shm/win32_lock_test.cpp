// The interprocess lock's Windows half (lock_win32.cpp: a named mutex beside the segment), built
// by the windows-x86_64 cross build and run under Wine by scripts/cross. A thread that ends
// holding the mutex abandons it, as a killed process does: the next lock reports the dead owner.
// Compiled to nothing on other platforms.
#if defined(_WIN32)

#include <gtest/gtest.h>

#include <windows.h>

#include <chrono>
#include <string>
#include <thread>

#include "memshare/error.hpp"
#include "memshare/lock.hpp"

using memshare::Error;
using memshare::InterprocessLock;
using memshare::LockOutcome;

namespace {

std::string unique_ns() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return "mswinlk" + std::to_string(GetCurrentProcessId()) + "_" + (info ? info->name() : "none");
}

bool mutex_exists(const std::string& name) {
    HANDLE h = OpenMutexA(SYNCHRONIZE, FALSE, name.c_str());
    if (h == nullptr) return false;
    CloseHandle(h);
    return true;
}

constexpr int64_t kMs = 1000000;

}  // namespace

TEST(Win32Lock, NamedMutexBesideTheSegment) {
    const std::string ns = unique_ns();
    auto lock = InterprocessLock::open(ns, "L");
    EXPECT_EQ(lock->segment_name(), "Local\\" + ns + ".lock.L");
    EXPECT_TRUE(mutex_exists("Local\\" + ns + ".lock.L.mutex"));
    lock.reset();
    EXPECT_FALSE(mutex_exists("Local\\" + ns + ".lock.L.mutex")) << "the mutex outlived its last handle";
}

TEST(Win32Lock, ExcludesTimesOutAndIsNotReentrant) {
    const std::string ns = unique_ns();
    auto a = InterprocessLock::open(ns, "L");
    auto b = InterprocessLock::open(ns, "L");  // a second opener shares the mutex and the value
    ASSERT_EQ(a->lock(1000 * kMs), LockOutcome::Acquired);
    a->set_value(7);
    EXPECT_THROW(a->lock(0), Error);  // not reentrant, although Windows mutexes are
    std::thread([&] {
        EXPECT_EQ(b->try_lock(), LockOutcome::Busy);
        const auto t0 = std::chrono::steady_clock::now();
        EXPECT_EQ(b->lock(50 * kMs), LockOutcome::Busy);
        EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(40));
        EXPECT_THROW(a->unlock(), Error);  // not this thread's
    }).join();
    a->unlock();
    std::thread([&] {
        ASSERT_EQ(b->lock(1000 * kMs), LockOutcome::Acquired);
        EXPECT_EQ(b->value(), 7);
        b->unlock();
    }).join();
    EXPECT_EQ(a->add(5), 5);
    EXPECT_EQ(b->add(1), 6);
}

TEST(Win32Lock, CountsExactlyUnderContention) {
    const std::string ns = unique_ns();
    auto lock = InterprocessLock::open(ns, "count");
    constexpr int kThreads = 4, kEach = 5000;
    std::thread threads[kThreads];
    for (auto& t : threads)
        t = std::thread([&] {
            auto mine = InterprocessLock::open(ns, "count");  // its own handle, as another process would have
            for (int i = 0; i < kEach; ++i) {
                ASSERT_NE(mine->lock(-1), LockOutcome::Busy);
                mine->set_value(mine->value() + 1);
                mine->unlock();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(lock->value(), kThreads * kEach);
}

TEST(Win32Lock, AnAbandonedMutexReportsTheDeadOwnerAndKeepsWorking) {
    const std::string ns = unique_ns();
    auto lock = InterprocessLock::open(ns, "L");
    std::thread([&] {
        auto mine = InterprocessLock::open(ns, "L");
        ASSERT_EQ(mine->lock(1000 * kMs), LockOutcome::Acquired);
        mine.release();  // leaks the handle: the thread ends holding the mutex, which abandons it
    }).join();
    EXPECT_EQ(lock->lock(10000 * kMs), LockOutcome::OwnerDied);
    lock->unlock();
    EXPECT_EQ(lock->lock(1000 * kMs), LockOutcome::Acquired);
    lock->unlock();
}

#endif  // _WIN32

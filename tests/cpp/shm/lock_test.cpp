// The interprocess lock (lock.hpp) on POSIX, with real processes: exclusion between 2 processes of
// 4 threads each over a plain read-modify-write, kill -9 of a holder (the next lock reports the
// dead owner and the lock keeps working), timeouts, try-lock, race-free creation by many
// processes at once, refusal of what is not a lock, and removal only when nobody uses it.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/inspect.hpp"
#include "memshare/lock.hpp"
#include "memshare/registry.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

using memshare::Error;
using memshare::ErrorCode;
using memshare::InterprocessLock;
using memshare::LockOutcome;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kSecond = 1000000000;

// A word of memory shared with forked children (MAP_SHARED|MAP_ANONYMOUS), for handshakes.
struct SharedFlag {
    std::atomic<int>* p;
    SharedFlag() {
        void* m = mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        p = new (m) std::atomic<int>(0);
    }
    ~SharedFlag() { munmap(p, sizeof(std::atomic<int>)); }
    bool wait_for(int v, std::chrono::seconds limit = std::chrono::seconds(60)) const {
        const auto end = Clock::now() + limit;
        while (p->load() != v && Clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return p->load() == v;
    }
};

// `increments` plain read-modify-writes of the lock's value, each under the lock.
void count_under_lock(InterprocessLock& lock, int increments) {
    for (int i = 0; i < increments; ++i) {
        if (lock.lock(-1) == LockOutcome::Busy) std::abort();
        const int64_t v = lock.value();
        lock.set_value(v + 1);
        lock.unlock();
    }
}

pid_t fork_child(const std::function<int()>& body) {
    const pid_t pid = fork();
    if (pid == 0) {
        int code = 99;
        try {
            code = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child: %s\n", e.what());
        }
        _exit(code);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

class LockTest : public memshare_test::ShmTest {};

TEST_F(LockTest, NamesFollowTheNamingPolicy) {
    std::printf("LOCK dead owners detected here: %s\n", InterprocessLock::detects_dead_owners() ? "yes" : "no");
    EXPECT_EQ(memshare::lock_names("rns", "L", memshare::Platform::Linux).segment, "rns.lock.L");
    const auto win = memshare::lock_names("rns", "L", memshare::Platform::Windows);
    EXPECT_EQ(win.segment, "Local\\rns.lock.L");
    EXPECT_EQ(win.mutex, "Local\\rns.lock.L.mutex");
    for (const char* bad : {"", "a/b", "a\\b"}) {
        try {
            memshare::lock_names("rns", bad);
            ADD_FAILURE() << "accepted lock name '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::InvalidName) << e.what();
        }
    }
    EXPECT_THROW(memshare::lock_names("rns", std::string(300, 'x')), Error);
}

TEST_F(LockTest, LockTryLockTimeoutAndRemovalOnLastClose) {
    auto lock = InterprocessLock::open(ns_, "L");
    EXPECT_EQ(memshare_test::segments_of(ns_), std::vector<std::string>{ns_ + ".lock.L"});
    EXPECT_EQ(memshare_test::shm_mode(ns_ + ".lock.L"), 0600);
    ASSERT_EQ(lock->lock(kSecond), LockOutcome::Acquired);
    // Another thread: try-lock says busy, a timed lock waits its timeout and gives up.
    std::thread([&] {
        EXPECT_EQ(lock->try_lock(), LockOutcome::Busy);
        const auto t0 = Clock::now();
        EXPECT_EQ(lock->lock(50 * 1000000), LockOutcome::Busy);
        EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(49));
        try {
            lock->unlock();
            ADD_FAILURE() << "a thread released a lock it does not hold";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::InvalidArgument) << e.what();
        }
    }).join();
    try {
        lock->lock(0);
        ADD_FAILURE() << "relocked by its holder";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not reentrant"), std::string::npos) << e.what();
    }
    lock->unlock();
    std::thread([&] {
        EXPECT_EQ(lock->try_lock(), LockOutcome::Acquired);
        lock->unlock();
    }).join();
    // A second handle in this process keeps the segment; the last close removes it.
    auto again = InterprocessLock::open(ns_, "L");
    EXPECT_FALSE(again->close_and_remove_if_unused());
    again.reset();
    EXPECT_TRUE(lock->close_and_remove_if_unused());
    lock.reset();
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

// 2 processes x 4 threads, 1,000,000 increments in all of a value in shared memory, by a plain
// load and a plain store (not an atomic add): the total is exact only if the lock excludes.
TEST_F(LockTest, TwoProcessesOfFourThreadsCountExactly) {
    constexpr int kProcesses = 2, kThreads = 4, kTotal = 1000000;
    auto lock = InterprocessLock::open(ns_, "count");
    SharedFlag go;
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        children.push_back(fork_child([&] {
            auto mine = InterprocessLock::open(ns_, "count");
            go.wait_for(1);
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t)
                threads.emplace_back([&] { count_under_lock(*mine, kTotal / (kProcesses * kThreads)); });
            for (auto& t : threads) t.join();
            return 0;
        }));
    }
    const auto t0 = Clock::now();
    go.p->store(1);
    for (pid_t c : children) EXPECT_EQ(wait_exit(c), 0);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_EQ(lock->value(), kTotal);
    std::printf("LOCK %d processes x %d threads: %d locked increments in %.2f s (%.2f us each)\n", kProcesses, kThreads,
                kTotal, s, s * 1e6 / kTotal);
    EXPECT_TRUE(lock->close_and_remove_if_unused());
}

TEST_F(LockTest, KillNineOfTheHolderIsReportedAndTheLockKeepsWorking) {
    if (!InterprocessLock::detects_dead_owners())
        GTEST_SKIP() << "this kernel or emulator has no robust futexes (qemu-user: set_robust_list is ENOSYS), so a "
                        "killed holder's lock is never handed on; covered by the native run";
    auto lock = InterprocessLock::open(ns_, "L");
    lock->set_value(41);
    SharedFlag held;
    const pid_t holder = fork_child([&] {
        auto mine = InterprocessLock::open(ns_, "L");
        if (mine->lock(-1) != LockOutcome::Acquired) return 3;
        mine->set_value(42);  // half-way through an update when it dies
        held.p->store(1);
        for (;;) pause();
    });
    ASSERT_TRUE(held.wait_for(1)) << "the holder never took the lock";
    EXPECT_EQ(lock->try_lock(), LockOutcome::Busy);
    kill(holder, SIGKILL);
    EXPECT_EQ(wait_exit(holder), 128 + SIGKILL);
    const auto t0 = Clock::now();
    // Bounded: the kernel hands a dead holder's robust mutex on at its exit; 30 s is for a busy machine.
    ASSERT_EQ(lock->lock(30 * kSecond), LockOutcome::OwnerDied);
    std::printf("LOCK owner death reported %.3f ms after the holder was reaped\n",
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    EXPECT_EQ(lock->value(), 42) << "the dead holder's half-done update is what the next holder sees";
    lock->unlock();
    // Working again: plain acquisitions, from this thread and from another process.
    ASSERT_EQ(lock->lock(kSecond), LockOutcome::Acquired);
    lock->unlock();
    const auto child = memshare_test::run_in_child([&](std::string& msg) {
        auto mine = InterprocessLock::open(ns_, "L");
        const LockOutcome o = mine->lock(10 * kSecond);
        msg = std::to_string(static_cast<int>(o));
        mine->unlock();
        return o == LockOutcome::Acquired ? 0 : 1;
    });
    EXPECT_TRUE(child.exited && child.code == 0) << child.describe();
    EXPECT_TRUE(lock->close_and_remove_if_unused());
}

TEST_F(LockTest, ManyProcessesOpeningAtOnceShareOneInitialisedLock) {
    constexpr int kChildren = 8;
    SharedFlag go;
    std::vector<pid_t> children;
    for (int c = 0; c < kChildren; ++c) {
        children.push_back(fork_child([&] {
            go.wait_for(1);
            auto mine = InterprocessLock::open(ns_, "L");
            if (mine->lock(30 * kSecond) != LockOutcome::Acquired) return 3;  // never OwnerDied, never a broken mutex
            mine->set_value(mine->value() + 1);
            mine->unlock();
            mine->add(1);
            go.wait_for(2);  // all stay open until every one has counted
            return 0;
        }));
    }
    go.p->store(1);
    auto lock = InterprocessLock::open(ns_, "L");
    const auto end = Clock::now() + std::chrono::seconds(60);
    while (lock->add(0) < kChildren && Clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(lock->add(0), kChildren);
    EXPECT_EQ(lock->value(), kChildren);
    EXPECT_FALSE(lock->close_and_remove_if_unused()) << "removed while 8 processes have it open";
    go.p->store(2);
    for (pid_t c : children) EXPECT_EQ(wait_exit(c), 0);
    EXPECT_TRUE(lock->close_and_remove_if_unused());
}

TEST_F(LockTest, AStaleHandleFollowsTheNameToTheNewLock) {
    auto stale = InterprocessLock::open(ns_, "L");
    ASSERT_EQ(shm_unlink(("/" + ns_ + ".lock.L").c_str()), 0);  // as a remover racing with us would
    SharedFlag held;
    const pid_t holder = fork_child([&] {
        auto fresh = InterprocessLock::open(ns_, "L");  // creates a new segment under the name
        if (fresh->lock(-1) != LockOutcome::Acquired) return 3;
        held.p->store(1);
        held.wait_for(2);
        fresh->unlock();
        return 0;
    });
    ASSERT_TRUE(held.wait_for(1));
    // The old segment's mutex is free, but it is no longer the lock: the new one is held.
    EXPECT_EQ(stale->lock(100 * 1000000), LockOutcome::Busy);
    held.p->store(2);
    EXPECT_EQ(wait_exit(holder), 0);
    ASSERT_EQ(stale->lock(10 * kSecond), LockOutcome::Acquired);
    stale->unlock();
    EXPECT_TRUE(stale->close_and_remove_if_unused());
}

TEST_F(LockTest, WhatIsNotALockIsRefused) {
    // A variable named "lock.V" has the lock V's segment name.
    memshare::Registry reg;
    const double d[2] = {1, 2};
    reg.register_bytes(ns_, "lock.V", memshare::VariableLayout::vector(memshare::ElementType::Float64, 2), d);
    try {
        InterprocessLock::open(ns_, "V");
        ADD_FAILURE() << "a variable's data was taken for a lock";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Corrupt) << e.what();
    }
    reg.release_page(ns_, "lock.V");
    // A FIFO under the name: refused at once, never blocking.
    const std::string fifo = "/dev/shm/" + ns_ + ".lock.F";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    try {
        InterprocessLock::open(ns_, "F");
        ADD_FAILURE() << "a FIFO was opened as a lock";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("FIFO"), std::string::npos) << e.what();
    }
    unlink(fifo.c_str());
    // A lock segment with a damaged header.
    auto bytes = std::vector<uint8_t>(memshare::kLockSegmentBytes, 0);
    std::memcpy(bytes.data(), "MEMSHRLK", 8);
    EXPECT_THROW(memshare::decode_lock_header(bytes.data(), bytes.size()), Error);  // version 0
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".lock.B", bytes), 0);
    EXPECT_THROW(InterprocessLock::open(ns_, "B"), Error);
    memshare_test::unlink_raw(ns_ + ".lock.B");
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".lock.S", bytes, 100), 0);
    EXPECT_THROW(InterprocessLock::open(ns_, "S"), Error);
    memshare_test::unlink_raw(ns_ + ".lock.S");
}

// ls and sweep: a lock is listed as one (creator, holder), and removed by a sweep only once no
// process has it open, even when its creator and its holder were killed.
TEST_F(LockTest, TheSweepRemovesALockOnlyWhenNoProcessHasItOpen) {
    if (!InterprocessLock::detects_dead_owners())
        GTEST_SKIP() << "this kernel or emulator has no robust futexes (qemu-user: set_robust_list is ENOSYS), so a "
                        "killed holder's lock is never handed on; covered by the native run";
    SharedFlag held;
    const pid_t holder = fork_child([&] {
        auto mine = InterprocessLock::open(ns_, "L");  // the creator
        if (mine->lock(-1) != LockOutcome::Acquired) return 3;
        held.p->store(1);
        for (;;) pause();
    });
    ASSERT_TRUE(held.wait_for(1));
    auto scans = memshare::scan_segments(ns_);
    ASSERT_EQ(scans.size(), 1u);
    ASSERT_TRUE(scans[0].lock.has_value()) << scans[0].problem;
    EXPECT_EQ(scans[0].var, "lock.L");
    EXPECT_TRUE(scans[0].valid()) << scans[0].problem;
    EXPECT_EQ(scans[0].lock->creator_pid, holder);
    EXPECT_EQ(scans[0].lock->holder_pid, holder);
    EXPECT_EQ(scans[0].owner_state, memshare::OwnerState::Alive);
    memshare::SweepOptions o;
    o.ns = ns_;
    auto swept = memshare::sweep(o);
    ASSERT_EQ(swept.size(), 1u);
    EXPECT_EQ(swept[0].action, memshare::SweepAction::LiveOwner) << swept[0].reason;
    EXPECT_NE(swept[0].reason.find(std::to_string(holder)), std::string::npos) << swept[0].reason;

    kill(holder, SIGKILL);
    EXPECT_EQ(wait_exit(holder), 128 + SIGKILL);
    {
        auto mine = InterprocessLock::open(ns_, "L");  // this process has it open now: kept
        swept = memshare::sweep(o);
        ASSERT_EQ(swept.size(), 1u);
        EXPECT_EQ(swept[0].action, memshare::SweepAction::LiveOwner) << swept[0].reason;
        EXPECT_EQ(memshare::scan_segments(ns_)[0].owner_state, memshare::OwnerState::Dead);  // its creator
    }  // closed without removing (the destructor only closes)
    o.dry_run = true;
    swept = memshare::sweep(o);
    ASSERT_EQ(swept.size(), 1u);
    EXPECT_EQ(swept[0].action, memshare::SweepAction::WouldRemove) << swept[0].reason;
    o.dry_run = false;
    swept = memshare::sweep(o);  // nobody has it open; its dead holder still "holds" it
    ASSERT_EQ(swept.size(), 1u);
    EXPECT_EQ(swept[0].action, memshare::SweepAction::Removed) << swept[0].reason;
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

#if defined(__GLIBC__)
// A hostile or damaged segment must not crash the reader: a priority-inheritance kind and a
// non-existent owner TID in the mutex make glibc's timedlock abort() on its assert
// `e != ESRCH || !robust`. memshare refuses a mutex whose kind is not the one it creates, both
// when opening and when locking through a handle opened before the damage.
TEST_F(LockTest, AMutexOfAnotherKindIsRefusedNotHandedToGlibc) {
#if defined(MEMSHARE_PORTABLE_POSIX)
    GTEST_SKIP() << "the portable flavour's lock is an flock: there is no mutex in the segment to damage";
#endif
    auto lock = InterprocessLock::open(ns_, "L");
    const int fd = shm_open(("/" + ns_ + ".lock.L").c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    void* p = mmap(nullptr, memshare::kLockSegmentBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ASSERT_NE(p, MAP_FAILED);
    auto* m = reinterpret_cast<pthread_mutex_t*>(static_cast<uint8_t*>(p) + 72);  // the mutex, FORMAT.md §7
    m->__data.__kind |= 32;  // glibc's internal PTHREAD_MUTEX_PRIO_INHERIT_NP bit
    m->__data.__lock = 0x3ffffff0;  // above any pid_max: no such thread
    for (bool reopen : {false, true}) {
        const pid_t child = fork_child([&] {
            try {
                if (reopen) InterprocessLock::open(ns_, "L")->lock(kSecond);
                else lock->lock(kSecond);
            } catch (const Error& e) {
                return e.code() == ErrorCode::Corrupt ? 0 : 2;
            }
            return 3;
        });
        EXPECT_EQ(wait_exit(child), 0) << (reopen ? "a fresh handle" : "an open handle")
                                       << " locked a mutex of another kind (134: glibc aborted)";
    }
    munmap(p, memshare::kLockSegmentBytes);
    lock.reset();
    memshare_test::unlink_raw(ns_ + ".lock.L");
}
#endif

// A process that only recovers a dead holder's lock to see whether it is in use (the sweep, a
// closing handle) and then keeps it must pass "the previous owner died" on to the next holder.
TEST_F(LockTest, ADeadOwnerSeenByASweepOrACloserIsStillReportedToTheNextHolder) {
    if (!InterprocessLock::detects_dead_owners())
        GTEST_SKIP() << "this kernel or emulator has no robust futexes (qemu-user: set_robust_list is ENOSYS), so a "
                        "killed holder's lock is never handed on; covered by the native run";
    for (bool by_sweep : {true, false}) {
        SharedFlag flag;
        const pid_t holder = fork_child([&] {
            auto mine = InterprocessLock::open(ns_, "L");
            if (mine->lock(-1) != LockOutcome::Acquired) return 3;
            flag.p->store(1);
            for (;;) pause();
        });
        ASSERT_TRUE(flag.wait_for(1));
        // Forked before this process opens the lock, so it does not count this process's handle as its own.
        const pid_t recoverer = fork_child([&] {
            if (!flag.wait_for(2)) return 4;
            if (by_sweep) {
                memshare::SweepOptions o;
                o.ns = ns_;
                auto swept = memshare::sweep(o);
                return swept.size() == 1 && swept[0].action == memshare::SweepAction::LiveOwner ? 0 : 5;
            }
            return InterprocessLock::open(ns_, "L")->close_and_remove_if_unused() ? 6 : 0;
        });
        auto lock = InterprocessLock::open(ns_, "L");
        kill(holder, SIGKILL);
        EXPECT_EQ(wait_exit(holder), 128 + SIGKILL);
        flag.p->store(2);
        ASSERT_EQ(wait_exit(recoverer), 0) << (by_sweep ? "sweep" : "close");
        EXPECT_EQ(lock->lock(30 * kSecond), LockOutcome::OwnerDied) << (by_sweep ? "after a sweep" : "after a close");
        lock->unlock();
        EXPECT_EQ(lock->lock(kSecond), LockOutcome::Acquired) << "reported once only";
        lock->unlock();
        EXPECT_TRUE(lock->close_and_remove_if_unused());
    }
}

// Destroying a handle while this thread holds it must not unmap a mutex that is on the thread's
// robust list (glibc writes into it at the thread's next robust lock: SIGSEGV). The hold stays
// until the thread ends, and the next holder is told the owner died.
TEST_F(LockTest, DestroyingAHandleWhileHoldingItIsSafeAndTheHoldEndsWithTheThread) {
    if (!InterprocessLock::detects_dead_owners())
        GTEST_SKIP() << "this kernel or emulator has no robust futexes (qemu-user: set_robust_list is ENOSYS), so a "
                        "thread's hold is never handed on at its end; covered by the native run";
    const auto child = memshare_test::run_in_child([&](std::string& msg) {
        std::thread t([&] {
            auto a = InterprocessLock::open(ns_, "A");
            if (a->lock(kSecond) != LockOutcome::Acquired) return;
            a.reset();  // destroyed while held
            for (int i = 0; i < 3; ++i) {
                auto b = InterprocessLock::open(ns_, "B");  // a robust lock on the same thread
                if (b->lock(kSecond) != LockOutcome::Acquired) return;
                b->unlock();
                b->close_and_remove_if_unused();
            }
            msg = "ok";
        });
        t.join();
        auto a = InterprocessLock::open(ns_, "A");
        const LockOutcome o = a->lock(10 * kSecond);
        if (o != LockOutcome::Busy) a->unlock();
        a->close_and_remove_if_unused();
        msg += " " + std::to_string(static_cast<int>(o));
        return msg == "ok 1" ? 0 : 1;
    });
    EXPECT_TRUE(child.exited && child.code == 0) << child.describe();
}

// A lock segment cut short after the sweep's scan (same object, fewer bytes) must be refused, not
// mapped and read past its end (SIGBUS).
TEST_F(LockTest, TheSweepRefusesALockTruncatedAfterItsScan) {
    InterprocessLock::open(ns_, "L");  // destroyed at once: closed, not removed
    const auto scans = memshare::scan_segments(ns_);
    ASSERT_EQ(scans.size(), 1u);
    const std::string segment = ns_ + ".lock.L";
    const int fd = shm_open(("/" + segment).c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, 0), 0);  // no page left: a read of the mapping raises SIGBUS
    close(fd);
    const auto child = memshare_test::run_in_child([&](std::string& msg) {
        try {
            memshare::remove_lock_if_unused(segment, scans[0].data_stat);
        } catch (const Error& e) {
            msg = e.what();
            return e.code() == ErrorCode::Corrupt ? 0 : 2;
        }
        return 3;
    });
    EXPECT_TRUE(child.exited && child.code == 0) << child.describe() << " (signal 7: SIGBUS)";
    memshare_test::unlink_raw(segment);
}

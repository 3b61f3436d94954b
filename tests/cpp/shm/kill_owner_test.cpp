// kill -9 of a real owner process at random instants of its work (registering, allocating a page,
// filling it, publishing, releasing), then a sweep: after every kill, nothing of the dead owner
// may be left, whatever it was doing, and a live owner's variable beside it must survive every
// sweep. This is what "every byte in /dev/shm has an owner a sweep can judge" means in practice.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include "memshare/inspect.hpp"
#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::Registry;
using memshare::SweepAction;
using memshare::VariableLayout;

namespace {

// What the owner is doing, written by the child into memory it shares with the test before
// each step, so the test knows which step a kill interrupted.
enum Phase : int { kStarting = 0, kRegister, kAllocate, kFill, kPublish, kRelease, kPhaseCount };
const char* const kPhaseNames[kPhaseCount] = {"starting", "register", "allocate", "fill", "publish", "release"};

// The owner: forever, register a small vector, allocate a 1 MiB matrix, fill it, publish it,
// then release both; two names in turn, so that a kill may find one or two variables alive.
[[noreturn]] void owner_loop(const std::string& ns, volatile int* phase) {
    Registry* reg = new Registry();  // never destroyed: the process dies by SIGKILL
    const double small[4] = {1, 2, 3, 4};
    const auto layout = VariableLayout::matrix(ElementType::Float64, 512, 256);
    for (uint64_t round = 0;; ++round) {
        const std::string v = "v" + std::to_string(round % 2), m = "m" + std::to_string(round % 2);
        try {
            *phase = kRegister;
            reg->register_bytes(ns, v, VariableLayout::vector(ElementType::Float64, 4), small);
            *phase = kAllocate;
            auto page = reg->create_page(ns, m, layout);
            *phase = kFill;
            double* d = reinterpret_cast<double*>(page.region->data());
            for (uint64_t i = 0; i < layout.array.length(); ++i) d[i] = static_cast<double>(i ^ round);
            *phase = kPublish;
            reg->publish(ns, m, page.lease);
            *phase = kRelease;
            reg->release_page(ns, m, page.lease);
            reg->release_page(ns, v);
        } catch (const memshare::Error& e) {
            std::fprintf(stderr, "owner: %s\n", e.what());
            _exit(2);
        }
    }
}

}  // namespace

class KillOwnerTest : public memshare_test::ShmTest {};

TEST_F(KillOwnerTest, SweepAfterKillNineAtRandomInstantsLeavesNothingOfTheDeadOwner) {
    constexpr int kKills = 200;
    auto* phase = static_cast<volatile int*>(
        mmap(nullptr, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(phase, MAP_FAILED);
    // The live owner beside the dead ones: this process, in the same namespace.
    Registry live;
    const double kept[3] = {7, 8, 9};
    live.register_bytes(ns_, "live", VariableLayout::vector(ElementType::Float64, 3), kept);

    std::mt19937 rng(20261202);
    std::uniform_int_distribution<int> delay_us(0, 3000);
    std::array<int, kPhaseCount> kills_in{};
    int removed_total = 0;
    for (int k = 0; k < kKills; ++k) {
        *phase = kStarting;
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) owner_loop(ns_, phase);
        // Wait for the owner to begin (a busy machine may take a while to schedule it), then let
        // it run a random while: the kill lands wherever it happens to be.
        for (int i = 0; i < 600000 && *phase == kStarting; ++i) std::this_thread::sleep_for(std::chrono::microseconds(100));
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
        kill(pid, SIGKILL);
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the owner failed on its own (exit " << WEXITSTATUS(status) << ")";
        ++kills_in[*phase];

        memshare::SweepOptions o;
        o.ns = ns_;
        for (const auto& e : memshare::sweep(o)) {
            if (e.scan.var == "live") {
                EXPECT_EQ(e.action, SweepAction::LiveOwner) << "kill " << k << ": " << e.reason;
            } else {
                EXPECT_EQ(e.action, SweepAction::Removed) << "kill " << k << " in " << kPhaseNames[*phase] << ": "
                                                          << e.scan.var << ": " << e.reason;
                removed_total += static_cast<int>(e.removed.size());
            }
        }
        const auto left = memshare_test::segments_of(ns_);
        ASSERT_EQ(left.size(), 2u) << "kill " << k << " in " << kPhaseNames[*phase]
                                   << ": left after the sweep: " << memshare_test::join(left);
    }
    // The live variable survived every sweep, intact.
    auto view = live.acquire_view(ns_, "live");
    EXPECT_EQ(reinterpret_cast<const double*>(view.region->data())[2], 9);
    live.release_view(ns_, "live");
    live.release_page(ns_, "live");

    std::string counts;
    for (int p = 0; p < kPhaseCount; ++p) counts += std::string(p ? ", " : "") + kPhaseNames[p] + " " + std::to_string(kills_in[p]);
    std::printf("KILL9 %d kills by phase: %s; %d segment names swept\n", kKills, counts.c_str(), removed_total);
    EXPECT_EQ(kills_in[kStarting], 0) << "the owner never started before its kill";
    munmap(const_cast<int*>(phase), sizeof(int));
}

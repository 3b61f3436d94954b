// The registry is thread-safe: threads acquiring and releasing views of one variable share one
// mapping that is retired only when the last reference goes, so a holder never reads zeros;
// threads registering distinct variables do not interfere.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::Registry;
using memshare::VariableLayout;

class RegistryThreadsTest : public memshare_test::ShmTest {};

TEST_F(RegistryThreadsTest, ConcurrentViewsOfOneVariable) {
    Registry reg;
    std::vector<double> values(1024);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i + 1);
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, values.size()), values.data());

    std::atomic<int> bad{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                try {
                    auto v = reg.acquire_view(ns_, "X");
                    const double* d = reinterpret_cast<const double*>(v.region->data());
                    const std::size_t k = static_cast<std::size_t>(i * 31 + t) % values.size();
                    if (d[k] != static_cast<double>(k + 1)) ++bad;
                    reg.release_view(ns_, "X");
                } catch (const memshare::Error&) {
                    ++errors;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(bad.load(), 0) << "a view holder read retired (zero) memory";
    EXPECT_EQ(errors.load(), 0);
    EXPECT_TRUE(reg.view_list().empty());
    reg.release_page(ns_, "X");
}

TEST_F(RegistryThreadsTest, ConcurrentRegistrationOfDistinctVariables) {
    Registry reg;
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const std::string var = "t" + std::to_string(t) + "_" + std::to_string(i % 5);
                const double d[2] = {static_cast<double>(t), static_cast<double>(i)};
                try {
                    reg.register_bytes(ns_, var, VariableLayout::vector(ElementType::Float64, 2), d);
                    auto v = reg.acquire_view(ns_, var);
                    const double* x = reinterpret_cast<const double*>(v.region->data());
                    if (x[0] != t || x[1] != i) ++errors;
                    reg.release_view(ns_, var);
                    reg.release_page(ns_, var);
                } catch (const memshare::Error&) {
                    ++errors;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_TRUE(reg.page_list().empty());
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

TEST_F(RegistryThreadsTest, SameNameRaceHasExactlyOneWinner) {
    Registry reg;
    std::atomic<int> won{0}, exists{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            try {
                reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 16));
                ++won;
            } catch (const memshare::Error& e) {
                if (e.code() == memshare::ErrorCode::AlreadyExists) ++exists;
                else ++other;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(exists.load(), 7);
    EXPECT_EQ(other.load(), 0);
    reg.release_page(ns_, "X");
}

// Use after release: a region kept past release_view/release_page is retired (shared pages
// replaced by private zero pages), so stale pointers read zeros instead of faulting.
#include <gtest/gtest.h>

#include <cstring>

#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::Attached;
using memshare::ElementType;
using memshare::Registry;
using memshare::VariableLayout;

class RetireTest : public memshare_test::ShmTest {};

namespace {

bool all_zero(const uint8_t* p, uint64_t n) {
    for (uint64_t i = 0; i < n; ++i)
        if (p[i] != 0) return false;
    return true;
}

}  // namespace

TEST_F(RetireTest, KeptViewRegionReadsZerosAfterLastRelease) {
    Registry reg;
    // Several pages, so every page of the range is replaced, not only the first.
    const auto layout = VariableLayout::vector(ElementType::Float64, 3 * 4096);
    std::vector<double> values(3 * 4096, 42.0);
    reg.register_bytes(ns_, "X", layout, values.data());
    std::shared_ptr<memshare::MappedRegion> kept;
    {
        Attached view = reg.acquire_view(ns_, "X");
        kept = view.region;
    }
    const volatile double* p = reinterpret_cast<const double*>(kept->data());
    EXPECT_EQ(p[0], 42.0);
    EXPECT_EQ(p[3 * 4096 - 1], 42.0);
    reg.release_view(ns_, "X");
    ASSERT_TRUE(kept->retired());
    EXPECT_FALSE(kept->writable());
    // Same address, same size, all zeros, no SIGBUS/SIGSEGV.
    EXPECT_EQ(reinterpret_cast<const volatile uint8_t*>(p), kept->data());
    EXPECT_EQ(p[0], 0.0);
    EXPECT_EQ(p[3 * 4096 - 1], 0.0);
    EXPECT_TRUE(all_zero(kept->data(), kept->size()));
    // The owner's data is untouched by a view's retirement.
    Attached again = reg.acquire_view(ns_, "X");
    EXPECT_NE(again.region.get(), kept.get());
    EXPECT_EQ(reinterpret_cast<const double*>(again.region->data())[5], 42.0);
    reg.release_all(ns_);
    kept.reset();  // unmapped now, without a crash
}

TEST_F(RetireTest, KeptPageRegionStaysWritableButDetached) {
    Registry owner, reader;
    const double d[2] = {1, 2};
    Attached page = owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 2), d);
    Attached view = reader.acquire_view(ns_, "X");
    owner.release_page(ns_, "X");
    ASSERT_TRUE(page.region->retired());
    EXPECT_TRUE(page.region->writable());
    double* stale = reinterpret_cast<double*>(page.region->data());
    EXPECT_EQ(stale[0], 0.0);
    stale[0] = 99;  // a stale write lands in private memory ...
    EXPECT_EQ(stale[0], 99.0);
    // ... and not in the shared memory other processes still read.
    EXPECT_EQ(reinterpret_cast<const double*>(view.region->data())[0], 1.0);
    reader.release_view(ns_, "X");
}

TEST_F(RetireTest, ReleaseAllRetiresKeptRegions) {
    Registry reg;
    const int64_t v[4] = {1, 2, 3, 4};
    Attached page = reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Int64, 4), v);
    Attached view = reg.acquire_view(ns_, "X");
    EXPECT_EQ(reg.release_all(ns_), 2u);
    EXPECT_TRUE(page.region->retired());
    EXPECT_TRUE(view.region->retired());
    EXPECT_TRUE(all_zero(view.region->data(), view.region->size()));
    EXPECT_TRUE(all_zero(page.region->data(), page.region->size()));
}

TEST_F(RetireTest, RetireIsIdempotentAndZeroSizeSafe) {
    Registry reg;
    reg.register_bytes(ns_, "empty", VariableLayout::vector(ElementType::Float64, 0), nullptr);
    Attached view = reg.acquire_view(ns_, "empty");
    reg.release_view(ns_, "empty");
    EXPECT_TRUE(view.region->retired());
    view.region->retire();
    EXPECT_TRUE(view.region->retired());
    reg.release_page(ns_, "empty");
}

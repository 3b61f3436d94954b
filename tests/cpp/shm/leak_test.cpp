// docs/ARCHITECTURE.md §5 "No leak": 10,000 register/view/release cycles leave 0 segments, 0 file
// descriptors and 0 mappings.
#include <gtest/gtest.h>


#include <fstream>
#include <string>

#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::ArrayShape;
using memshare::ElementType;
using memshare::Kind;
using memshare::Registry;
using memshare::VariableLayout;

class LeakTest : public memshare_test::ShmTest {};

namespace {

using memshare_test::count_fds;

// All mappings, or only those of shared-memory segments.
int count_mappings(bool shm_only = false) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    int n = 0;
    while (std::getline(maps, line))
        if (!shm_only || line.find("/dev/shm/") != std::string::npos) ++n;
    return n;
}

void cycle(Registry& reg, const std::string& ns, int i) {
    const double d[3] = {1.0 * i, 2, 3};
    const std::string var = "v" + std::to_string(i % 7);
    if (i % 2 == 0) {
        reg.register_bytes(ns, var, VariableLayout::vector(ElementType::Float64, 3), d);
    } else {
        reg.register_bytes(ns, var,
                           VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Vector, 1, 1}, ArrayShape{Kind::Vector, 2, 1}}),
                           d);
    }
    {
        auto a = reg.acquire_view(ns, var);
        auto b = reg.acquire_view(ns, var);
        if (reinterpret_cast<const double*>(a.region->data() + (i % 2 ? 16 : 0))[0] != 1.0 * i)
            ADD_FAILURE() << "cycle " << i << " read a wrong value";
        reg.release_view(ns, var);
        reg.release_view(ns, var);
    }
    reg.release_page(ns, var);
}

}  // namespace

TEST_F(LeakTest, TenThousandCyclesLeaveNothing) {
    Registry reg;
    cycle(reg, ns_, 0);  // warm up allocator and library state
    const int fds = count_fds();
    const int maps = count_mappings();
    const int shm_maps = count_mappings(true);
    for (int i = 1; i <= 10000; ++i) {
        cycle(reg, ns_, i);
        if (::testing::Test::HasFailure()) break;
    }
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty()) << memshare_test::join(memshare_test::segments_of(ns_));
    EXPECT_EQ(count_fds(), fds);
    EXPECT_EQ(count_mappings(true), shm_maps);
    // Under AddressSanitizer the allocator maps more as it goes; retired placeholders are
    // anonymous, so the exact total is checked in the normal build.
    if (!memshare_test::kSanitized) {
        EXPECT_EQ(count_mappings(), maps);
    }
    EXPECT_TRUE(reg.page_list().empty());
    EXPECT_TRUE(reg.view_list().empty());
}

// A viewer attaching while the owner releases a variable and registers it again under the same
// name with the same byte size (3x4, then 4x3) must never pair one registration's metadata with
// the other's data. Each registration's values encode its shape (nrow*10 + ncol), so a mismatched
// pair shows. The window (between reading the metadata and opening the data) is a few system
// calls wide, so this is a stress test: it runs for a fixed time and counts attaches.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::Registry;
using memshare::VariableLayout;

class ReRegistrationRaceTest : public memshare_test::ShmTest {};

TEST_F(ReRegistrationRaceTest, AViewNeverPairsOldMetadataWithNewData) {
    Registry owner, viewer;  // two registries: as two processes, no shared cache between them
    std::atomic<bool> stop{false};
    std::thread churn([&] {
        for (uint64_t i = 0; !stop.load(); ++i) {
            const uint64_t nrow = i % 2 ? 4 : 3, ncol = i % 2 ? 3 : 4;
            const std::vector<double> values(12, static_cast<double>(nrow * 10 + ncol));
            owner.register_bytes(ns_, "X", VariableLayout::matrix(ElementType::Float64, nrow, ncol), values.data());
            std::this_thread::sleep_for(std::chrono::microseconds(100));  // registered long enough to be seen
            owner.release_page(ns_, "X");
        }
    });
    int attached = 0, mismatched = 0, absent = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < until) {
        try {
            auto v = viewer.acquire_view(ns_, "X");
            const auto& shape = v.metadata.layout.array;
            const double first = reinterpret_cast<const double*>(v.region->data())[0];
            if (first != static_cast<double>(shape.nrow * 10 + shape.ncol)) ++mismatched;
            ++attached;
            viewer.release_view(ns_, "X");
        } catch (const memshare::Error& e) {
            // Between a release and the next registration: not there, or being registered.
            if (e.code() != memshare::ErrorCode::NotFound) ADD_FAILURE() << e.what();
            ++absent;
        }
    }
    stop = true;
    churn.join();
    RecordProperty("attached", attached);
    std::printf("[re-registration race] %d attaches, %d while the name was absent, %d mismatched\n", attached, absent,
                mismatched);
    EXPECT_GT(attached, 100) << "too few attaches to say anything";
    EXPECT_EQ(mismatched, 0) << "a view paired one registration's metadata with another's data";
}

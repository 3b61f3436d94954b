// A view is shared only while the name still refers to the segment it mapped: after the owner
// releases (and perhaps registers the name again), new views must not reuse the old mapping.
#include <gtest/gtest.h>

#include <cstring>
#include <chrono>
#include <exception>
#include <thread>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_shm.hpp"

using namespace memshare;

namespace {

class ViewIdentityTest : public memshare_test::ShmTest {};

std::vector<double> values(const Attached& a, std::size_t n) {
    std::vector<double> out(n);
    std::memcpy(out.data(), a.region->data(), n * sizeof(double));
    return out;
}

TEST_F(ViewIdentityTest, ReleasedNameGivesNotFoundEvenWhileAnOldViewIsOpen) {
    Registry owner, reader;
    const double d[3] = {1, 2, 3};
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 3), d);
    Attached old_view = reader.acquire_view(ns_, "X");
    owner.release_page(ns_, "X");
    try {
        reader.acquire_view(ns_, "X");
        FAIL() << "a released name must not be viewable";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotFound) << e.what();
    }
    EXPECT_EQ(values(old_view, 3), (std::vector<double>{1, 2, 3}));
    reader.release_view(ns_, "X", old_view.lease);
}

TEST_F(ViewIdentityTest, ReRegisteredNameGetsAFreshMappingAndTheOldOneStays) {
    Registry owner, reader;
    const double first[3] = {1, 2, 3};
    const double second[5] = {9, 8, 7, 6, 5};
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 3), first);
    Attached old_view = reader.acquire_view(ns_, "X");
    owner.release_page(ns_, "X");
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 5), second);

    Attached new_view = reader.acquire_view(ns_, "X");
    EXPECT_NE(new_view.region.get(), old_view.region.get());
    EXPECT_EQ(new_view.metadata.layout.array.nrow, 5u);
    EXPECT_EQ(values(new_view, 5), (std::vector<double>{9, 8, 7, 6, 5}));
    EXPECT_EQ(values(old_view, 3), (std::vector<double>{1, 2, 3}));
    EXPECT_EQ(reader.view_list(ns_).size(), 2u);  // one row per mapped object

    // A second view of the new object shares its mapping.
    Attached again = reader.acquire_view(ns_, "X");
    EXPECT_EQ(again.region.get(), new_view.region.get());

    reader.release_view(ns_, "X", old_view.lease);
    EXPECT_TRUE(old_view.region->retired());
    EXPECT_FALSE(new_view.region->retired());
    reader.release_view(ns_, "X", new_view.lease);
    reader.release_view(ns_, "X", again.lease);
    EXPECT_TRUE(reader.view_list(ns_).empty());
    owner.release_page(ns_, "X");
}

}  // namespace

namespace {

TEST_F(ViewIdentityTest, EachRegistrationGetsItsOwnNonceAndFingerprint) {
    // Where the OS has no inode (macOS, Windows), the metadata must still tell two registrations
    // of one name by one process apart.
    Registry owner;
    const double d[2] = {1, 2};
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 2), d);
    const Metadata first = owner.read_metadata(ns_, "X");
    owner.release_page(ns_, "X");
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 2), d);
    const Metadata second = owner.read_metadata(ns_, "X");
    owner.release_page(ns_, "X");
    ASSERT_TRUE(first.owner && second.owner);
    EXPECT_NE(first.owner->nonce, second.owner->nonce);
    EXPECT_NE(first.fingerprint, second.fingerprint);
}

TEST_F(ViewIdentityTest, StalePublishCannotPublishALaterRegistration) {
    Registry reg;
    Attached old_page = reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 2));
    reg.release_page(ns_, "X", old_page.lease);
    Attached new_page = reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 2));
    try {
        reg.publish(ns_, "X", old_page.lease);
        FAIL() << "a stale lease must not publish the new page";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotFound) << e.what();
    }
    EXPECT_THROW(reg.acquire_view(ns_, "X"), Error);  // still unpublished
    reg.publish(ns_, "X", new_page.lease);
    reg.release_page(ns_, "X", new_page.lease);
}

TEST_F(ViewIdentityTest, ShutdownRefusesNewPagesAndLeavesNothing) {
    Registry reg;
    const double d[1] = {1};
    reg.register_bytes(ns_, "A", VariableLayout::vector(ElementType::Float64, 1), d);
    reg.shutdown();
    EXPECT_TRUE(reg.page_list(ns_).empty());
    EXPECT_THROW(reg.create_page(ns_, "B", VariableLayout::vector(ElementType::Float64, 1)), Error);
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

}  // namespace

namespace {

TEST_F(ViewIdentityTest, ShutdownWhileAnotherThreadCreatesAPageLeavesNothing) {
    // Whatever the timing (reserved, creating, created), nothing may survive shutdown.
    for (int delay_ms : {0, 5, 50}) {
        Registry reg;
        std::exception_ptr thrown;
        std::thread creator([&] {
            try {
                reg.create_page(ns_, "BIG", VariableLayout::vector(ElementType::Float64, (256u << 20) / 8));
            } catch (...) {
                thrown = std::current_exception();
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        reg.shutdown();
        creator.join();
        EXPECT_TRUE(reg.page_list(ns_).empty()) << "delay " << delay_ms;
        EXPECT_TRUE(memshare_test::segments_of(ns_).empty()) << "delay " << delay_ms << ": "
                                                             << memshare_test::join(memshare_test::segments_of(ns_));
    }
}

}  // namespace

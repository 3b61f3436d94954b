// Segment permissions: owner-only (0600) by default whatever the umask, wider only when asked,
// and views refuse segments owned by another user unless told otherwise.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::ErrorCode;
using memshare::PageOptions;
using memshare::Registry;
using memshare::VariableLayout;
using memshare::ViewOptions;
using memshare_test::Bytes;
using memshare_test::shm_mode;

class PermissionsTest : public memshare_test::ShmTest {};

namespace {

// Restores the umask at scope exit.
struct UmaskGuard {
    explicit UmaskGuard(mode_t m) : old(umask(m)) {}
    ~UmaskGuard() { umask(old); }
    mode_t old;
};

}  // namespace

TEST_F(PermissionsTest, DefaultIsOwnerOnly0600) {
    UmaskGuard guard(0);  // even a permissive umask must not widen it
    Registry reg;
    const double d = 1;
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 1), &d);
    EXPECT_EQ(shm_mode(ns_ + ".X"), 0600);
    EXPECT_EQ(shm_mode(ns_ + ".md.X"), 0600);
    reg.release_page(ns_, "X");
}

TEST_F(PermissionsTest, UnpublishedPageIs0600Too) {
    Registry reg;
    reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 1));
    EXPECT_EQ(shm_mode(ns_ + ".X"), 0600);
    EXPECT_EQ(shm_mode(ns_ + ".md.X"), 0600);  // the owner record, in the filling state
    reg.release_page(ns_, "X");
}

TEST_F(PermissionsTest, WiderModeOnlyWhenAsked) {
    UmaskGuard guard(077);  // a strict umask must not narrow what was asked either
    Registry reg;
    const double d = 1;
    PageOptions options;
    options.mode = 0644;
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 1), &d, options);
    EXPECT_EQ(shm_mode(ns_ + ".X"), 0644);
    EXPECT_EQ(shm_mode(ns_ + ".md.X"), 0644);
    options.mode = 0640;
    reg.register_bytes(ns_, "Y", VariableLayout::vector(ElementType::Float64, 1), &d, options);
    EXPECT_EQ(shm_mode(ns_ + ".Y"), 0640);
    EXPECT_EQ(shm_mode(ns_ + ".md.Y"), 0640);
    reg.release_all(ns_);
}

TEST_F(PermissionsTest, ViewsAreStatedWithTheSegmentsOwnerUid) {
    Registry reg;
    const double d = 1;
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 1), &d);
    struct stat st;
    ASSERT_EQ(stat(("/dev/shm/" + ns_ + ".X").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, geteuid());
    EXPECT_EQ(reg.read_metadata(ns_, "X").owner->uid, static_cast<uint32_t>(geteuid()));
    reg.release_page(ns_, "X");
}

// A foreign user's segment is refused unless allowed. Needs root to chown to another uid.
TEST_F(PermissionsTest, ForeignOwnerRefusedUnlessAllowed) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to create a segment owned by another uid";
    const uid_t foreign = 4242;
    const Bytes md = memshare_test::record(1, 2, 0);  // R-written double vector of 2
    const Bytes data = memshare_test::doubles_le({3.5, 4.5});
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".md.X", md), 0);
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".X", data), 0);
    ASSERT_EQ(chown(("/dev/shm/" + ns_ + ".md.X").c_str(), foreign, foreign), 0);
    ASSERT_EQ(chown(("/dev/shm/" + ns_ + ".X").c_str(), foreign, foreign), 0);

    Registry reg;
    try {
        reg.acquire_view(ns_, "X");
        ADD_FAILURE() << "foreign segment accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::PermissionDenied) << e.what();
        EXPECT_NE(std::string(e.what()).find("4242"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(ns_), std::string::npos) << e.what();
    }
    try {
        reg.read_metadata(ns_, "X");
        ADD_FAILURE() << "foreign metadata accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::PermissionDenied) << e.what();
    }
    EXPECT_TRUE(reg.view_list().empty());

    ViewOptions allow;
    allow.allow_foreign_owner = true;
    auto view = reg.acquire_view(ns_, "X", allow);
    EXPECT_EQ(reinterpret_cast<const double*>(view.region->data())[1], 4.5);
    EXPECT_FALSE(view.metadata.owner);  // R-written: no trailer
    reg.release_view(ns_, "X");

    // Only the data segment foreign: still refused.
    ASSERT_EQ(chown(("/dev/shm/" + ns_ + ".md.X").c_str(), geteuid(), getegid()), 0);
    try {
        reg.acquire_view(ns_, "X");
        ADD_FAILURE() << "foreign data segment accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::PermissionDenied) << e.what();
        EXPECT_NE(std::string(e.what()).find(ns_ + ".X'"), std::string::npos) << e.what();
    }
    memshare_test::remove_segments_of(ns_);
}

// Views of segments this library did not write: R-written ones (must work), and corrupt or
// hostile ones made here with shm_open/ftruncate/write (must be Corrupt, never SIGBUS, and leak
// no mapping or descriptor).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_layout.hpp"
#include "test_shm.hpp"

using memshare::ArrayShape;
using memshare::ElementType;
using memshare::ErrorCode;
using memshare::Kind;
using memshare::Registry;
using memshare::VariableLayout;
using memshare_test::Bytes;
using memshare_test::concat;
using memshare_test::create_raw;
using memshare_test::doubles_le;
using memshare_test::record;

namespace {

using memshare_test::count_fds;
using memshare_test::count_mappings_of;

}  // namespace

class HostileSegmentTest : public memshare_test::ShmTest {
protected:
    // acquire_view must fail with `code`, leaving no view, mapping or descriptor behind.
    std::string expect_view_fails(const std::string& var, ErrorCode code) {
        Registry reg;
        const int fds = count_fds();
        const int maps = count_mappings_of(ns_);  // the test's own pages may be mapped
        std::string msg;
        try {
            auto v = reg.acquire_view(ns_, var);
            ADD_FAILURE() << "view accepted: " << v.metadata.layout.describe();
        } catch (const memshare::Error& e) {
            EXPECT_EQ(e.code(), code) << memshare::error_code_name(e.code()) << ": " << e.what();
            msg = e.what();
            EXPECT_NE(msg.find(ns_), std::string::npos) << msg;
            EXPECT_NE(msg.find("'" + var + "'"), std::string::npos) << msg;
        }
        EXPECT_TRUE(reg.view_list().empty());
        EXPECT_EQ(count_fds(), fds);
        EXPECT_EQ(count_mappings_of(ns_), maps);
        return msg;
    }
    void raw(const std::string& name, const Bytes& bytes) { ASSERT_EQ(create_raw(ns_ + "." + name, bytes), 0); }
    void raw(const std::string& name, const Bytes& bytes, uint64_t size) {
        ASSERT_EQ(create_raw(ns_ + "." + name, bytes, size), 0);
    }
    void TearDown() override {
        memshare_test::remove_segments_of(ns_);  // raw segments are this test's to remove
        ShmTest::TearDown();
    }
};

TEST_F(HostileSegmentTest, RWrittenMatrixVectorAndListAreReadable) {
    // registerVariables("rns", list(X = matrix(1:6, 2, 3), y = c(1.5, 2.5), L = list(X, y)))
    raw("md.X", record(0, 2, 3));
    raw("X", doubles_le({1, 2, 3, 4, 5, 6}));
    raw("md.y", record(1, 2, 0));
    raw("y", doubles_le({1.5, 2.5}));
    raw("md.L", concat({record(2, 2, 8), record(0, 2, 3), record(1, 2, 0)}));
    raw("L", concat({Bytes{0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0}, doubles_le({1, 2, 3, 4, 5, 6, 1.5, 2.5})}));

    Registry reg;
    auto x = reg.acquire_view(ns_, "X");
    EXPECT_TRUE(memshare_test::LayoutEq(x.metadata.layout, VariableLayout::matrix(ElementType::Float64, 2, 3)));
    EXPECT_FALSE(x.metadata.owner);
    const double* xd = reinterpret_cast<const double*>(x.region->data());
    EXPECT_EQ(xd[0], 1);
    EXPECT_EQ(xd[2 * 2 + 1], 6);  // X[2, 3], column-major
    auto y = reg.acquire_view(ns_, "y");
    EXPECT_EQ(reinterpret_cast<const double*>(y.region->data())[1], 2.5);
    auto l = reg.acquire_view(ns_, "L");
    ASSERT_EQ(l.metadata.layout.elements.size(), 2u);
    const auto off = l.metadata.layout.element_byte_offsets();
    EXPECT_EQ(reinterpret_cast<const double*>(l.region->data() + off[1])[0], 1.5);
    EXPECT_EQ(reg.release_all(), 3u);
    // Releasing views never removes someone else's segments.
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 6u);
}

TEST_F(HostileSegmentTest, TruncatedDataSegmentIsCorruptNotSigbus) {
    raw("md.X", record(1, 1000, 0));  // claims 8000 bytes
    raw("X", doubles_le({1, 2, 3}), 100);
    const std::string msg = expect_view_fails("X", ErrorCode::Corrupt);
    EXPECT_NE(msg.find("100"), std::string::npos) << msg;
    EXPECT_NE(msg.find("8000"), std::string::npos) << msg;
}

TEST_F(HostileSegmentTest, EmptyDataSegmentIsCorrupt) {
    raw("md.X", record(0, 100, 100));
    raw("X", Bytes{});
    expect_view_fails("X", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, OversizedDataSegmentIsCorruptOnLinux) {
    if (memshare::segment_sizes_are_rounded())
        GTEST_SKIP() << "segment sizes are rounded up to pages here (macOS, portable flavour): a longer one is legitimate";
    raw("md.X", record(1, 2, 0));
    raw("X", doubles_le({1, 2, 3}));
    expect_view_fails("X", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, OwnPageTruncatedByAnotherProcessIsCorrupt) {
    Registry owner;
    std::vector<double> v(4096, 1.0);
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, v.size()), v.data());
    const int fd = shm_open(("/" + ns_ + ".X").c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, 4096), 0);
    close(fd);
    expect_view_fails("X", ErrorCode::Corrupt);
    owner.release_page(ns_, "X");
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

TEST_F(HostileSegmentTest, AbsurdDimensionsAreCorrupt) {
    raw("md.X", record(0, uint64_t{1} << 40, uint64_t{1} << 40));
    raw("X", doubles_le({1}));
    expect_view_fails("X", ErrorCode::Corrupt);
    raw("md.Y", record(1, uint64_t{1} << 62, 0));
    raw("Y", doubles_le({1}));
    expect_view_fails("Y", ErrorCode::Corrupt);
    // Large but representable: 2^40 doubles against an 8-byte segment.
    raw("md.Z", record(1, uint64_t{1} << 40, 0));
    raw("Z", doubles_le({1}));
    expect_view_fails("Z", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, EmptyOrShortMetadataIsCorrupt) {
    raw("md.X", Bytes{});
    raw("X", doubles_le({1}));
    expect_view_fails("X", ErrorCode::Corrupt);
    raw("md.Y", Bytes{1, 0, 0, 0});
    raw("Y", doubles_le({1}));
    expect_view_fails("Y", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, HugeMetadataSegmentIsCorruptWithoutReadingIt) {
    // Sparse: costs no memory, but a reader that mapped and copied it all would.
    raw("md.X", record(1, 1, 0), (uint64_t{1} << 30) + 1);
    raw("X", doubles_le({1}));
    expect_view_fails("X", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, GarbageMetadataIsCorrupt) {
    Bytes junk(64);
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<uint8_t>(0x9e + 31 * i);
    raw("md.X", junk);
    raw("X", doubles_le({1}));
    expect_view_fails("X", ErrorCode::Corrupt);
    raw("md.Y", concat({record(2, 1000000, 0), record(1, 1, 0)}));
    raw("Y", doubles_le({1}));
    expect_view_fails("Y", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, ListWithBadOffsetTableIsCorrupt) {
    raw("md.L", concat({record(2, 2, 8), record(0, 2, 3), record(1, 2, 0)}));
    // Second offset points past the end of the data.
    raw("L", concat({Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0}, doubles_le({1, 2, 3, 4, 5, 6, 7, 8})}));
    expect_view_fails("L", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, ListDataTooShortForOffsetTableIsCorrupt) {
    raw("md.L", concat({record(2, 2, 8), record(0, 2, 3), record(1, 2, 0)}));
    raw("L", Bytes{0, 0, 0, 0, 0, 0, 0, 0});
    expect_view_fails("L", ErrorCode::Corrupt);
}

TEST_F(HostileSegmentTest, MetadataWithoutDataIsNotFound) {
    raw("md.X", record(1, 1, 0));
    expect_view_fails("X", ErrorCode::NotFound);
}

TEST_F(HostileSegmentTest, ReadMetadataOfCorruptSegmentIsCorrupt) {
    raw("md.X", record(7, 1, 0));
    Registry reg;
    try {
        reg.read_metadata(ns_, "X");
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Corrupt) << e.what();
        EXPECT_NE(std::string(e.what()).find("unknown type code 7"), std::string::npos) << e.what();
    }
}

TEST_F(HostileSegmentTest, NameTakenByForeignSegmentIsAlreadyExists) {
    // Someone else's (R's) segment holds the name: registering must not overwrite or remove it.
    raw("md.X", record(1, 1, 0));
    raw("X", doubles_le({5}));
    Registry reg;
    try {
        reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 1));
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists) << e.what();
    }
    EXPECT_EQ(memshare_test::read_shm(ns_ + ".X"), doubles_le({5}));
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 2u);
    // Data segment free but metadata name taken: the page is refused before anything is created.
    raw("md.Y", record(1, 1, 0));
    try {
        reg.create_page(ns_, "Y", VariableLayout::vector(ElementType::Float64, 1));
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists) << e.what();
    }
    EXPECT_TRUE(reg.page_list(ns_).empty());
    EXPECT_EQ(memshare_test::read_shm(ns_ + ".md.Y"), record(1, 1, 0));
    EXPECT_EQ(memshare_test::shm_mode(ns_ + ".Y"), -1);
    // Metadata name free but data name taken (R half way through registering, or a leftover):
    // refused with a message that says so, the foreign data untouched, our claim taken back.
    raw("Z", doubles_le({7}));
    try {
        reg.create_page(ns_, "Z", VariableLayout::vector(ElementType::Float64, 1));
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists) << e.what();
        EXPECT_NE(std::string(e.what()).find("exists without metadata"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(reg.page_list(ns_).empty());
    EXPECT_EQ(memshare_test::read_shm(ns_ + ".Z"), doubles_le({7}));
    EXPECT_EQ(memshare_test::shm_mode(ns_ + ".md.Z"), -1);
}

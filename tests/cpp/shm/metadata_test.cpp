// Metadata codec: round trips for every element type and container, byte-exact R records
// (docs/FORMAT.md, written out by hand here), the trailer layout (metadata.hpp), and decoding of
// R-written segments that have no trailer.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/metadata.hpp"
#include "test_bytes.hpp"
#include "test_layout.hpp"

using memshare::ArrayShape;
using memshare::ElementType;
using memshare::Kind;
using memshare::Metadata;
using memshare::OwnerInfo;
using memshare::VariableLayout;
using memshare_test::Bytes;
using memshare_test::kAllTypes;
using memshare_test::LayoutEq;

namespace {

std::vector<VariableLayout> all_containers(ElementType t) {
    return {
        VariableLayout::vector(t, 5),
        VariableLayout::vector(t, 0),
        VariableLayout::vector(t, 1),
        VariableLayout::matrix(t, 2, 3),
        VariableLayout::matrix(t, 0, 4),
        VariableLayout::matrix(t, 1000, 1),
        VariableLayout::list(t, {}),
        VariableLayout::list(t, {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1}}),
        VariableLayout::list(t, {ArrayShape{Kind::Vector, 0, 1}}),
        VariableLayout::list(t, {ArrayShape{Kind::Vector, 4, 1}, ArrayShape{Kind::Vector, 0, 1},
                                 ArrayShape{Kind::Matrix, 3, 0}, ArrayShape{Kind::Matrix, 5, 7}}),
    };
}

Metadata decode(const Bytes& b) { return memshare::decode_metadata(b.data(), b.size()); }

std::size_t record_count(const VariableLayout& l) { return l.kind == Kind::List ? l.elements.size() + 1 : 1; }

}  // namespace

TEST(Metadata, RoundTripEveryTypeAndContainer) {
    const OwnerInfo owner{987654, 0x0123456789abcdefull, 4000000000u};
    for (ElementType t : kAllTypes) {
        for (const auto& layout : all_containers(t)) {
            SCOPED_TRACE(layout.describe());
            const Bytes bytes = memshare::encode_metadata(layout, owner);
            EXPECT_EQ(bytes.size(), record_count(layout) * 24 + 48);
            const Metadata md = decode(bytes);
            EXPECT_TRUE(LayoutEq(md.layout, layout));
            ASSERT_TRUE(md.owner.has_value());
            EXPECT_EQ(md.owner->pid, owner.pid);
            EXPECT_EQ(md.owner->start_time, owner.start_time);
            EXPECT_EQ(md.owner->uid, owner.uid);
            EXPECT_EQ(md.format_version, 1);
            EXPECT_EQ(md.layout.data_bytes(), layout.data_bytes());
        }
    }
}

TEST(Metadata, OwnerExtremesRoundTrip) {
    const OwnerInfo owner{INT64_MAX, UINT64_MAX, UINT32_MAX};
    const Metadata md = decode(memshare::encode_metadata(VariableLayout::vector(ElementType::Int8, 1), owner));
    ASSERT_TRUE(md.owner);
    EXPECT_EQ(md.owner->pid, INT64_MAX);
    EXPECT_EQ(md.owner->start_time, UINT64_MAX);
    EXPECT_EQ(md.owner->uid, UINT32_MAX);
}

TEST(Metadata, RRecordsMatrix2x3ByteExact) {
    const Bytes expected = {
        0x00, 0x00, 0x00, 0x00,                          // int32 type 0 = MATRIX
        0x00, 0x00, 0x00, 0x00,                          // padding
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // nrow 2
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ncol 3
    };
    EXPECT_EQ(memshare::encode_r_records(VariableLayout::matrix(ElementType::Float64, 2, 3)), expected);
}

TEST(Metadata, RRecordsVector2ByteExact) {
    const Bytes expected = {
        0x01, 0x00, 0x00, 0x00,                          // int32 type 1 = VECTOR
        0x00, 0x00, 0x00, 0x00,                          // padding
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // n 2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 0
    };
    EXPECT_EQ(memshare::encode_r_records(VariableLayout::vector(ElementType::Float64, 2)), expected);
}

TEST(Metadata, RRecordsListOfTwoByteExact) {
    // list(matrix 2x3, c(a, b)): LIST record (2 elements, 8 doubles), then one record each.
    const Bytes expected = {
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // type 2 = LIST, padding
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 2 elements
        0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 8 doubles in all
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // MATRIX, padding
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // nrow 2
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ncol 3
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // VECTOR, padding
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // n 2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 0
    };
    const auto l = VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1}});
    EXPECT_EQ(memshare::encode_r_records(l), expected);
}

TEST(Metadata, RRecordsLargeDimensionsLittleEndian) {
    const Bytes expected = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 10,000
        0x55, 0x4c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 19,541 = 0x4c55
    };
    EXPECT_EQ(memshare::encode_r_records(VariableLayout::matrix(ElementType::Float64, 10000, 19541)), expected);
}

TEST(Metadata, EncodedMetadataIsRRecordsThenTrailer) {
    const OwnerInfo owner{0x01020304, 0x1122334455667788ull, 1000};
    const Bytes got = memshare::encode_metadata(VariableLayout::vector(ElementType::Float32, 3), owner);
    Bytes expected = {
        0x01, 0x01, 0x00, 0x00,                          // type = VECTOR | float32 << 8 = 0x101
        0x00, 0x00, 0x00, 0x00,                          // padding
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // n 3
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 0
        'M', 'E', 'M', 'S', 'H', 'R', 'J', '1',          // magic
        0x01, 0x00,                                      // format version 1
        0x30, 0x00,                                      // trailer size 48
        0x01,                                            // element type float32
        0x01,                                            // kind vector
        0x00, 0x00,                                      // reserved
        0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,  // pid
        0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,  // start time
        0xe8, 0x03, 0x00, 0x00,                          // uid 1000
        0x00, 0x00, 0x00, 0x00,                          // reserved
    };
    ASSERT_EQ(got.size(), expected.size() + 8);
    EXPECT_EQ(Bytes(got.begin(), got.end() - 8), expected);
    // The last 8 bytes: FNV-1a 64 of everything before them.
    EXPECT_EQ(memshare_test::read_le(&got[expected.size()], 8),
              memshare_test::ref_fnv1a64(expected.data(), expected.size()))
        << "checksum field is not FNV-1a 64 of the preceding bytes";
}

TEST(Metadata, DoubleDataKeepsRCodesAndRecords) {
    // With a trailer appended, the first bytes are still exactly what R writes.
    for (const auto& layout : all_containers(ElementType::Float64)) {
        SCOPED_TRACE(layout.describe());
        const Bytes r = memshare::encode_r_records(layout);
        const Bytes full = memshare::encode_metadata(layout, OwnerInfo{1, 2, 3});
        ASSERT_EQ(full.size(), r.size() + 48);
        EXPECT_TRUE(std::equal(r.begin(), r.end(), full.begin()));
        for (std::size_t i = 0; i < record_count(layout); ++i) {
            const int32_t code = static_cast<int32_t>(memshare_test::read_le(&r[24 * i], 4));
            EXPECT_TRUE(code == 0 || code == 1 || code == 2) << "record " << i << " code " << code;
        }
    }
}

TEST(Metadata, NonDoubleTypesNeverUseRCodes) {
    for (ElementType t : kAllTypes) {
        if (t == ElementType::Float64) continue;
        for (const auto& layout : all_containers(t)) {
            SCOPED_TRACE(layout.describe());
            const Bytes bytes = memshare::encode_metadata(layout, OwnerInfo{});
            for (std::size_t i = 0; i < record_count(layout); ++i) {
                const int32_t code = static_cast<int32_t>(memshare_test::read_le(&bytes[24 * i], 4));
                EXPECT_NE(code, 0) << "record " << i;
                EXPECT_NE(code, 1) << "record " << i;
                EXPECT_NE(code, 2) << "record " << i;
                // kind | type << 8, as documented.
                const Kind kind = i == 0 ? layout.kind
                                         : layout.elements[i - 1].kind;
                EXPECT_EQ(code, static_cast<int32_t>(kind) | (static_cast<int32_t>(t) << 8)) << "record " << i;
                EXPECT_EQ(memshare_test::read_le(&bytes[24 * i + 4], 4), 0u) << "padding of record " << i;
            }
        }
    }
}

TEST(Metadata, RWrittenMatrixWithoutTrailerDecodesAsDouble) {
    const Bytes r = memshare_test::record(0, 2, 3);
    const Metadata md = decode(r);
    EXPECT_TRUE(LayoutEq(md.layout, VariableLayout::matrix(ElementType::Float64, 2, 3)));
    EXPECT_FALSE(md.owner.has_value());
    EXPECT_EQ(md.format_version, 0);
}

TEST(Metadata, RWrittenVectorAndListWithoutTrailer) {
    Metadata md = decode(memshare_test::record(1, 2, 0));
    EXPECT_TRUE(LayoutEq(md.layout, VariableLayout::vector(ElementType::Float64, 2)));
    EXPECT_FALSE(md.owner);

    md = decode(memshare_test::concat(
        {memshare_test::record(2, 2, 8), memshare_test::record(0, 2, 3), memshare_test::record(1, 2, 0)}));
    EXPECT_TRUE(LayoutEq(md.layout, VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Matrix, 2, 3},
                                                                                ArrayShape{Kind::Vector, 2, 1}})));
    EXPECT_FALSE(md.owner);
    EXPECT_EQ(md.layout.data_bytes(), 80u);
}

TEST(Metadata, PageRoundingZerosAreAccepted) {
    // macOS/Windows report segment sizes rounded to pages: zero bytes after the records or the
    // trailer are not an error.
    Bytes r = memshare_test::record(1, 2, 0);
    r.resize(4096, 0);
    EXPECT_FALSE(decode(r).owner);

    Bytes ours = memshare::encode_metadata(VariableLayout::matrix(ElementType::Int32, 4, 5), OwnerInfo{7, 8, 9});
    ours.resize(16384, 0);
    const Metadata md = decode(ours);
    ASSERT_TRUE(md.owner);
    EXPECT_EQ(md.owner->pid, 7);
    EXPECT_TRUE(LayoutEq(md.layout, VariableLayout::matrix(ElementType::Int32, 4, 5)));
}

TEST(Metadata, DecodesHandWrittenTrailer) {
    const Bytes b = memshare_test::with_trailer(memshare_test::record(0x0300, 3, 4),
                                                {1, 48, /*type int32*/ 3, /*kind matrix*/ 0, 42, 43, 44});
    const Metadata md = decode(b);
    EXPECT_TRUE(LayoutEq(md.layout, VariableLayout::matrix(ElementType::Int32, 3, 4)));
    ASSERT_TRUE(md.owner);
    EXPECT_EQ(md.owner->pid, 42);
    EXPECT_EQ(md.owner->start_time, 43u);
    EXPECT_EQ(md.owner->uid, 44u);
}

TEST(Metadata, Fnv1a64KnownVectors) {
    const std::string foobar = "foobar", a = "a";
    EXPECT_EQ(memshare::fnv1a64(nullptr, 0), 0xcbf29ce484222325ull);
    EXPECT_EQ(memshare::fnv1a64(reinterpret_cast<const uint8_t*>(a.data()), a.size()), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(memshare::fnv1a64(reinterpret_cast<const uint8_t*>(foobar.data()), foobar.size()), 0x85944171f73967e8ull);
}

TEST(Metadata, EncodeRefusesOverflowingLayout) {
    try {
        memshare::encode_metadata(VariableLayout::vector(ElementType::Float64, uint64_t{1} << 62), OwnerInfo{});
        FAIL() << "no error";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), memshare::ErrorCode::Corrupt);
    }
}

// A list element that claims to be a vector but has ncol != 1 is counted as nrow*ncol values by
// the layout, but written as a VECTOR record of nrow values: the encoder then produces metadata
// the decoder rejects (list total mismatch) and a data segment larger than a view expects.
// Either the layout must refuse it (InvalidArgument) or encoding must round-trip.
TEST(Metadata, ListVectorElementWithColumnsIsRefusedOrRoundTrips) {
    const std::vector<ArrayShape> elements = {ArrayShape{Kind::Vector, 3, 2}};
    VariableLayout layout;
    try {
        layout = VariableLayout::list(ElementType::Float64, elements);
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), memshare::ErrorCode::InvalidArgument) << e.what();
        return;
    }
    Bytes bytes;
    try {
        bytes = memshare::encode_metadata(layout, OwnerInfo{1, 2, 3});
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), memshare::ErrorCode::InvalidArgument) << e.what();
        return;
    }
    try {
        const Metadata md = decode(bytes);
        EXPECT_EQ(md.layout.data_bytes(), layout.data_bytes());
    } catch (const memshare::Error& e) {
        ADD_FAILURE() << "encode_metadata accepted " << layout.describe()
                      << " but decode_metadata rejects its own output: " << e.what();
    }
}

// Corrupt or hostile metadata and data: every case must be a memshare::Error with code Corrupt,
// never a crash, an overflow or a read outside the given bytes. Inputs are built by hand.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/metadata.hpp"
#include "test_bytes.hpp"

using memshare::ArrayShape;
using memshare::ElementType;
using memshare::ErrorCode;
using memshare::Kind;
using memshare::Metadata;
using memshare::OwnerInfo;
using memshare::VariableLayout;
using memshare_test::Bytes;
using memshare_test::concat;
using memshare_test::record;

namespace {

// Decodes from an exactly-sized heap copy (so ASan/valgrind would catch an over-read) and
// returns the Corrupt message, or fails the test.
std::string corrupt_message(const Bytes& b) {
    std::unique_ptr<uint8_t[]> copy(new uint8_t[b.size() ? b.size() : 1]);
    if (!b.empty()) std::memcpy(copy.get(), b.data(), b.size());
    try {
        const Metadata md = memshare::decode_metadata(copy.get(), b.size());
        ADD_FAILURE() << "accepted as " << md.layout.describe();
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Corrupt) << e.what();
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a memshare::Error: " << e.what();
    }
    return "";
}

#define EXPECT_CORRUPT(bytes, fragment)                                                              \
    do {                                                                                             \
        const std::string msg_ = corrupt_message(bytes);                                             \
        EXPECT_NE(msg_.find(fragment), std::string::npos) << "message: " << msg_;                    \
    } while (0)

constexpr uint64_t k62 = uint64_t{1} << 62;

}  // namespace

TEST(CorruptMetadata, EmptyAndShorterThanOneRecord) {
    EXPECT_CORRUPT(Bytes{}, "0 bytes");
    for (std::size_t n : {1, 8, 16, 23}) {
        Bytes b = record(1, 2, 0);
        b.resize(n);
        EXPECT_CORRUPT(b, std::to_string(n) + " bytes");
    }
}

TEST(CorruptMetadata, MatrixDimensionsOverflow) {
    EXPECT_CORRUPT(record(0, uint64_t{1} << 33, uint64_t{1} << 33), "overflow");
    // A dimension beyond 2^63 is refused before any arithmetic (Java indexes are signed).
    EXPECT_CORRUPT(record(0, UINT64_MAX, 2), "2^63");
}

TEST(CorruptMetadata, ByteSizeOverflow) {
    // 2^62 doubles: the element count fits in 64 bits, the byte count does not.
    EXPECT_CORRUPT(record(1, k62, 0), "overflow");
    EXPECT_CORRUPT(record(0, uint64_t{1} << 31, uint64_t{1} << 31), "overflow");
    // int64 matrix with a trailer: same check.
    EXPECT_CORRUPT(memshare_test::with_trailer(record(0x0200, uint64_t{1} << 31, uint64_t{1} << 31), {1, 48, 2, 0}),
                   "overflow");
}

TEST(CorruptMetadata, ListClaimsMoreElementsThanRecords) {
    EXPECT_CORRUPT(record(2, k62, 0), "elements");
    EXPECT_CORRUPT(record(2, UINT64_MAX, 0), "elements");
    EXPECT_CORRUPT(concat({record(2, 2, 3), record(1, 3, 0)}), "elements");
    // 2^62 claimed elements with one element record present.
    EXPECT_CORRUPT(concat({record(2, k62, 1), record(1, 1, 0)}), "elements");
}

TEST(CorruptMetadata, ListTotalMismatch) {
    EXPECT_CORRUPT(concat({record(2, 2, 9), record(0, 2, 3), record(1, 2, 0)}), "9");
    EXPECT_CORRUPT(concat({record(2, 1, 0), record(1, 5, 0)}), "values");
    EXPECT_CORRUPT(record(2, 0, 5), "values");  // empty list claiming values
    // Element lengths whose sum overflows.
    // Element lengths that add up honestly but whose byte size overflows.
    EXPECT_CORRUPT(concat({record(2, 2, uint64_t{1} << 63), record(1, uint64_t{1} << 62, 0), record(1, uint64_t{1} << 62, 0)}),
                   "overflow");
    // Single dimensions beyond 2^63 are refused as such.
    EXPECT_CORRUPT(concat({record(2, 2, 0), record(1, uint64_t{1} << 63, 0), record(1, uint64_t{1} << 63, 0)}),
                   "2^63");
}

TEST(CorruptMetadata, UnknownTypeCodes) {
    for (int32_t code : {3, 7, 255, -1, 0x0503, 0x0500, 0x0103, 0x10000, 0x7fffffff, INT32_MIN}) {
        SCOPED_TRACE(code);
        EXPECT_CORRUPT(record(code, 1, 0), "unknown type code");
    }
    // Explicit float64 (type 0) in the high bits with a kind outside 0..2.
    EXPECT_CORRUPT(record(0x0004, 1, 0), "unknown type code");
    // Unknown code in an element record.
    EXPECT_CORRUPT(concat({record(2, 1, 1), record(7, 1, 0)}), "record 1");
}

TEST(CorruptMetadata, NestedList) {
    EXPECT_CORRUPT(concat({record(2, 1, 0), record(2, 0, 0)}), "nested");
    EXPECT_CORRUPT(concat({record(2, 2, 1), record(1, 1, 0), record(2, 0, 0)}), "nested");
}

TEST(CorruptMetadata, ListElementTypeDisagrees) {
    // float32 list holding an int32 vector.
    EXPECT_CORRUPT(memshare_test::with_trailer(concat({record(0x0102, 1, 2), record(0x0301, 2, 0)}), {1, 48, 1, 2}),
                   "int32");
    // double list (R code 2) holding a float32 vector.
    EXPECT_CORRUPT(concat({record(2, 1, 2), record(0x0101, 2, 0)}), "float32");
}

TEST(CorruptMetadata, NonDoubleWithoutTrailer) {
    for (int32_t code : {0x0100, 0x0101, 0x0201, 0x0301, 0x0401}) {
        SCOPED_TRACE(code);
        EXPECT_CORRUPT(record(code, 2, code & 0xff ? 0 : 2), "trailer");
    }
    EXPECT_CORRUPT(concat({record(0x0402, 1, 3), record(0x0401, 3, 0)}), "trailer");
}

TEST(CorruptMetadata, EverySingleByteFlipIsDetected) {
    const std::vector<VariableLayout> layouts = {
        VariableLayout::matrix(ElementType::Float64, 2, 3),
        VariableLayout::list(ElementType::Int32, {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1}}),
    };
    for (const auto& layout : layouts) {
        const Bytes good = memshare::encode_metadata(layout, OwnerInfo{1234, 5678, 1000});
        ASSERT_NO_THROW(memshare::decode_metadata(good.data(), good.size()));
        for (std::size_t i = 0; i < good.size(); ++i) {
            for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
                Bytes bad = good;
                bad[i] ^= mask;
                SCOPED_TRACE(layout.describe() + ", byte " + std::to_string(i) + " ^ " + std::to_string(mask));
                if (i == memshare::kStateByteOffset && mask == 0x01) {
                    // The publish state byte is outside the checksum (the owner flips it in place):
                    // damage there can only make a variable unpublished, which views refuse.
                    EXPECT_EQ(memshare::decode_metadata(bad.data(), bad.size()).state, memshare::PublishState::Filling);
                    continue;
                }
                corrupt_message(bad);
            }
        }
    }
}

TEST(CorruptMetadata, BadChecksumNamed) {
    Bytes b = memshare::encode_metadata(VariableLayout::vector(ElementType::Int64, 9), OwnerInfo{1, 2, 3});
    b[24 + 16] ^= 0x01;  // owner pid, covered by the checksum only
    EXPECT_CORRUPT(b, "checksum");
}

TEST(CorruptMetadata, TruncatedTrailer) {
    const Bytes good = memshare::encode_metadata(VariableLayout::vector(ElementType::Int8, 4), OwnerInfo{1, 2, 3});
    for (std::size_t cut = 1; cut < 48; ++cut) {
        SCOPED_TRACE(cut);
        Bytes b(good.begin(), good.end() - cut);
        corrupt_message(b);
    }
    Bytes b(good.begin(), good.end() - 8);
    EXPECT_CORRUPT(b, "truncated");
}

TEST(CorruptMetadata, TruncatedTrailerOnDoubleData) {
    // Double data: cutting the whole trailer leaves a valid R segment; cutting part of it must not.
    const Bytes good = memshare::encode_metadata(VariableLayout::vector(ElementType::Float64, 4), OwnerInfo{1, 2, 3});
    for (std::size_t cut = 1; cut < 48; ++cut) {
        SCOPED_TRACE(cut);
        corrupt_message(Bytes(good.begin(), good.end() - cut));
    }
    EXPECT_NO_THROW(memshare::decode_metadata(good.data(), 24));
}

TEST(CorruptMetadata, UnsupportedTrailerVersion) {
    for (uint16_t version : {0, 2, 0xffff}) {
        const Bytes b = memshare_test::with_trailer(record(1, 2, 0), {version, 48, 0, 1});
        EXPECT_CORRUPT(b, "version " + std::to_string(version));
    }
}

TEST(CorruptMetadata, WrongTrailerSizeField) {
    EXPECT_CORRUPT(memshare_test::with_trailer(record(1, 2, 0), {1, 40, 0, 1}), "trailer size");
}

TEST(CorruptMetadata, TrailerDisagreesWithRecords) {
    // Records say float64 vector; trailer says int32 (checksum valid).
    EXPECT_CORRUPT(memshare_test::with_trailer(record(1, 2, 0), {1, 48, 3, 1}), "trailer says");
    // Records say float64 vector; trailer says matrix.
    EXPECT_CORRUPT(memshare_test::with_trailer(record(1, 2, 0), {1, 48, 0, 0}), "trailer says");
    // Records say int32 matrix; trailer says float64.
    EXPECT_CORRUPT(memshare_test::with_trailer(record(0x0300, 2, 2), {1, 48, 0, 0}), "trailer says");
    // Element type code out of range in the trailer.
    EXPECT_CORRUPT(memshare_test::with_trailer(record(1, 2, 0), {1, 48, 9, 1}), "trailer says");
    // Patch a real encoding and re-seal it.
    Bytes b = memshare::encode_metadata(VariableLayout::vector(ElementType::Float32, 2), OwnerInfo{1, 2, 3});
    b[24 + 12] = 2;  // int64
    memshare_test::reseal(b, 24);
    EXPECT_CORRUPT(b, "trailer says");
}

TEST(CorruptMetadata, GarbageAfterRecords) {
    Bytes b = concat({record(1, 2, 0), Bytes{'x', 'y', 'z'}});
    EXPECT_CORRUPT(b, "unrecognised");
    b = concat({record(1, 2, 0), Bytes(100, 0), Bytes{1}});
    EXPECT_CORRUPT(b, "unrecognised");
    // A trailer that does not start right after the records is not a trailer.
    b = concat({record(1, 2, 0), Bytes{0}, memshare_test::with_trailer(Bytes{}, {1, 48, 0, 1})});
    corrupt_message(b);
    // Bytes that only resemble the magic.
    b = concat({record(1, 2, 0), Bytes{'M', 'E', 'M', 'S', 'H', 'R', 'J', '2'}, Bytes(40, 0)});
    EXPECT_CORRUPT(b, "unrecognised");
}

// After a valid trailer only zero bytes (page rounding) are legitimate; anything else is a
// segment that is not what we wrote, and it is not covered by the checksum.
TEST(CorruptMetadata, GarbageAfterTrailer) {
    Bytes b = memshare::encode_metadata(VariableLayout::vector(ElementType::Float64, 2), OwnerInfo{1, 2, 3});
    b.push_back(0xab);
    corrupt_message(b);
    b = memshare::encode_metadata(VariableLayout::vector(ElementType::Int32, 2), OwnerInfo{1, 2, 3});
    b.resize(b.size() + 100, 0);
    b.back() = 1;
    corrupt_message(b);
}

TEST(CorruptData, CheckDataSizeExactOnLinux) {
    Metadata md;
    md.layout = VariableLayout::matrix(ElementType::Float64, 2, 3);  // 48 bytes
    EXPECT_NO_THROW(memshare::check_data_size(md, 48, false));
    for (uint64_t wrong : {uint64_t{0}, uint64_t{8}, uint64_t{47}, uint64_t{49}, uint64_t{4096}, UINT64_MAX}) {
        SCOPED_TRACE(wrong);
        try {
            memshare::check_data_size(md, wrong, false);
            ADD_FAILURE() << "accepted";
        } catch (const memshare::Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::Corrupt);
            EXPECT_NE(std::string(e.what()).find(std::to_string(wrong)), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("48"), std::string::npos) << e.what();
        }
    }
}

TEST(CorruptData, CheckDataSizeRounded) {
    Metadata md;
    md.layout = VariableLayout::vector(ElementType::Int32, 5);  // 20 bytes
    EXPECT_NO_THROW(memshare::check_data_size(md, 20, true));
    EXPECT_NO_THROW(memshare::check_data_size(md, 4096, true));
    for (uint64_t short_size : {0, 4, 19}) {
        try {
            memshare::check_data_size(md, short_size, true);
            ADD_FAILURE() << "accepted truncated size " << short_size;
        } catch (const memshare::Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::Corrupt);
        }
    }
}

TEST(CorruptData, CheckDataSizeOfAbsurdLayoutIsCorrupt) {
    Metadata md;
    md.layout = VariableLayout::vector(ElementType::Float64, k62);
    try {
        memshare::check_data_size(md, 4096, true);
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Corrupt);
    }
}

namespace {

Metadata list_md() {
    Metadata md;
    md.layout = VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1},
                                                            ArrayShape{Kind::Vector, 1, 1}});
    return md;
}

// Offsets table followed by room for the values (data_bytes() in all).
Bytes list_data(std::initializer_list<uint64_t> offsets) {
    Bytes b;
    for (uint64_t o : offsets) memshare_test::append_le(b, o, 8);
    b.resize(list_md().layout.data_bytes(), 0);
    return b;
}

void expect_offsets_corrupt(const Bytes& data) {
    try {
        memshare::check_list_offsets(list_md(), data.data());
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Corrupt) << e.what();
    }
}

}  // namespace

TEST(CorruptData, ListOffsetsCumulativeInValues) {
    EXPECT_NO_THROW(memshare::check_list_offsets(list_md(), list_data({0, 6, 8}).data()));
}

TEST(CorruptData, ListOffsetsOutsideOrNotCumulative) {
    expect_offsets_corrupt(list_data({0, 6, 1u << 20}));          // points far outside the data
    expect_offsets_corrupt(list_data({0, UINT64_MAX, 8}));         // absurd
    expect_offsets_corrupt(list_data({0, 6, 9}));                  // one past the last element's start
    expect_offsets_corrupt(list_data({1, 7, 9}));                  // shifted
    expect_offsets_corrupt(list_data({0, 48, 64}));                // bytes, not values
    expect_offsets_corrupt(list_data({0, 2, 8}));                  // overlapping elements
    expect_offsets_corrupt(list_data({24, 72, 88}));               // counted from the segment start
}

TEST(CorruptData, ListOffsetsOfNonListIgnored) {
    Metadata md;
    md.layout = VariableLayout::vector(ElementType::Float64, 1);
    const uint64_t junk = 0xffffffffffffffffull;
    EXPECT_NO_THROW(memshare::check_list_offsets(md, reinterpret_cast<const uint8_t*>(&junk)));
}

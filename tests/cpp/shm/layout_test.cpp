// Variable layouts: element sizes, exact data segment sizes (R's list layout: n uint64 offsets,
// then the packed values), overflow detection, descriptions.
#include <gtest/gtest.h>

#include <cstdint>

#include "memshare/error.hpp"
#include "memshare/layout.hpp"

using memshare::ArrayShape;
using memshare::ElementType;
using memshare::Error;
using memshare::ErrorCode;
using memshare::Kind;
using memshare::VariableLayout;

namespace {

template <typename F>
ErrorCode code_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "no Error thrown";
    return ErrorCode::Io;
}

}  // namespace

TEST(Layout, ElementSizesAndNames) {
    EXPECT_EQ(memshare::element_size(ElementType::Float64), 8u);
    EXPECT_EQ(memshare::element_size(ElementType::Float32), 4u);
    EXPECT_EQ(memshare::element_size(ElementType::Int64), 8u);
    EXPECT_EQ(memshare::element_size(ElementType::Int32), 4u);
    EXPECT_EQ(memshare::element_size(ElementType::Int8), 1u);
    EXPECT_STREQ(memshare::element_type_name(ElementType::Float64), "float64");
    EXPECT_STREQ(memshare::element_type_name(ElementType::Float32), "float32");
    EXPECT_STREQ(memshare::element_type_name(ElementType::Int64), "int64");
    EXPECT_STREQ(memshare::element_type_name(ElementType::Int32), "int32");
    EXPECT_STREQ(memshare::element_type_name(ElementType::Int8), "int8");
    EXPECT_STREQ(memshare::kind_name(Kind::Matrix), "matrix");
    EXPECT_STREQ(memshare::kind_name(Kind::Vector), "vector");
    EXPECT_STREQ(memshare::kind_name(Kind::List), "list");
}

TEST(Layout, ElementTypeCodesAreTheFormatCodes) {
    EXPECT_EQ(memshare::element_type_from_code(0), ElementType::Float64);
    EXPECT_EQ(memshare::element_type_from_code(1), ElementType::Float32);
    EXPECT_EQ(memshare::element_type_from_code(2), ElementType::Int64);
    EXPECT_EQ(memshare::element_type_from_code(3), ElementType::Int32);
    EXPECT_EQ(memshare::element_type_from_code(4), ElementType::Int8);
    EXPECT_EQ(code_of([] { memshare::element_type_from_code(5); }), ErrorCode::InvalidArgument);
    EXPECT_EQ(code_of([] { memshare::element_type_from_code(-1); }), ErrorCode::InvalidArgument);
}

TEST(Layout, VectorAndMatrixSizes) {
    EXPECT_EQ(VariableLayout::vector(ElementType::Float64, 2).data_bytes(), 16u);
    EXPECT_EQ(VariableLayout::vector(ElementType::Int8, 3).data_bytes(), 3u);
    EXPECT_EQ(VariableLayout::vector(ElementType::Float32, 0).data_bytes(), 0u);
    EXPECT_EQ(VariableLayout::matrix(ElementType::Float64, 2, 3).data_bytes(), 48u);
    EXPECT_EQ(VariableLayout::matrix(ElementType::Int32, 10000, 20000).data_bytes(), 800000000u);
    EXPECT_EQ(VariableLayout::matrix(ElementType::Int64, 0, 5).element_count(), 0u);
    const auto m = VariableLayout::matrix(ElementType::Float64, 2, 3);
    EXPECT_EQ(m.kind, Kind::Matrix);
    EXPECT_EQ(m.array.kind, Kind::Matrix);
    EXPECT_EQ(m.array.nrow, 2u);
    EXPECT_EQ(m.array.ncol, 3u);
    const auto v = VariableLayout::vector(ElementType::Float64, 7);
    EXPECT_EQ(v.kind, Kind::Vector);
    EXPECT_EQ(v.array.nrow, 7u);
    EXPECT_EQ(v.array.ncol, 1u);
}

TEST(Layout, ListSizeIsOffsetTablePlusPackedValues) {
    // R: list(matrix 2x3, vector 2) -> 2 offsets (16 bytes) + 8 doubles (64 bytes).
    const auto l = VariableLayout::list(ElementType::Float64,
                                        {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1}});
    EXPECT_EQ(l.element_count(), 8u);
    EXPECT_EQ(l.data_bytes(), 80u);
    EXPECT_EQ(l.element_byte_offsets(), (std::vector<uint64_t>{16, 64}));

    const auto i = VariableLayout::list(ElementType::Int32,
                                        {ArrayShape{Kind::Vector, 3, 1}, ArrayShape{Kind::Vector, 0, 1},
                                         ArrayShape{Kind::Matrix, 2, 2}});
    EXPECT_EQ(i.data_bytes(), 3 * 8 + (3 + 0 + 4) * 4u);
    EXPECT_EQ(i.element_byte_offsets(), (std::vector<uint64_t>{24, 36, 36}));

    const auto empty = VariableLayout::list(ElementType::Int8, {});
    EXPECT_EQ(empty.data_bytes(), 0u);
    EXPECT_TRUE(empty.element_byte_offsets().empty());
}

TEST(Layout, NestedListRejected) {
    EXPECT_EQ(code_of([] { VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::List, 1, 1}}); }),
              ErrorCode::InvalidArgument);
}

TEST(Layout, OverflowIsCorruptNotWrapped) {
    const uint64_t big = uint64_t{1} << 33;
    EXPECT_EQ(code_of([&] { VariableLayout::matrix(ElementType::Float64, big, big).element_count(); }),
              ErrorCode::Corrupt);
    // 2^62 doubles: the count fits, the byte size does not.
    const auto v = VariableLayout::vector(ElementType::Float64, uint64_t{1} << 62);
    EXPECT_EQ(v.element_count(), uint64_t{1} << 62);
    EXPECT_EQ(code_of([&] { v.data_bytes(); }), ErrorCode::Corrupt);
    // 2^62 int8 values are representable: 2^62 bytes.
    EXPECT_EQ(VariableLayout::vector(ElementType::Int8, uint64_t{1} << 62).data_bytes(), uint64_t{1} << 62);
    // List totals that overflow.
    const auto l = VariableLayout::list(ElementType::Int8, {ArrayShape{Kind::Vector, uint64_t{1} << 63, 1},
                                                            ArrayShape{Kind::Vector, uint64_t{1} << 63, 1}});
    EXPECT_EQ(code_of([&] { l.element_count(); }), ErrorCode::Corrupt);
    // Values fit, values + offset table do not.
    const auto l2 = VariableLayout::list(ElementType::Int8, {ArrayShape{Kind::Vector, UINT64_MAX - 4, 1}});
    EXPECT_EQ(code_of([&] { l2.data_bytes(); }), ErrorCode::Corrupt);
}

TEST(Layout, Describe) {
    EXPECT_EQ(VariableLayout::matrix(ElementType::Float64, 2, 3).describe(), "float64 matrix 2x3");
    EXPECT_EQ(VariableLayout::vector(ElementType::Int32, 5).describe(), "int32 vector of length 5");
    EXPECT_EQ(VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Vector, 1, 1}, ArrayShape{Kind::Vector, 1, 1}})
                  .describe(),
              "float64 list of 2");
}

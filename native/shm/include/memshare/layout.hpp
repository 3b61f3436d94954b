// What a variable is: a vector, a column-major matrix, or a list of vectors/matrices, of one
// element type. The layout fixes the data segment's size and, for lists, where each element lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace memshare {

// Codes are part of the segment format (stored in the trailer and in non-double type codes).
enum class ElementType : uint8_t { Float64 = 0, Float32 = 1, Int64 = 2, Int32 = 3, Int8 = 4 };
constexpr int kElementTypeCount = 5;

// Codes 0/1/2 are R memshare's type codes for double data.
enum class Kind : uint8_t { Matrix = 0, Vector = 1, List = 2 };
constexpr int kKindCount = 3;  // the JNI contract (native/jni/contract.hpp) lists this many

// constexpr: the JNI contract (native/jni/contract.hpp) pins Java's sizes to these at compile time.
constexpr std::size_t element_size(ElementType t) {
    switch (t) {
        case ElementType::Float64: return 8;
        case ElementType::Float32: return 4;
        case ElementType::Int64: return 8;
        case ElementType::Int32: return 4;
        case ElementType::Int8: return 1;
    }
    return 0;
}
const char* element_type_name(ElementType t);  // "float64", "float32", "int64", "int32", "int8"
const char* kind_name(Kind k);                  // "matrix", "vector", "list"
// Throws Error(InvalidArgument) for a code that is not an ElementType.
ElementType element_type_from_code(int code);
// Throws Error(InvalidArgument) for a code that is not a Kind.
Kind kind_from_code(int code);

// One array: a vector (ncol == 1) or a matrix, stored column-major.
struct ArrayShape {
    Kind kind = Kind::Vector;  // Matrix or Vector
    uint64_t nrow = 0;         // vector: its length
    uint64_t ncol = 1;         // vector: 1
    uint64_t length() const;   // nrow * ncol; throws Error(Corrupt) on overflow
};

struct VariableLayout {
    Kind kind = Kind::Vector;
    ElementType type = ElementType::Float64;
    ArrayShape array;                  // Matrix / Vector
    std::vector<ArrayShape> elements;  // List

    static VariableLayout vector(ElementType t, uint64_t n);
    static VariableLayout matrix(ElementType t, uint64_t nrow, uint64_t ncol);
    static VariableLayout list(ElementType t, std::vector<ArrayShape> elements);

    // Total number of elements (list: over all its arrays). Throws Error(Corrupt) on overflow.
    uint64_t element_count() const;
    // Exact size of the data segment in bytes; list: 8 * n offsets + packed elements.
    // Throws Error(Corrupt) on overflow.
    uint64_t data_bytes() const;
    // List only: byte offset of each element's first value from the start of the data segment.
    std::vector<uint64_t> element_byte_offsets() const;
    // Human-readable, e.g. "float64 matrix 2x3" or "float64 list of 2".
    std::string describe() const;
};

}  // namespace memshare

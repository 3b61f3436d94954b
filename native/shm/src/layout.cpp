#include "memshare/layout.hpp"

#include "memshare/error.hpp"

namespace memshare {

const char* element_type_name(ElementType t) {
    switch (t) {
        case ElementType::Float64: return "float64";
        case ElementType::Float32: return "float32";
        case ElementType::Int64: return "int64";
        case ElementType::Int32: return "int32";
        case ElementType::Int8: return "int8";
    }
    return "unknown";
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::Matrix: return "matrix";
        case Kind::Vector: return "vector";
        case Kind::List: return "list";
    }
    return "unknown";
}

ElementType element_type_from_code(int code) {
    if (code < 0 || code >= kElementTypeCount)
        throw Error(ErrorCode::InvalidArgument, "unknown element type code " + std::to_string(code));
    return static_cast<ElementType>(code);
}

Kind kind_from_code(int code) {
    if (code < 0 || code >= kKindCount) throw Error(ErrorCode::InvalidArgument, "unknown variable kind code " + std::to_string(code));
    return static_cast<Kind>(code);
}

static uint64_t checked_mul(uint64_t a, uint64_t b, const char* what) {
    uint64_t r;
    if (__builtin_mul_overflow(a, b, &r)) throw Error(ErrorCode::Corrupt, std::string(what) + " overflows 64 bits");
    return r;
}

static uint64_t checked_add(uint64_t a, uint64_t b, const char* what) {
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r)) throw Error(ErrorCode::Corrupt, std::string(what) + " overflows 64 bits");
    return r;
}

uint64_t ArrayShape::length() const { return checked_mul(nrow, ncol, "element count nrow*ncol"); }

VariableLayout VariableLayout::vector(ElementType t, uint64_t n) {
    VariableLayout l;
    l.kind = Kind::Vector;
    l.type = t;
    l.array = ArrayShape{Kind::Vector, n, 1};
    return l;
}

VariableLayout VariableLayout::matrix(ElementType t, uint64_t nrow, uint64_t ncol) {
    VariableLayout l;
    l.kind = Kind::Matrix;
    l.type = t;
    l.array = ArrayShape{Kind::Matrix, nrow, ncol};
    return l;
}

VariableLayout VariableLayout::list(ElementType t, std::vector<ArrayShape> elements) {
    VariableLayout l;
    l.kind = Kind::List;
    l.type = t;
    for (const auto& e : elements) {
        if (e.kind == Kind::List) throw Error(ErrorCode::InvalidArgument, "list elements must be vectors or matrices");
        if (e.kind == Kind::Vector && e.ncol != 1)
            throw Error(ErrorCode::InvalidArgument, "a vector element has one column, not " + std::to_string(e.ncol));
    }
    l.elements = std::move(elements);
    return l;
}

uint64_t VariableLayout::element_count() const {
    if (kind != Kind::List) return array.length();
    uint64_t total = 0;
    for (const auto& e : elements) total = checked_add(total, e.length(), "list total element count");
    return total;
}

uint64_t VariableLayout::data_bytes() const {
    uint64_t values = checked_mul(element_count(), element_size(type), "data size in bytes");
    if (kind != Kind::List) return values;
    return checked_add(checked_mul(elements.size(), 8, "list offset table size"), values, "list data size");
}

std::vector<uint64_t> VariableLayout::element_byte_offsets() const {
    std::vector<uint64_t> offsets;
    uint64_t at = 8 * static_cast<uint64_t>(elements.size());
    for (const auto& e : elements) {
        offsets.push_back(at);
        at += e.length() * element_size(type);
    }
    return offsets;
}

std::string VariableLayout::describe() const {
    std::string s = std::string(element_type_name(type)) + " " + kind_name(kind) + " ";
    if (kind == Kind::Matrix) return s + std::to_string(array.nrow) + "x" + std::to_string(array.ncol);
    if (kind == Kind::Vector) return s + "of length " + std::to_string(array.nrow);
    return s + "of " + std::to_string(elements.size());
}

}  // namespace memshare

// Field-by-field comparison of layouts (the core defines no operator==).
#pragma once

#include <gtest/gtest.h>

#include "memshare/layout.hpp"

namespace memshare_test {

inline bool shape_equal(const memshare::ArrayShape& a, const memshare::ArrayShape& b) {
    return a.kind == b.kind && a.nrow == b.nrow && a.ncol == b.ncol;
}

inline ::testing::AssertionResult LayoutEq(const memshare::VariableLayout& a, const memshare::VariableLayout& b) {
    if (a.kind != b.kind || a.type != b.type)
        return ::testing::AssertionFailure() << a.describe() << " vs " << b.describe();
    if (a.kind == memshare::Kind::List) {
        if (a.elements.size() != b.elements.size())
            return ::testing::AssertionFailure() << a.elements.size() << " vs " << b.elements.size() << " elements";
        for (std::size_t i = 0; i < a.elements.size(); ++i)
            if (!shape_equal(a.elements[i], b.elements[i]))
                return ::testing::AssertionFailure()
                       << "element " << i << ": " << a.elements[i].nrow << "x" << a.elements[i].ncol << " kind "
                       << int(a.elements[i].kind) << " vs " << b.elements[i].nrow << "x" << b.elements[i].ncol
                       << " kind " << int(b.elements[i].kind);
    } else if (!shape_equal(a.array, b.array)) {
        return ::testing::AssertionFailure() << "array " << a.array.nrow << "x" << a.array.ncol << " vs "
                                             << b.array.nrow << "x" << b.array.ncol;
    }
    return ::testing::AssertionSuccess();
}

constexpr memshare::ElementType kAllTypes[] = {memshare::ElementType::Float64, memshare::ElementType::Float32,
                                               memshare::ElementType::Int64, memshare::ElementType::Int32,
                                               memshare::ElementType::Int8};

}  // namespace memshare_test

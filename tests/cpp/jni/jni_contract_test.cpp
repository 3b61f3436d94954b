// The C++ side of the Java <-> C++ contract (native/jni/contract.hpp). Including the header here
// also evaluates its static_asserts in builds without the JNI library (sanitizer, fuzz, cross).
// The Java side is checked at load; tests/java/.../internal/ContractDriftTest proves it refuses.
#include <gtest/gtest.h>

#include <set>
#include <string>

// From native/jni, which CMakeLists.txt puts on this suite's include path.
#include "contract.hpp"

namespace contract = memshare::jni::contract;
using memshare::Error;
using memshare::ErrorCode;
using memshare::Kind;

TEST(JniContract, EachJavaNameOncePerTable) {
    for (const contract::JavaConstants& c : contract::kJavaConstants) {
        std::set<std::string> names;
        for (std::size_t i = 0; i < c.count; ++i)
            EXPECT_TRUE(names.insert(c.constants[i].java).second) << c.java_class << "." << c.constants[i].java;
    }
}

TEST(JniContract, MutualInfoFlagsAreDistinctBits) {
    int32_t seen = 0;
    for (const contract::Constant& f : contract::kMutualInfoFlags) {
        EXPECT_EQ(f.value & (f.value - 1), 0) << f.java << " is one bit";
        EXPECT_EQ(seen & f.value, 0) << f.java << " overlaps another flag";
        seen |= f.value;
    }
}

TEST(JniContract, MemshareExceptionsAreBuiltWithTheirFourArgumentConstructor) {
    for (const contract::ExceptionMapping& m : contract::kExceptions)
        EXPECT_EQ(m.memshare_constructor, std::string(m.java_class).rfind("org/memshare/", 0) == 0) << m.java_class;
}

TEST(JniContract, ListShapesCrossAsKindNrowNcolTriples) {
    const auto l = memshare::VariableLayout::list(memshare::ElementType::Float64,
                                                  {{Kind::Matrix, 2, 3}, {Kind::Vector, 4, 1}});
    EXPECT_EQ(contract::shape_triples(l), (std::vector<int64_t>{0, 2, 3, 1, 4, 1}));
}

TEST(JniContract, KindCodesConvertBackOrAreRefused) {
    EXPECT_EQ(memshare::kind_from_code(0), Kind::Matrix);
    EXPECT_EQ(memshare::kind_from_code(1), Kind::Vector);
    EXPECT_EQ(memshare::kind_from_code(2), Kind::List);
    for (int bad : {-1, 3}) {
        try {
            memshare::kind_from_code(bad);
            ADD_FAILURE() << "code " << bad << " accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
        }
    }
}

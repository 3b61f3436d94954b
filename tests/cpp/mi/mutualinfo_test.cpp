// Mutual information: every case of the reference file (tests/cpp/data/mutualinfo.jsonl, whose
// values the R packages computed; docs/MUTUALINFO.md, "Reference data") within
// 1e-9 max(1, |expected|), the error cases, and the building blocks checked against plain, slow
// formulations of docs/MUTUALINFO.md written out here.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/mutualinfo.hpp"

#include "mutualinfo_detail.hpp"

using memshare::Error;
using memshare::ErrorCode;
using memshare::MutualInfoOptions;
using memshare::mutual_information;

namespace {

// --- a tiny JSON reader (null, booleans, numbers, strings, arrays, objects) -------------------
struct Json {
    enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<Json> array;
    std::map<std::string, Json> object;

    const Json& operator[](const std::string& key) const {
        static const Json null;
        auto it = object.find(key);
        return it == object.end() ? null : it->second;
    }
};

class JsonParser {
public:
    explicit JsonParser(const std::string& text) : s_(text) {}
    Json parse() {
        Json v = value();
        skip();
        if (i_ != s_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(i_));
    }
    void skip() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    bool take(char c) {
        skip();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!take(c)) fail(std::string("expected '") + c + "'");
    }
    bool word(const char* w) {
        const std::size_t len = std::char_traits<char>::length(w);
        if (s_.compare(i_, len, w) != 0) return false;
        i_ += len;
        return true;
    }
    std::string string_body() {
        expect('"');
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c == '\\') {
                if (i_ >= s_.size()) fail("bad escape");
                const char e = s_[i_++];
                switch (e) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    case 'b': c = '\b'; break;
                    case 'f': c = '\f'; break;
                    case 'u': i_ += 4; c = '?'; break;  // not needed by the reference file
                    default: c = e;
                }
            }
            out.push_back(c);
        }
        expect('"');
        return out;
    }
    Json value() {
        skip();
        if (i_ >= s_.size()) fail("unexpected end");
        Json v;
        const char c = s_[i_];
        if (c == '{') {
            ++i_;
            v.kind = Json::Kind::Object;
            if (take('}')) return v;
            do {
                skip();
                std::string key = string_body();
                expect(':');
                v.object[key] = value();
            } while (take(','));
            expect('}');
        } else if (c == '[') {
            ++i_;
            v.kind = Json::Kind::Array;
            if (take(']')) return v;
            do v.array.push_back(value());
            while (take(','));
            expect(']');
        } else if (c == '"') {
            v.kind = Json::Kind::String;
            v.string = string_body();
        } else if (word("null")) {
            v.kind = Json::Kind::Null;
        } else if (word("true")) {
            v.kind = Json::Kind::Bool;
            v.boolean = true;
        } else if (word("false")) {
            v.kind = Json::Kind::Bool;
        } else {
            const char* begin = s_.c_str() + i_;
            char* end = nullptr;
            v.kind = Json::Kind::Number;
            v.number = std::strtod(begin, &end);
            if (end == begin) fail("bad value");
            i_ += static_cast<std::size_t>(end - begin);
        }
        return v;
    }

    const std::string& s_;
    std::size_t i_ = 0;
};

// --- the reference cases ------------------------------------------------------------------------
struct Case {
    std::string name;
    std::vector<double> x, y;
    MutualInfoOptions options;
    bool expect_error = false;
    double expected = 0;
};

double reference_value(const Json& v) {
    switch (v.kind) {
        case Json::Kind::Null: return std::numeric_limits<double>::quiet_NaN();  // R's NA
        case Json::Kind::Number: return v.number;
        case Json::Kind::String:
            if (v.string == "NaN") return std::numeric_limits<double>::quiet_NaN();
            if (v.string == "Infinity") return std::numeric_limits<double>::infinity();
            if (v.string == "-Infinity") return -std::numeric_limits<double>::infinity();
            break;
        default: break;
    }
    throw std::runtime_error("unexpected value in x or y");
}

std::string reference_path() {
    if (const char* p = std::getenv("MEMSHARE_MI_REFERENCE")) return p;
    // tests/cpp/data, not tests/cpp/mi: the Java tests read the same file.
    std::string here = __FILE__;
    return here.substr(0, here.find_last_of("/\\") + 1) + "../data/mutualinfo.jsonl";
}

const std::vector<Case>& reference_cases() {
    static const std::vector<Case> cases = [] {
        std::vector<Case> out;
        std::ifstream in(reference_path());
        std::string line;
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            const Json j = JsonParser(line).parse();
            Case c;
            c.name = j["name"].string;
            for (const Json& v : j["x"].array) c.x.push_back(reference_value(v));
            for (const Json& v : j["y"].array) c.y.push_back(reference_value(v));
            c.options.x_discrete = j["isXDiscrete"].boolean;
            c.options.y_discrete = j["isYDiscrete"].boolean;
            c.options.na_rm = j["naRm"].boolean;
            c.options.use_mpmi = j["useMpmi"].boolean;
            c.expect_error = j["expectError"].boolean;
            if (!c.expect_error) c.expected = j["expected"].number;
            out.push_back(std::move(c));
        }
        return out;
    }();
    return cases;
}

// Runs one case; returns an empty string when it passes, else what went wrong. *deviation gets
// |got - expected| / max(1, |expected|) for a value case.
std::string run_case(const Case& c, double* deviation = nullptr) {
    std::ostringstream why;
    why.precision(17);
    try {
        const double got = mutual_information(c.x.data(), c.x.size(), c.y.data(), c.y.size(), c.options);
        if (deviation && !c.expect_error) *deviation = std::fabs(got - c.expected) / std::max(1.0, std::fabs(c.expected));
        if (c.expect_error) {
            why << "expected an error, got " << got;
            return why.str();
        }
        const double tol = 1e-9 * std::max(1.0, std::fabs(c.expected));
        if (!(std::fabs(got - c.expected) <= tol)) {
            why << "got " << got << ", expected " << c.expected << " (difference " << got - c.expected << ")";
            return why.str();
        }
    } catch (const Error& e) {
        if (c.expect_error) {
            if (e.code() != ErrorCode::InvalidArgument) return std::string("wrong error code: ") + e.what();
            return "";
        }
        return std::string("unexpected error: ") + e.what();
    }
    return "";
}

class MutualInfoReferenceCase : public ::testing::TestWithParam<std::size_t> {};

}  // namespace

TEST(MutualInfoReference, AllCasesPass) {
    const auto& cases = reference_cases();
    ASSERT_EQ(cases.size(), 19u) << "reference file " << reference_path();
    std::size_t passed = 0;
    double worst = 0;
    for (const Case& c : cases) {
        double deviation = 0;
        const std::string failure = run_case(c, &deviation);
        worst = std::max(worst, deviation);
        if (failure.empty()) {
            ++passed;
        } else {
            ADD_FAILURE() << c.name << ": " << failure;
        }
    }
    std::cout << "[mutualinfo] reference cases passed: " << passed << " of " << cases.size()
              << " (largest deviation " << worst << " relative to max(1, |expected|); tolerance 1e-9)" << std::endl;
    EXPECT_EQ(passed, cases.size());
}

TEST_P(MutualInfoReferenceCase, MatchesR) {
    const Case& c = reference_cases().at(GetParam());
    SCOPED_TRACE(c.name);
    EXPECT_EQ(run_case(c), "");
}

INSTANTIATE_TEST_SUITE_P(MutualInfo, MutualInfoReferenceCase,
                         ::testing::Range<std::size_t>(0, reference_cases().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                             return reference_cases().at(info.param).name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MutualInfoReferenceCase);

// --- errors and early returns -------------------------------------------------------------------

namespace {
std::string error_of(const std::vector<double>& x, const std::vector<double>& y, const MutualInfoOptions& o) {
    try {
        mutual_information(x.data(), x.size(), y.data(), y.size(), o);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
        return e.what();
    }
    return "";
}
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST(MutualInfoErrors, LengthMismatchNamesBothLengths) {
    const std::string m = error_of({1, 2, 3, 4}, {1, 2, 3}, {});
    EXPECT_NE(m.find("length"), std::string::npos) << m;
    EXPECT_NE(m.find("4"), std::string::npos) << m;
    EXPECT_NE(m.find("3"), std::string::npos) << m;
}

TEST(MutualInfoErrors, NonFiniteContinuousVariableIsNamed) {
    const std::vector<double> good = {1, 2, 3, 4, 5};
    std::string m = error_of({1, 2, kNaN, 4, 5}, good, {});
    EXPECT_NE(m.find("x is"), std::string::npos) << m;
    EXPECT_NE(m.find("index 2"), std::string::npos) << m;
    m = error_of(good, {1, kInf, 3, 4, 5}, {});
    EXPECT_NE(m.find("y is"), std::string::npos) << m;
    MutualInfoOptions discrete_y;
    discrete_y.y_discrete = true;
    m = error_of({1, 2, 3, -kInf, 5}, {0, 1, 0, 1, 0}, discrete_y);
    EXPECT_NE(m.find("x is"), std::string::npos) << m;
    // The kernel alternative treats both as continuous, whatever the flags say.
    MutualInfoOptions mpmi;
    mpmi.use_mpmi = true;
    mpmi.y_discrete = true;
    m = error_of(good, {0, 1, kNaN, 1, 0}, mpmi);
    EXPECT_NE(m.find("y is"), std::string::npos) << m;
}

TEST(MutualInfoErrors, NullPointer) {
    EXPECT_THROW(mutual_information(nullptr, nullptr, 3, {}), Error);
    EXPECT_EQ(mutual_information(nullptr, nullptr, 0, {}), 0.0);
}

TEST(MutualInfoEarlyReturns, ShortConstantAndFilteredInputsGiveZero) {
    const std::vector<double> a = {1, 2}, b = {3, kNaN};
    EXPECT_EQ(mutual_information(a.data(), b.data(), 2, {}), 0.0);  // n < 3 comes before the finite check
    const std::vector<double> c = {5, 5, 5, 5}, d = {1, 2, 3, 4};
    EXPECT_EQ(mutual_information(c.data(), d.data(), 4, {}), 0.0);
    MutualInfoOptions narm;
    narm.na_rm = true;
    const std::vector<double> e = {1, kNaN, 3, 4}, f = {1, 2, kInf, 4};
    EXPECT_EQ(mutual_information(e.data(), f.data(), 4, narm), 0.0);  // two positions left
}

TEST(MutualInfoDiscrete, NonFiniteValuesAreCategories) {
    // y = x with NaN as a third category: plug-in MI = entropy of x = ln 3.
    std::vector<double> x, y;
    for (int i = 0; i < 30; ++i) {
        const double v = i % 3 == 2 ? kNaN : i % 3;
        x.push_back(v);
        y.push_back(v);
    }
    MutualInfoOptions o;
    o.x_discrete = o.y_discrete = true;
    EXPECT_NEAR(mutual_information(x.data(), y.data(), x.size(), o), std::log(3.0), 1e-15);
    EXPECT_NEAR(memshare::nats_to_bits(std::log(4.0)), 2.0, 1e-15);
}

TEST(MutualInfoDiscrete, ManyCategoriesAndLargeTables) {
    // 3,000 distinct values on each side (sorted path, sparse table): MI of a bijection = ln n.
    const std::size_t n = 3000;
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>((i * 7919) % n);
        y[i] = -x[i] * 0.5;
    }
    MutualInfoOptions o;
    o.x_discrete = o.y_discrete = true;
    EXPECT_NEAR(mutual_information(x.data(), y.data(), n, o), std::log(static_cast<double>(n)), 1e-12);
}

TEST(MutualInfoDiscrete, EitherSideGivesTheSameEstimate) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    std::vector<double> c(700), d(700);
    for (std::size_t i = 0; i < c.size(); ++i) {
        d[i] = static_cast<double>(i % 5);
        c[i] = d[i] + normal(rng);
    }
    MutualInfoOptions yd, xd;
    yd.y_discrete = true;
    xd.x_discrete = true;
    const double a = mutual_information(c.data(), d.data(), c.size(), yd);
    const double b = mutual_information(d.data(), c.data(), c.size(), xd);
    EXPECT_GT(a, 0.1);
    EXPECT_EQ(a, b);
}

// --- building blocks ----------------------------------------------------------------------------

TEST(MutualInfoPareto, OneToTenFromTheSpec) {
    std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_NEAR(memshare::mi::pareto_radius(v.data(), v.size()), 1.00000000011642, 1e-14);
    std::vector<double> same = {2, 2, 2};
    EXPECT_TRUE(std::isnan(memshare::mi::pareto_radius(same.data(), same.size())));
}

TEST(MutualInfoPareto, MatchesTheSortedPairwiseDistance) {
    // The bisection finds the (k+1)-th smallest pairwise distance to ~1e-9 relative.
    std::mt19937_64 rng(3);
    std::normal_distribution<double> normal;
    std::vector<double> v(300);
    for (double& x : v) x = normal(rng);
    std::sort(v.begin(), v.end());
    std::vector<double> d;
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j) d.push_back(v[j] - v[i]);
    std::sort(d.begin(), d.end());
    const auto k = static_cast<std::size_t>(std::floor(0.18 * static_cast<double>(d.size())));
    const double r = memshare::mi::pareto_radius(v.data(), v.size());
    EXPECT_NEAR(r, d[k], 2e-9 * (1 + d.back()));
}

namespace {
// Step 2 of the Pareto radius exactly as written: bisection with a full pair count per step.
double pareto_as_written(const std::vector<double>& v) {
    const double nd = static_cast<double>(v.size());
    const double m = nd * (nd - 1) / 2;
    const double k = std::floor(0.18 * m);
    double lo = 0, hi = v.back() - v.front(), ans = hi;
    while (hi - lo > 1e-9 * (1 + hi)) {
        const double mid = (lo + hi) / 2;
        double cnt = 0;
        std::size_t i = 0;
        for (std::size_t j = 1; j < v.size(); ++j) {
            while (v[j] - v[i] > mid) ++i;
            cnt += static_cast<double>(j - i);
        }
        if (cnt > k) {
            ans = hi = mid;
        } else {
            lo = mid;
        }
    }
    return v.size() > 1024 ? ans * 4 / std::pow(nd, 0.2) : ans;
}
}  // namespace

TEST(MutualInfoPareto, SameStepsAsTheWrittenBisection) {
    std::mt19937_64 rng(29);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> sets;
    for (std::size_t n : {3, 4, 17, 1000, 1025, 20000}) {
        std::vector<double> v(n);
        for (double& x : v) x = normal(rng);
        sets.push_back(v);
    }
    std::vector<double> ties(5000);  // many equal values: most pairs at distance 0
    for (std::size_t i = 0; i < ties.size(); ++i) ties[i] = static_cast<double>(i % 3 == 0 ? i : 7);
    sets.push_back(ties);
    std::vector<double> rounded(6000);  // few distinct distances
    for (double& x : rounded) x = std::round(normal(rng) * 4) / 4;
    sets.push_back(rounded);
    std::vector<double> wide(6000);  // magnitudes far apart
    for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = std::ldexp(normal(rng), static_cast<int>(i % 40) - 20);
    sets.push_back(wide);
    for (auto& v : sets) {
        std::sort(v.begin(), v.end());
        EXPECT_EQ(memshare::mi::pareto_radius(v.data(), v.size()), pareto_as_written(v)) << "n = " << v.size();
    }
}

TEST(MutualInfoSort, RadixSortAgreesWithStdSort) {
    std::mt19937_64 rng(31);
    std::normal_distribution<double> normal;
    for (std::size_t n : {5, 600, 10000}) {
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double x = normal(rng);
            v[i] = i % 17 == 0 ? 0.0 : i % 19 == 0 ? -0.0 : i % 23 == 0 ? 1e300 * x : i % 29 == 0 ? 1e-310 * x : x;
        }
        v[n / 2] = std::numeric_limits<double>::infinity();
        v[n / 3] = -std::numeric_limits<double>::infinity();
        std::vector<double> expected = v;
        std::sort(expected.begin(), expected.end());
        memshare::mi::sort_ascending(v.data(), n);
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], expected[i]) << "n = " << n << ", i = " << i;
    }
}

TEST(MutualInfoSmoother, SolvesTheBandedSystem) {
    // (I + l^2 D2'D2 + 2 l D1'D1) (S b) == b, with the matrix written out densely here.
    const int m = 40;
    for (double lambda : {0.5, 7.25, 128.0}) {
        std::vector<std::vector<double>> d1(m - 1, std::vector<double>(m, 0)), d2(m - 2, std::vector<double>(m, 0));
        for (int r = 0; r < m - 1; ++r) d1[r][r] = -1, d1[r][r + 1] = 1;
        for (int r = 0; r < m - 2; ++r) d2[r][r] = 1, d2[r][r + 1] = -2, d2[r][r + 2] = 1;
        std::vector<std::vector<double>> a(m, std::vector<double>(m, 0));
        for (int i = 0; i < m; ++i) {
            for (int j = 0; j < m; ++j) {
                double s1 = 0, s2 = 0;
                for (int r = 0; r < m - 1; ++r) s1 += d1[r][i] * d1[r][j];
                for (int r = 0; r < m - 2; ++r) s2 += d2[r][i] * d2[r][j];
                a[i][j] = (i == j ? 1 : 0) + lambda * lambda * s2 + 2 * lambda * s1;
            }
        }
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> unif(-1, 1);
        const std::size_t cols = 3;
        std::vector<double> b(m * cols);
        for (double& v : b) v = unif(rng);
        std::vector<double> x = b;
        memshare::mi::Smoother(m, lambda).apply(x.data(), cols, cols);
        for (int i = 0; i < m; ++i) {
            for (std::size_t c = 0; c < cols; ++c) {
                double s = 0;
                for (int j = 0; j < m; ++j) s += a[i][j] * x[j * cols + c];
                EXPECT_NEAR(s, b[i * cols + c], 1e-9 * (1 + lambda * lambda)) << "lambda " << lambda;
            }
        }
    }
}

TEST(MutualInfoGemm, OuterProductSumMatchesNaive) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> unif(-1, 1);
    for (auto [m, n, k] : {std::array<std::size_t, 3>{13, 17, 300}, {512, 512, 129}, {6, 8, 1}, {1, 1, 0}}) {
        std::vector<std::vector<double>> u(k, std::vector<double>(m)), v(k, std::vector<double>(n));
        std::vector<const double*> up(k), vp(k);
        for (std::size_t t = 0; t < k; ++t) {
            for (double& x : u[t]) x = unif(rng);
            for (double& x : v[t]) x = unif(rng);
            up[t] = u[t].data();
            vp[t] = v[t].data();
        }
        const std::size_t ldc = n + 3;
        std::vector<double> c(m * ldc, 42.0);
        memshare::mi::outer_product_sum(m, n, k, up.data(), vp.data(), c.data(), ldc);
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                double s = 0;
                for (std::size_t t = 0; t < k; ++t) s += u[t][i] * v[t][j];
                ASSERT_NEAR(c[i * ldc + j], s, 1e-12) << m << "x" << n << "x" << k << " at " << i << "," << j;
            }
            for (std::size_t j = n; j < ldc; ++j) ASSERT_EQ(c[i * ldc + j], 42.0);
        }
    }
}

namespace {

// Section 2 as the spec writes it: dense H, G = S H S, normalised, then the "same"-size separable
// Gaussian convolution done directly over all 512 x 512 cells, marginals, and the sum.
double continuous_mi_as_written(const std::vector<double>& x, const std::vector<double>& y, double eps) {
    using memshare::mi::Grid;
    const int M = 512;
    const std::size_t n = x.size();
    std::vector<double> xs = x, ys = y;
    std::sort(xs.begin(), xs.end());
    std::sort(ys.begin(), ys.end());
    const double rx = memshare::mi::pareto_radius(xs.data(), n), ry = memshare::mi::pareto_radius(ys.data(), n);
    const Grid gx = memshare::mi::make_grid(xs.front(), xs.back(), rx);
    const Grid gy = memshare::mi::make_grid(ys.front(), ys.back(), ry);
    std::vector<double> g(M * M, 0.0);  // row-major [x bin][y bin]
    for (std::size_t i = 0; i < n; ++i) g[gx.bin(x[i]) * M + gy.bin(y[i])] += 1.0 / static_cast<double>(n);
    const memshare::mi::Smoother s(M, 128);
    s.apply(g.data(), M, M);  // S H
    std::vector<double> t(M * M);
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < M; ++j) t[j * M + i] = g[i * M + j];
    s.apply(t.data(), M, M);  // S (S H)' = (S H S)'
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < M; ++j) g[i * M + j] = t[j * M + i];
    double z = 0;
    for (int i = 0; i < M - 1; ++i)
        for (int j = 0; j < M - 1; ++j) z += g[i * M + j] * (gx.g[i + 1] - gx.g[i]) * (gy.g[j + 1] - gy.g[j]);
    for (double& v : g) v /= z;
    auto kernel = [&](double d, double r) {
        std::vector<double> k(M);
        double sum = 0;
        for (int q = 1; q <= M; ++q) {
            const double e = (q - 256) * d;
            k[q - 1] = std::exp(-(e * e) / (2 * r * r));
            sum += k[q - 1];
        }
        for (double& v : k) v /= sum;
        return k;
    };
    const std::vector<double> kx = kernel(gx.dx, rx), ky = kernel(gy.dx, ry);
    // S[i,j] = sum_{a,b} G[a,b] kx[i-a+256] ky[j-b+256] (1-based kernel index), along y then x.
    std::vector<double> row(M * M, 0.0), out(M * M, 0.0);
    for (int a = 0; a < M; ++a)
        for (int j = 1; j <= M; ++j) {
            double s2 = 0;
            for (int b = 1; b <= M; ++b) {
                const int q = j - b + 256;
                if (q >= 1 && q <= M) s2 += g[a * M + (b - 1)] * ky[q - 1];
            }
            row[a * M + (j - 1)] = s2;
        }
    for (int i = 1; i <= M; ++i)
        for (int j = 0; j < M; ++j) {
            double s1 = 0;
            for (int a = 1; a <= M; ++a) {
                const int q = i - a + 256;
                if (q >= 1 && q <= M) s1 += row[(a - 1) * M + j] * kx[q - 1];
            }
            out[(i - 1) * M + j] = s1;
        }
    std::vector<double> px(M, 0.0), py(M, 0.0);
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < M; ++j) {
            px[i] += out[i * M + j];
            py[j] += out[i * M + j];
        }
    for (double& v : px) v *= gy.dx;
    for (double& v : py) v *= gx.dx;
    double mi = 0;
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < M; ++j) {
            const double v = out[i * M + j];
            if (v > 2 * eps) mi += v * std::log(v / (px[i] * py[j]));
        }
    return gx.dx * gy.dx * mi;
}

}  // namespace

TEST(MutualInfoContinuous, FactoredProductEqualsTheWrittenOutConvolution) {
    std::mt19937_64 rng(17);
    std::normal_distribution<double> normal;
    std::cauchy_distribution<double> cauchy;
    struct Data {
        const char* name;
        std::vector<double> x, y;
    };
    std::vector<Data> sets(3);
    sets[0].name = "correlated normal, n = 3000";
    for (int i = 0; i < 3000; ++i) {
        const double a = normal(rng);
        sets[0].x.push_back(a);
        sets[0].y.push_back(0.6 * a + 0.8 * normal(rng));
    }
    sets[1].name = "heavy tails, n = 1500";
    for (int i = 0; i < 1500; ++i) {
        const double a = cauchy(rng);
        sets[1].x.push_back(a);
        sets[1].y.push_back(std::sin(a) + 0.1 * cauchy(rng));
    }
    sets[2].name = "ties, n = 7";
    sets[2].x = {1, 1, 2, 2, 3, 9, 9};
    sets[2].y = {0.5, 0.5, 0.25, 1, 1, 2, -3};
    const double eps = MutualInfoOptions().eps;
    for (const Data& d : sets) {
        const double fast = memshare::mi::pde_mi_continuous(d.x.data(), d.y.data(), d.x.size(), eps);
        const double slow = continuous_mi_as_written(d.x, d.y, eps);
        EXPECT_NEAR(fast, slow, 1e-12 * std::max(1.0, std::fabs(slow))) << d.name;
    }
}

TEST(MutualInfoKernel, SlidingWindowEqualsAllPairs) {
    std::mt19937_64 rng(23);
    std::normal_distribution<double> normal;
    const std::size_t n = 600;
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = std::round(normal(rng) * 20) / 20;  // ties too
        y[i] = x[i] * x[i] + 0.5 * normal(rng);
    }
    const double hx = 0.37, hy = 0.81;
    auto k = [](double t) { return std::fabs(t) >= 1 ? 0.0 : 1 - t * t; };
    double ans = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double s1 = 0, s2 = 0, s12 = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double a = k((x[j] - x[i]) / hx), b = k((y[j] - y[i]) / hy);
            s1 += a;
            s2 += b;
            s12 += a * b;
        }
        ans += std::log(s12 / (s1 * s2));
    }
    ans = ans / static_cast<double>(n) + std::log(static_cast<double>(n));
    EXPECT_NEAR(memshare::mi::mpmi_mi(x.data(), y.data(), n, hx, hy), ans, 1e-12);
}

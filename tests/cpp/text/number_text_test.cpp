// parse_numbers (memshare/number_text.hpp): every value against strtod's bits, the files R and
// pandas write, each way of declining, and the same text fed in windows of every size (a record
// cut anywhere must wait for the rest, as the JNI caller feeds it).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "memshare/number_text.hpp"

using memshare::text::CellKind;
using memshare::text::NumberPlan;
using memshare::text::NumberProgress;
using memshare::text::Outcome;
using memshare::text::parse_numbers;

namespace {

uint64_t bits(double v) {
    uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

// A table of `rows` x kinds.size() outputs (row-major storage of column vectors), with its plan.
struct Table {
    std::vector<CellKind> kinds;
    std::vector<std::vector<double>> columns;
    std::vector<double*> outputs;
    NumberPlan plan;

    Table(std::vector<CellKind> k, std::size_t rows, char sep = ',', char point = '.') : kinds(std::move(k)) {
        columns.assign(kinds.size(), std::vector<double>(rows, -12345.0));
        for (std::size_t c = 0; c < kinds.size(); ++c) outputs.push_back(kinds[c] == CellKind::Skip ? nullptr : columns[c].data());
        plan.separator = sep;
        plan.decimal_point = point;
        plan.kinds = kinds.data();
        plan.outputs = outputs.data();
        plan.columns = kinds.size();
        plan.rows = rows;
    }

    NumberProgress whole(const std::string& text, bool header) {
        return parse_numbers(text.data(), text.size(), true, header, plan, 0);
    }
};

constexpr CellKind S = CellKind::Skip, N = CellKind::Number, M = CellKind::NumberOrMissing;

}  // namespace

TEST(NumberText, EveryValueHasStrtodsBits) {
    // Random doubles of every magnitude, printed the ways writers print them (17 significant
    // digits as R's write.csv with digits = 17, shortest as pandas, fixed, exponent forms).
    std::mt19937_64 rng(42);
    const std::size_t rows = 20000;
    std::string text;
    std::vector<std::string> cells;
    for (std::size_t r = 0; r < rows; ++r) {
        uint64_t b = rng();
        double v;
        std::memcpy(&v, &b, sizeof v);
        if (!std::isfinite(v)) v = static_cast<double>(static_cast<int64_t>(b >> 11)) * 1e-7;
        char buf[64];
        const char* formats[] = {"%.17g", "%.15g", "%.6f", "%.3e", "%.0f"};
        std::string row;
        for (int f = 0; f < 4; ++f) {
            double w = f == 2 ? std::fmod(v, 1e9) : v;  // fixed form: a moderate magnitude
            std::snprintf(buf, sizeof buf, formats[(r + f) % 5], w);
            row += (f ? "," : "") + std::string(buf);
            cells.emplace_back(buf);
        }
        text += row + "\n";
    }
    Table t({N, N, N, N}, rows);
    NumberProgress p = t.whole(text, false);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    ASSERT_EQ(p.rows, rows);
    EXPECT_EQ(p.consumed, text.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (int c = 0; c < 4; ++c) {
            const std::string& cell = cells[r * 4 + c];
            ASSERT_EQ(bits(t.columns[c][r]), bits(std::strtod(cell.c_str(), nullptr))) << cell;
        }
}

TEST(NumberText, PandasFileWithIndexAndHeader) {
    // df.to_csv(f): an index column first, a header row, LF ends, NaN written as an empty cell.
    const std::string text = ",a,b,class\n0,1.5,,1\n1,-0.25,3e-5,2\n2,7,1e300,1\n";
    Table t({S, N, M, N}, 3);
    NumberProgress p = t.whole(text, true);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    ASSERT_EQ(p.rows, 3u);
    EXPECT_EQ(t.columns[1][0], 1.5);
    EXPECT_EQ(t.columns[1][1], -0.25);
    EXPECT_TRUE(std::isnan(t.columns[2][0]));
    EXPECT_EQ(t.columns[2][1], 3e-5);
    EXPECT_EQ(t.columns[2][2], 1e300);
    EXPECT_EQ(t.columns[3][1], 2.0);
}

TEST(NumberText, RFileWithQuotedHeaderRowNamesCrlfAndBom) {
    // write.csv(df): quoted names, quoted row names, NA; on Windows CRLF; a byte order mark.
    const std::string text = "\xEF\xBB\xBF\"\",\"x\",\"y\"\r\n\"1\",0.5,NA\r\n\r\n\"2\",NA,2\r\n\"3\",.5,5.\r\n";
    Table t({S, M, M}, 3);
    NumberProgress p = t.whole(text, true);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    ASSERT_EQ(p.rows, 3u);
    EXPECT_EQ(t.columns[1][0], 0.5);
    EXPECT_TRUE(std::isnan(t.columns[2][0]));
    EXPECT_TRUE(std::isnan(t.columns[1][1]));
    EXPECT_EQ(t.columns[2][1], 2.0);
    EXPECT_EQ(t.columns[1][2], 0.5);
    EXPECT_EQ(t.columns[2][2], 5.0);
}

TEST(NumberText, MissingSpellings) {
    const std::string text = "NA\n<NA>\nNaN\nnan\nNAN\n\n";  // the empty line is skipped, not a missing value
    Table t({M}, 5);
    NumberProgress p = t.whole(text, false);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    ASSERT_EQ(p.rows, 5u);
    for (double v : t.columns[0]) EXPECT_TRUE(std::isnan(v));
    Table finite({N, N}, 2);
    EXPECT_EQ(finite.whole("1,2\n3,NA\n", false).outcome, Outcome::MissingWhereFinite);
    EXPECT_EQ(finite.whole("1,\n", false).outcome, Outcome::MissingWhereFinite);
}

TEST(NumberText, DecimalCommas) {
    // write.csv2: ';' between cells, ',' as the decimal point.
    const std::string text = "\"a\";\"b\"\n1,5;-2,25\n3;4,0e2\n";
    Table t({N, N}, 2, ';', ',');
    NumberProgress p = t.whole(text, true);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    EXPECT_EQ(t.columns[0][0], 1.5);
    EXPECT_EQ(t.columns[1][0], -2.25);
    EXPECT_EQ(t.columns[1][1], 400.0);
    EXPECT_EQ(t.whole("a;b\n1.5;2\n", true).outcome, Outcome::NotANumber);  // a point where commas are expected
}

TEST(NumberText, DeclinesWhatItDoesNotRead) {
    struct Case {
        const char* text;
        Outcome outcome;
        std::size_t at;
    };
    const Case cases[] = {
        {"1,2\n3,x\n", Outcome::NotANumber, 4},
        {"1,2\n3,\"4\"\n", Outcome::Quote, 4},
        {"1,2\n3,Inf\n", Outcome::NotANumber, 4},
        {"1,2\n3,-inf\n", Outcome::NotANumber, 4},
        {"1,2\n+3,4\n", Outcome::NotANumber, 4},
        {"1,2\n0x10,4\n", Outcome::NotANumber, 4},
        {"1,2\n 3,4\n", Outcome::NotANumber, 4},
        {"1,2\n3 ,4\n", Outcome::NotANumber, 4},
        {"1,2\n1e999,4\n", Outcome::NotANumber, 4},
        {"1,2\n3,4,5\n", Outcome::CellCount, 4},
        {"1,2\n3\n", Outcome::CellCount, 4},
        {"1,2\r3,4\r", Outcome::LoneCarriageReturn, 0},
        {"1,2\n3,4\n5,6\n", Outcome::RowCount, 8},
    };
    for (const Case& c : cases) {
        Table t({N, N}, 2);
        NumberProgress p = t.whole(c.text, false);
        EXPECT_EQ(p.outcome, c.outcome) << c.text;
        EXPECT_EQ(p.at, c.at) << c.text;
    }
    Table skip({S, N}, 2);
    EXPECT_EQ(skip.whole("\"a\"\"b\",1\n", false).outcome, Outcome::Quote);   // a doubled quote in a skipped cell
    EXPECT_EQ(skip.whole("\"a\nb\",1\n", false).outcome, Outcome::Quote);     // a line feed in a quoted cell
    EXPECT_EQ(skip.whole("a\"b,1\n", false).outcome, Outcome::Quote);         // a quote inside an unquoted cell
    EXPECT_EQ(skip.whole("\"ab", false).outcome, Outcome::NoRecordEnd);       // an unclosed quote at the end
    EXPECT_EQ(skip.whole("a,b\r1,2\r", true).outcome, Outcome::LoneCarriageReturn);  // old Mac line ends in the header
    EXPECT_EQ(skip.whole("\"a\nb", true).outcome, Outcome::NoRecordEnd);             // a header that never ends
    // Empty lines before a header that does not end in this text: nothing consumed, so the
    // caller still skips the header when the rest arrives.
    const std::string early = "\n\n\"a\",\"b";
    NumberProgress wait = parse_numbers(early.data(), early.size(), false, true, skip.plan, 0);
    EXPECT_EQ(wait.outcome, Outcome::Parsed);
    EXPECT_EQ(wait.consumed, 0u);
    NumberProgress text = skip.whole("label one,1\n\"two\",2", false);         // text in a skipped cell, no final line feed
    EXPECT_EQ(text.outcome, Outcome::Parsed);
    EXPECT_EQ(text.rows, 2u);
    EXPECT_EQ(skip.columns[1][1], 2.0);
}

TEST(NumberText, WindowsOfEverySizeGiveTheSameValues) {
    // The JNI caller reads a chunk through a window: it keeps the bytes after `consumed`, appends
    // more, and calls again. Every cut point must give what the whole text gives.
    const std::string text = "\xEF\xBB\xBF\"id\",\"a\",\"b\"\r\n\"r1\",1.25,NA\r\n\r\n\"r2\",-3e-7,4\r\n7,123456789.125,\r\n\"r4\",.5,6";
    Table whole({S, N, M}, 4);  // N: a CRLF empty line cut after its CR must wait, not read as a missing value
    NumberProgress all = whole.whole(text, true);
    ASSERT_EQ(all.outcome, Outcome::Parsed);
    ASSERT_EQ(all.rows, 4u);
    for (std::size_t window = 1; window <= text.size(); ++window) {
        Table t({S, N, M}, 4);
        std::string buffer;
        std::size_t fed = 0, rows = 0;
        bool header = true;
        for (;;) {
            while (buffer.size() < window && fed < text.size()) buffer += text[fed++];
            const bool last = fed == text.size();
            NumberProgress p = parse_numbers(buffer.data(), buffer.size(), last, header, t.plan, rows);
            ASSERT_EQ(p.outcome, Outcome::Parsed) << "window " << window;
            if (p.consumed > 0) header = false;
            rows += p.rows;
            buffer.erase(0, p.consumed);
            if (last) break;
            if (p.consumed == 0) window *= 2;  // a record longer than the window: the caller grows it
        }
        ASSERT_EQ(rows, 4u) << "window " << window;
        for (int c = 1; c < 3; ++c)
            for (std::size_t r = 0; r < 4; ++r)
                ASSERT_EQ(bits(t.columns[c][r]), bits(whole.columns[c][r])) << "window " << window << " row " << r;
    }
}

TEST(NumberText, ALastRecordWithoutLineFeedAndATrailingEmptyCell) {
    Table t({N, M}, 2);
    NumberProgress p = t.whole("1,2\n3,", false);
    ASSERT_EQ(p.outcome, Outcome::Parsed);
    EXPECT_EQ(p.rows, 2u);
    EXPECT_TRUE(std::isnan(t.columns[1][1]));
    // Not the last text: the record without its line feed waits.
    Table u({N, M}, 2);
    const std::string text = "1,2\n3,4";
    NumberProgress q = parse_numbers(text.data(), text.size(), false, false, u.plan, 0);
    EXPECT_EQ(q.outcome, Outcome::Parsed);
    EXPECT_EQ(q.rows, 1u);
    EXPECT_EQ(q.consumed, 4u);
}

TEST(NumberText, AnEmptyCrlfLineCutAfterItsCarriageReturnWaits) {
    // A window ending in the CR of an empty CRLF line: it waits for the LF (the whole text skips
    // the line) instead of reading the CR as a record with a missing value where none may be.
    Table t({N, N}, 2);
    const std::string first = "1,2\r\n\r";
    NumberProgress p = parse_numbers(first.data(), first.size(), false, false, t.plan, 0);
    EXPECT_EQ(p.outcome, Outcome::Parsed);
    EXPECT_EQ(p.rows, 1u);
    EXPECT_EQ(p.consumed, 5u);
    const std::string rest = "\r\n3,4\r\n";
    NumberProgress q = parse_numbers(rest.data(), rest.size(), true, false, t.plan, 1);
    EXPECT_EQ(q.outcome, Outcome::Parsed);
    EXPECT_EQ(t.columns[1][1], 4.0);
}

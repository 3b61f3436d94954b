// scan_records (memshare/record_scan.hpp) against the rule written out byte by byte, on random
// texts of quotes, line ends, carriage returns and cells, fed whole and in random pieces, from
// either starting state; and the cases the first pass must get right by name.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "memshare/record_scan.hpp"

using memshare::text::RecordScanState;
using memshare::text::scan_records;

namespace {

// The rule, one byte at a time (as docs/CLI.md and TableScan describe it).
RecordScanState by_bytes(const std::string& text, bool quoted, uint64_t at) {
    RecordScanState s;
    s.quoted = quoted;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char b = text[i];
        if (b == '"') {
            s.quoted = !s.quoted;
            ++s.quotes;
            s.content = true;
        } else if (b == '\n') {
            ++s.newlines;
            if (s.quoted) continue;
            if (s.first_end < 0) {
                s.first_end = static_cast<int64_t>(at + i + 1);
                s.lines_to_first_end = s.newlines;
                s.content_before = s.content;
            } else if (s.content) {
                ++s.records_after;
            }
            s.content = false;
        } else if (b != '\r') {
            s.content = true;
        }
    }
    return s;
}

void expect_same(const RecordScanState& a, const RecordScanState& b, const std::string& where) {
    EXPECT_EQ(a.quoted, b.quoted) << where;
    EXPECT_EQ(a.quotes, b.quotes) << where;
    EXPECT_EQ(a.newlines, b.newlines) << where;
    EXPECT_EQ(a.first_end, b.first_end) << where;
    EXPECT_EQ(a.lines_to_first_end, b.lines_to_first_end) << where;
    EXPECT_EQ(a.content_before, b.content_before) << where;
    EXPECT_EQ(a.records_after, b.records_after) << where;
    EXPECT_EQ(a.content, b.content) << where;
}

}  // namespace

TEST(RecordScan, AgreesWithTheByteRuleOnRandomTexts) {
    std::mt19937 rng(7);
    const char alphabet[] = {'a', '1', ',', '"', '\n', '\r', '\n', 'x'};
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int n = static_cast<int>(rng() % 200);
        for (int i = 0; i < n; ++i) text += alphabet[rng() % sizeof alphabet];
        const bool quoted = rng() % 4 == 0;
        const uint64_t at = rng() % 1000;
        const RecordScanState want = by_bytes(text, quoted, at);
        // Whole, then in random pieces carrying the state.
        RecordScanState whole;
        whole.quoted = quoted;
        scan_records(text.data(), text.size(), at, whole);
        expect_same(whole, want, "whole: " + text);
        RecordScanState pieces;
        pieces.quoted = quoted;
        for (std::size_t i = 0; i < text.size();) {
            const std::size_t len = std::min<std::size_t>(text.size() - i, 1 + rng() % 17);
            scan_records(text.data() + i, len, at + i, pieces);
            i += len;
        }
        expect_same(pieces, want, "pieces: " + text);
    }
}

TEST(RecordScan, CountsRecordsOfATableByName) {
    // A header and three rows; an empty line and a CR-only line skipped; a quoted line feed.
    const std::string text = "a,b\n1,\"x\ny\"\n\n\r\n2,3\r\n4,5";
    RecordScanState s;
    scan_records(text.data(), text.size(), 0, s);
    EXPECT_EQ(s.first_end, 4);            // after the header
    EXPECT_EQ(s.records_after, 2u);       // "1,..." and "2,3" end with a line feed; "4,5" has none yet
    EXPECT_TRUE(s.content);               // ... and is pending
    EXPECT_EQ(s.newlines, 6u);            // the quoted one too
    EXPECT_EQ(s.quotes, 2u);
    EXPECT_FALSE(s.quoted);
    // The same bytes read from inside quotes: the header's line feed is quoted, the first quote
    // closes the cell, and the line feed after "x" (byte 8) is the first record end.
    RecordScanState inside;
    inside.quoted = true;
    scan_records(text.data(), text.size(), 0, inside);
    EXPECT_EQ(inside.first_end, 9);
    EXPECT_TRUE(inside.quoted);           // "y" and the rest: the second quote opens again
}

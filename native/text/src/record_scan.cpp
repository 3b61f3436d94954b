// scan_records: memchr from one line feed or quote to the next (glibc's memchr is vectorized),
// so that a numeric table, which has few of either, is scanned at memory speed.
#include "memshare/record_scan.hpp"

#include <cstring>

namespace memshare::text {
namespace {

const char* find(const char* p, const char* end, char c) {
    const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
    return hit == nullptr ? end : static_cast<const char*>(hit);
}

// Whether [p, end) holds a byte other than a carriage return or a line feed.
bool has_content(const char* p, const char* end) {
    while (p < end && (*p == '\r' || *p == '\n')) ++p;
    return p < end;
}

void record_end(RecordScanState& s, uint64_t after) {
    if (s.first_end < 0) {
        s.first_end = static_cast<int64_t>(after);
        s.lines_to_first_end = s.newlines;
        s.content_before = s.content;
    } else if (s.content) {
        ++s.records_after;
    }
    s.content = false;
}

}  // namespace

void scan_records(const char* bytes, std::size_t length, uint64_t at, RecordScanState& s) {
    const char* p = bytes;
    const char* const end = bytes + length;
    const char* quote = find(p, end, '"');
    while (p < end) {
        if (s.quoted) {
            // Inside quotes no line feed ends a record; each still counts as a line.
            if (!s.content && has_content(p, quote)) s.content = true;
            for (const char* nl = find(p, quote, '\n'); nl < quote; nl = find(nl + 1, quote, '\n')) ++s.newlines;
            p = quote;
        } else {
            const char* nl = find(p, quote, '\n');
            if (!s.content && has_content(p, nl)) s.content = true;
            if (nl < quote) {
                ++s.newlines;
                record_end(s, at + static_cast<uint64_t>(nl + 1 - bytes));
                p = nl + 1;
                continue;
            }
            p = quote;
        }
        if (p == end) break;
        s.quoted = !s.quoted;  // at a quote
        ++s.quotes;
        s.content = true;
        quote = find(++p, end, '"');
    }
}

}  // namespace memshare::text

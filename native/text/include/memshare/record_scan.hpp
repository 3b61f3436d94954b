// The first pass over a delimited text file: where its records end, so that the rows can be
// counted (and the shared pages allocated at their final size) and the file cut into chunks at
// record ends before any value is parsed.
//
// A record ends at a line feed outside double quotes (RFC 4180: a quoted cell may hold line
// feeds; a doubled quote toggles the state twice, which leaves it unchanged). A record whose
// bytes are all carriage returns is empty (skipped, as the readers skip empty lines). The scan
// runs over a stretch of the file in pieces, carrying its state from one piece to the next.
#pragma once

#include <cstddef>
#include <cstdint>

namespace memshare::text {

// What a stretch of the file's bytes holds so far. `quoted` is also the state it starts in.
struct RecordScanState {
    bool quoted = false;
    uint64_t quotes = 0;             // quote characters
    uint64_t newlines = 0;           // line feeds, quoted ones too (for line numbers)
    int64_t first_end = -1;          // file offset just after the first record-ending line feed, or -1
    uint64_t lines_to_first_end = 0; // line feeds up to and including that one
    bool content_before = false;     // whether the bytes before the first record end held content
    uint64_t records_after = 0;      // records with content ended after the first record end
    bool content = false;            // whether the bytes since the last record end hold content
};

// Feeds the stretch's next `length` bytes, which begin at file offset `at`.
void scan_records(const char* bytes, std::size_t length, uint64_t at, RecordScanState& state);

}  // namespace memshare::text

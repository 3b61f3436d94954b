// Numbers out of delimited text: the data records of a CSV or TSV file, as R's write.csv and
// pandas' to_csv write them, parsed straight into column-major outputs (one double column per
// file column that is read).
//
// The reader is a fast path, not a judge: it takes the plain case (unquoted decimal numbers,
// missing values spelled as R and pandas spell them, LF or CRLF record ends) and declines
// anything else, saying where and why (Outcome), so that its caller can hand the same bytes to a
// reader that explains the problem or knows more (text, quotes, infinities, blanks). Whatever it
// accepts it reads exactly as such a reader would: decimal text to the nearest double (fast_float:
// correctly rounded, as Java's Double.parseDouble).
#pragma once

#include <cstddef>
#include <cstdint>

namespace memshare::text {

// What to do with one cell, per file column.
enum class CellKind : uint8_t {
    Skip = 0,             // not read: any unquoted cell, or a quoted one without quotes or line ends inside
    Number = 1,           // a decimal number; a missing value declines (MissingWhereFinite)
    NumberOrMissing = 2,  // a decimal number, or a missing value (NaN): "", NA, <NA>, NaN in any case
};
constexpr int kCellKindCount = 3;

// Why parse_numbers stopped. The values cross JNI (contract.hpp); keep them in order.
enum class Outcome : int32_t {
    Parsed = 0,              // every whole record read (or, when `last`, the text read to its end)
    Quote = 1,               // a quote in a number cell, or a skipped cell quoted in a way this reader does not take
    NotANumber = 2,          // a number cell holding something else: text, blanks, an infinity, "+1", hex, ...
    MissingWhereFinite = 3,  // a missing value in a Number column
    CellCount = 4,           // a record with more or fewer cells than the plan's columns
    LoneCarriageReturn = 5,  // a carriage return not followed by a line feed (old Mac line ends)
    RowCount = 6,            // more records than the outputs have rows
    NoRecordEnd = 7,         // `last`, and the text ends inside a quoted skipped cell
};
constexpr int kOutcomeCount = 8;

// The columns to read and where their values go.
struct NumberPlan {
    char separator = ',';
    char decimal_point = '.';
    const CellKind* kinds = nullptr;  // per file column
    double* const* outputs = nullptr; // per file column: where its row 0 goes (unused for Skip)
    std::size_t columns = 0;          // cells per record
    std::size_t rows = 0;             // rows every output holds
};

struct NumberProgress {
    Outcome outcome = Outcome::Parsed;
    std::size_t consumed = 0;  // bytes of whole records read (and skipped empty lines): where the next call starts
    std::size_t rows = 0;      // records read into rows [first_row, first_row + rows)
    std::size_t at = 0;        // for an outcome other than Parsed: the offset of the record that declined
};

// Parses the records of text[0, length) into rows first_row, first_row + 1, ... of the plan's
// outputs, up to the last record end (a line feed). An empty line (LF or CRLF alone) is skipped.
// `skip_first_record`: the text starts with a record that is not data (the header, quoted cells
// and a UTF-8 byte order mark included), skipped. `last`: the text ends a chunk, so its end also
// ends a record. On any outcome other than Parsed, the rows already written are to be discarded.
NumberProgress parse_numbers(const char* text, std::size_t length, bool last, bool skip_first_record, const NumberPlan& plan,
                             std::size_t first_row);

}  // namespace memshare::text

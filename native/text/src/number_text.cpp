// parse_numbers: one pass over the bytes, cell by cell, with no copy of a cell and no allocation.
// A number cell is handed to fast_float where it stands (it stops at the separator by itself); a
// skipped cell is stepped over. Anything unusual declines with its Outcome (number_text.hpp).
#include "memshare/number_text.hpp"

#include <cmath>

#include "fast_float.h"

namespace memshare::text {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignoring_case(const char* p, std::size_t n, const char* lower) {
    std::size_t i = 0;
    for (; i < n && lower[i] != 0; ++i) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return i == n && lower[i] == 0;
}

// The spellings R and pandas write for a missing value (as the CLI's Java reader, Cells.missing).
bool is_missing(const char* p, std::size_t n) {
    return n == 0 || (n == 2 && p[0] == 'N' && p[1] == 'A') || (n == 4 && p[0] == '<' && p[1] == 'N' && p[2] == 'A' && p[3] == '>') ||
           equals_ignoring_case(p, n, "nan");
}

// Walks one record at a time; every method returns false to stop (outcome set, or the record
// runs past the text and must wait for more).
class Reader {
public:
    Reader(const char* text, std::size_t length, bool last, const NumberPlan& plan)
        : begin_(text), end_(text + length), last_(last), plan_(plan),
          options_(fast_float::chars_format::general, plan.decimal_point) {}

    NumberProgress run(bool skip_first_record, std::size_t first_row) {
        const char* p = begin_;
        if (skip_first_record) {
            p = skip_empty_lines(p);
            const char* after = skip_record(p);
            if (after == nullptr) return outcome_ == Outcome::Parsed ? done(begin_, 0) : declined(outcome_, p, 0);
            p = after;
        }
        std::size_t row = first_row;
        for (;;) {
            p = skip_empty_lines(p);
            if (p == end_) return done(p, row - first_row);
            if (p + 1 == end_ && *p == '\r' && !last_) return done(p, row - first_row);  // an empty CRLF line, cut
            if (row >= plan_.rows) return declined(Outcome::RowCount, p, row - first_row);
            const char* after = record(p, row);
            if (after == nullptr) return outcome_ == Outcome::Parsed ? done(p, row - first_row) : declined(outcome_, p, row - first_row);
            p = after;
            ++row;
        }
    }

private:
    NumberProgress done(const char* p, std::size_t rows) const {
        return {Outcome::Parsed, static_cast<std::size_t>(p - begin_), rows, 0};
    }
    NumberProgress declined(Outcome o, const char* p, std::size_t rows) const {
        return {o, 0, rows, static_cast<std::size_t>(p - begin_)};
    }

    // Past empty lines (LF or CRLF alone), which both R and pandas readers skip.
    const char* skip_empty_lines(const char* p) const {
        for (;;) {
            if (p < end_ && *p == '\n') ++p;
            else if (p + 1 < end_ && p[0] == '\r' && p[1] == '\n') ++p, ++p;
            else return p;
        }
    }

    // Past a whole record whatever it holds, honouring quotes (a header may quote its names);
    // null when it does not end within the text and the text does not end the chunk, or (outcome_
    // set) when it holds a carriage return alone: old Mac line ends, where other readers see
    // several records.
    const char* skip_record(const char* p) {
        bool quoted = false;
        for (; p < end_; ++p) {
            if (*p == '"') quoted = !quoted;
            else if (*p == '\n' && !quoted) return p + 1;
            else if (*p == '\r' && !quoted && p + 1 < end_ && p[1] != '\n') return stop(Outcome::LoneCarriageReturn);
        }
        if (quoted && last_) return stop(Outcome::NoRecordEnd);
        return last_ ? end_ : nullptr;
    }

    // Where the cell at p ends: the separator or line end after it (or end_); false for a quote.
    bool cell_end(const char*& p) const {
        const char sep = plan_.separator;
        for (; p < end_; ++p) {
            const char c = *p;
            if (c == sep || c == '\n' || c == '\r') return true;
            if (c == '"') return false;
        }
        return true;
    }

    // A skipped cell at p; p is left at its terminator. Declines a quote in an unquoted cell and a
    // quoted cell holding a quote or a line end (the caller's reader takes those).
    bool skip_cell(const char*& p) {
        if (p < end_ && *p == '"') {
            const char* q = p + 1;
            while (q < end_ && *q != '"' && *q != '\n' && *q != '\r') ++q;
            if (q == end_) {
                if (last_) return fail(Outcome::NoRecordEnd);
                p = end_;
                return true;  // runs past the text: the record waits for more
            }
            if (*q != '"') return fail(Outcome::Quote);
            p = q + 1;
            if (p < end_ && *p == '"') return fail(Outcome::Quote);  // a doubled quote inside
            return true;
        }
        return cell_end(p) || fail(Outcome::Quote);
    }

    // A number cell at p; p is left at its terminator.
    bool number_cell(const char*& p, double* out, CellKind kind) {
        const char* start = p;
        const char c = p < end_ ? *p : '\n';
        const char next = p + 1 < end_ ? p[1] : '\n';
        if (is_digit(c) || c == plan_.decimal_point || (c == '-' && (is_digit(next) || next == plan_.decimal_point))) {
            double v;
            const auto r = fast_float::from_chars_advanced(start, end_, v, options_);
            if (r.ec != std::errc() || !std::isfinite(v)) {
                p = r.ec == std::errc() ? r.ptr : start;
                if (!cell_end(p)) return fail(Outcome::Quote);
                return p == end_ && !last_ ? true : fail(Outcome::NotANumber);
            }
            p = r.ptr;
            *out = v;
            return true;
        }
        if (!cell_end(p)) return fail(Outcome::Quote);
        if (p == end_ && !last_) return true;
        if (!is_missing(start, static_cast<std::size_t>(p - start))) return fail(Outcome::NotANumber);
        if (kind == CellKind::Number) return fail(Outcome::MissingWhereFinite);
        *out = std::nan("");
        return true;
    }

    // The record at p into `row`: where the next one starts, or null (outcome_ tells why; Parsed
    // means it runs past the text).
    const char* record(const char* p, std::size_t row) {
        const char sep = plan_.separator;
        for (std::size_t c = 0;; ++c) {
            if (c >= plan_.columns) return stop(Outcome::CellCount);
            const CellKind kind = plan_.kinds[c];
            const bool ok = kind == CellKind::Skip ? skip_cell(p) : number_cell(p, plan_.outputs[c] + row, kind);
            if (!ok) return nullptr;
            if (p == end_) {
                if (!last_) return stop(Outcome::Parsed);  // the record goes on in the next text
                return c + 1 == plan_.columns ? p : stop(Outcome::CellCount);
            }
            const char t = *p;
            if (t == sep) {
                ++p;
                if (p == end_ && !last_) return stop(Outcome::Parsed);
                continue;
            }
            if (t == '"') return stop(Outcome::Quote);
            if (t == '\r') {
                if (p + 1 == end_ && !last_) return stop(Outcome::Parsed);
                if (p + 1 == end_ || p[1] != '\n') return stop(Outcome::LoneCarriageReturn);
                ++p;
            } else if (t != '\n') {
                // The number ended before its cell did ("1.5x", "1,5" without decimal commas).
                const char* rest = p;
                if (!cell_end(rest)) return stop(Outcome::Quote);
                if (rest == end_ && !last_) return stop(Outcome::Parsed);
                return stop(Outcome::NotANumber);
            }
            return c + 1 == plan_.columns ? p + 1 : stop(Outcome::CellCount);
        }
    }

    bool fail(Outcome o) {
        outcome_ = o;
        return false;
    }
    const char* stop(Outcome o) {
        outcome_ = o;
        return nullptr;
    }

    const char* begin_;
    const char* end_;
    bool last_;
    const NumberPlan& plan_;
    fast_float::parse_options options_;
    Outcome outcome_ = Outcome::Parsed;
};

}  // namespace

NumberProgress parse_numbers(const char* text, std::size_t length, bool last, bool skip_first_record, const NumberPlan& plan,
                             std::size_t first_row) {
    return Reader(text, length, last, plan).run(skip_first_record, first_row);
}

}  // namespace memshare::text

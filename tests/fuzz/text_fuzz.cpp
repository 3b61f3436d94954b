// libFuzzer target over the CSV readers of native/text: any bytes, under a plan taken from the
// input's first two bytes, parsed whole and again through windows of every kind of size (as the
// JNI caller feeds them). Besides ASan/UBSan's checks (no read or write outside the text and the
// outputs), it checks what the windowed caller relies on: where the whole text parses, the
// windows give the same rows and the same bits; and the record scan fed in pieces ends in the
// same state as fed whole.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "memshare/number_text.hpp"
#include "memshare/record_scan.hpp"

using namespace memshare::text;

namespace {

constexpr std::size_t kRows = 32;

struct Outputs {
    std::vector<CellKind> kinds;
    std::vector<std::vector<double>> values;
    std::vector<double*> pointers;
    NumberPlan plan;

    Outputs(uint8_t shape, char separator, char point) {
        const std::size_t columns = 1 + shape % 6;
        for (std::size_t c = 0; c < columns; ++c) kinds.push_back(static_cast<CellKind>((shape >> (c % 4 + 3)) % 3));
        values.assign(columns, std::vector<double>(kRows, 0.0));
        for (std::size_t c = 0; c < columns; ++c) pointers.push_back(kinds[c] == CellKind::Skip ? nullptr : values[c].data());
        plan.separator = separator;
        plan.decimal_point = point;
        plan.kinds = kinds.data();
        plan.outputs = pointers.data();
        plan.columns = columns;
        plan.rows = kRows;
    }
};

void fail(const char* what) {
    std::fprintf(stderr, "text_fuzz: %s\n", what);
    std::abort();
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const uint8_t shape = data[0], flags = data[1], window_seed = data[2];
    const char separators[] = {',', ';', '\t', ' '};
    const char separator = separators[flags % 4];
    const char point = (flags & 4) && separator != ',' ? ',' : '.';
    const bool header = (flags & 8) != 0;
    const std::string text(reinterpret_cast<const char*>(data) + 3, size - 3);

    Outputs whole(shape, separator, point);
    const NumberProgress all = parse_numbers(text.data(), text.size(), true, header, whole.plan, 0);
    if (all.outcome == Outcome::Parsed && (all.consumed != text.size() || all.rows > kRows)) fail("a whole parse left bytes or overran");

    // The same text through a window, as NumberChunk feeds it: keep the unconsumed tail, append.
    Outputs windowed(shape, separator, point);
    std::size_t window = 1 + window_seed % 64, fed = 0, rows = 0;
    bool skip = header;
    std::string buffer;
    Outcome outcome = Outcome::Parsed;
    for (;;) {
        while (buffer.size() < window && fed < text.size()) buffer += text[fed++];
        const bool last = fed == text.size();
        const NumberProgress p = parse_numbers(buffer.data(), buffer.size(), last, skip, windowed.plan, rows);
        if (p.consumed > buffer.size()) fail("consumed more than it was given");
        if (p.outcome != Outcome::Parsed) {
            outcome = p.outcome;
            break;
        }
        if (p.consumed > 0) skip = false;
        rows += p.rows;
        buffer.erase(0, p.consumed);
        if (last) break;
        if (p.consumed == 0 && buffer.size() >= window) window *= 2;
    }
    if (all.outcome == Outcome::Parsed) {
        if (outcome != Outcome::Parsed || rows != all.rows) fail("the windows disagree with the whole text");
        for (std::size_t c = 0; c < whole.plan.columns; ++c)
            if (whole.kinds[c] != CellKind::Skip)
                for (std::size_t r = 0; r < rows; ++r)
                    if (!same_bits(whole.values[c][r], windowed.values[c][r])) fail("the windows read another value");
    }

    // The record scan: whole against pieces.
    RecordScanState a, b;
    a.quoted = b.quoted = (flags & 16) != 0;
    scan_records(text.data(), text.size(), 0, a);
    for (std::size_t i = 0, step = 1 + window_seed % 13; i < text.size(); i += step)
        scan_records(text.data() + i, std::min(step, text.size() - i), i, b);
    if (a.quoted != b.quoted || a.quotes != b.quotes || a.newlines != b.newlines || a.first_end != b.first_end ||
        a.records_after != b.records_after || a.content != b.content || a.content_before != b.content_before ||
        a.lines_to_first_end != b.lines_to_first_end)
        fail("the record scan in pieces disagrees with the whole");
    return 0;
}

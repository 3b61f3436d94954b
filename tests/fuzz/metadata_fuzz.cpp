// libFuzzer target over what a view trusts least: the bytes of a metadata segment and the size
// and offset table of a data segment, both written by whoever created the segments.
//
// Input framing: byte 0 = flags (bit 0: the OS rounds segment sizes up), bytes 1-2 = metadata
// length L (little-endian, clamped to what is there), then L metadata bytes, then the data
// segment's bytes. Each part is copied into its own exactly-sized heap block, so AddressSanitizer
// catches a read one byte past either. The whole input is also decoded as metadata on its own.
//
// Properties checked besides "no crash, no UB": a failure is always Error(Corrupt); a decoded
// segment re-encodes to bytes that decode to the same variable and owner; the view path (check_data_size, then
// check_list_offsets on a data block of exactly the checked size) never reads outside it.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/metadata.hpp"

using namespace memshare;

namespace {

[[noreturn]] void fail() { __builtin_trap(); }

bool same_shape(const ArrayShape& a, const ArrayShape& b) { return a.kind == b.kind && a.nrow == b.nrow && a.ncol == b.ncol; }

// Whatever decodes must re-encode (ours with the same owner, R's as bare records) to bytes that
// decode to the same variable.
void check_round_trip(const Metadata& md) {
    const std::vector<uint8_t> again = md.owner ? encode_metadata(md.layout, *md.owner, md.state) : encode_r_records(md.layout);
    Metadata back;
    try {
        back = decode_metadata(again.data(), again.size());
    } catch (const Error&) {
        fail();
    }
    const VariableLayout &a = md.layout, &b = back.layout;
    if (a.kind != b.kind || a.type != b.type || a.elements.size() != b.elements.size()) fail();
    if (a.kind != Kind::List && !same_shape(a.array, b.array)) fail();
    for (std::size_t i = 0; i < a.elements.size(); ++i)
        if (!same_shape(a.elements[i], b.elements[i])) fail();
    if (md.owner.has_value() != back.owner.has_value() || md.state != back.state) fail();
    if (md.owner && (md.owner->pid != back.owner->pid || md.owner->start_time != back.owner->start_time ||
                     md.owner->uid != back.owner->uid || md.owner->nonce != back.owner->nonce))
        fail();
    if (a.data_bytes() != b.data_bytes()) fail();
}

void exercise(const uint8_t* md_bytes, std::size_t md_size, const uint8_t* data_bytes, std::size_t data_size,
              bool rounded) {
    const std::vector<uint8_t> md_copy(md_bytes, md_bytes + md_size);
    Metadata md;
    try {
        md = decode_metadata(md_copy.data(), md_copy.size());
    } catch (const Error& e) {
        if (e.code() != ErrorCode::Corrupt) fail();
        return;
    }
    check_round_trip(md);
    // What listings print must not trip over anything decoded.
    (void)md.layout.describe();
    if (md.layout.kind == Kind::List) (void)md.layout.element_byte_offsets();

    const std::vector<uint8_t> data(data_bytes, data_bytes + data_size);
    try {
        check_data_size(md, data.size(), rounded);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::Corrupt) fail();
        return;
    }
    try {
        check_list_offsets(md, data.data());
    } catch (const Error& e) {
        if (e.code() != ErrorCode::Corrupt) fail();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, std::size_t size) {
    if (size >= 3) {
        const bool rounded = (input[0] & 1) != 0;
        std::size_t md_len = static_cast<std::size_t>(input[1]) | (static_cast<std::size_t>(input[2]) << 8);
        if (md_len > size - 3) md_len = size - 3;
        exercise(input + 3, md_len, input + 3 + md_len, size - 3 - md_len, rounded);
    }
    // The raw input as a metadata segment alone.
    const std::vector<uint8_t> whole(input, input + size);
    try {
        (void)decode_metadata(whole.data(), whole.size());
    } catch (const Error& e) {
        if (e.code() != ErrorCode::Corrupt) fail();
    }
    return 0;
}

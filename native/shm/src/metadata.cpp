#include "memshare/metadata.hpp"

#include <cstring>
#include <string>

#include "memshare/error.hpp"

namespace memshare {

namespace {

// The format is little-endian; these helpers make that explicit instead of relying on the host.
void put_u16(std::vector<uint8_t>& out, std::size_t at, uint16_t v) {
    for (int i = 0; i < 2; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_u32(std::vector<uint8_t>& out, std::size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_u64(std::vector<uint8_t>& out, std::size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t get_u32(const uint8_t* p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
uint64_t get_u64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

int32_t type_code(Kind kind, ElementType type) {
    // Double data keeps R's codes 0/1/2; anything else gets a code R rejects as "Unknown type".
    return type == ElementType::Float64 ? static_cast<int32_t>(kind)
                                        : static_cast<int32_t>(kind) | (static_cast<int32_t>(type) << 8);
}

void put_record(std::vector<uint8_t>& out, std::size_t at, Kind kind, ElementType type, uint64_t a, uint64_t b) {
    put_u32(out, at, static_cast<uint32_t>(type_code(kind, type)));
    put_u32(out, at + 4, 0);  // padding
    put_u64(out, at + 8, a);
    put_u64(out, at + 16, b);
}

void put_array_record(std::vector<uint8_t>& out, std::size_t at, const ArrayShape& s, ElementType type) {
    if (s.kind == Kind::Matrix) put_record(out, at, Kind::Matrix, type, s.nrow, s.ncol);
    else put_record(out, at, Kind::Vector, type, s.nrow, 0);
}

// The checksum covers every byte before it, reading the publish state byte as 0.
uint64_t trailer_checksum(const uint8_t* bytes, std::size_t size) {
    std::vector<uint8_t> copy(bytes, bytes + size);
    if (size > kStateByteOffset) copy[kStateByteOffset] = 0;
    return fnv1a64(copy.data(), copy.size());
}

Error corrupt(const std::string& what) { return Error(ErrorCode::Corrupt, "corrupt metadata: " + what); }

struct Record {
    Kind kind;
    ElementType type;
    uint64_t a, b;
};

Record read_record(const uint8_t* p, std::size_t index) {
    const int32_t code = static_cast<int32_t>(get_u32(p));
    const int32_t kind = code & 0xff, type = code >> 8;
    if (code < 0 || kind > 2 || type >= kElementTypeCount || (type == 0 && code > 2))
        throw corrupt("record " + std::to_string(index) + " has unknown type code " + std::to_string(code));
    return Record{static_cast<Kind>(kind), static_cast<ElementType>(type), get_u64(p + 8), get_u64(p + 16)};
}

ArrayShape array_shape(const Record& r, std::size_t index) {
    if (r.kind == Kind::List) throw corrupt("record " + std::to_string(index) + " is a list nested in a list");
    ArrayShape s{r.kind, r.a, r.kind == Kind::Matrix ? r.b : 1};
    // Java (and R) index with signed 64-bit values: larger dimensions cannot be honest.
    if (s.nrow > static_cast<uint64_t>(INT64_MAX) || s.ncol > static_cast<uint64_t>(INT64_MAX))
        throw corrupt("record " + std::to_string(index) + " has dimension beyond 2^63");
    s.length();  // throws on overflow
    return s;
}

}  // namespace

const char* publish_state_name(PublishState s) {
    switch (s) {
        case PublishState::Published: return "published";
        case PublishState::Filling: return "filling";
    }
    return "unknown";
}

uint64_t fnv1a64(const uint8_t* bytes, std::size_t size) {
    uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
    for (std::size_t i = 0; i < size; ++i) {
        h ^= bytes[i];
        h *= 1099511628211ull;
    }
    return h;
}

std::vector<uint8_t> encode_r_records(const VariableLayout& layout) {
    if (layout.kind != Kind::List) {
        std::vector<uint8_t> out(kRecordBytes);
        put_array_record(out, 0, layout.array, layout.type);
        return out;
    }
    std::vector<uint8_t> out(kRecordBytes * (layout.elements.size() + 1));
    put_record(out, 0, Kind::List, layout.type, layout.elements.size(), layout.element_count());
    for (std::size_t i = 0; i < layout.elements.size(); ++i)
        put_array_record(out, kRecordBytes * (i + 1), layout.elements[i], layout.type);
    return out;
}

std::vector<uint8_t> encode_metadata(const VariableLayout& layout, const OwnerInfo& owner, PublishState state) {
    layout.data_bytes();  // refuse layouts whose size overflows before writing anything
    std::vector<uint8_t> out = encode_r_records(layout);
    const std::size_t t = out.size();
    out.resize(t + kTrailerBytes, 0);
    std::memcpy(&out[t], kTrailerMagic, 8);
    put_u16(out, t + 8, kFormatVersion);
    put_u16(out, t + 10, static_cast<uint16_t>(kTrailerBytes));
    out[t + 12] = static_cast<uint8_t>(layout.type);
    out[t + 13] = static_cast<uint8_t>(layout.kind);
    put_u64(out, t + 16, static_cast<uint64_t>(owner.pid));
    put_u64(out, t + 24, owner.start_time);
    put_u32(out, t + 32, owner.uid);
    put_u32(out, t + 36, owner.nonce);
    put_u64(out, t + 40, trailer_checksum(out.data(), t + 40));
    out[kStateByteOffset] = static_cast<uint8_t>(state);
    return out;
}

Metadata decode_metadata(const uint8_t* bytes, std::size_t size) {
    if (size < kRecordBytes)
        throw corrupt("segment holds " + std::to_string(size) + " bytes, less than one 24-byte record");
    Metadata md;
    // The state byte is not part of the type code: read record 0 with it cleared.
    const uint8_t state = bytes[kStateByteOffset];
    if (state >= kPublishStateCount)
        throw corrupt("record 0 has unknown type code " + std::to_string(static_cast<int32_t>(get_u32(bytes))));
    md.state = static_cast<PublishState>(state);
    uint8_t first[kRecordBytes];
    std::memcpy(first, bytes, kRecordBytes);
    first[kStateByteOffset] = 0;
    const Record head = read_record(first, 0);
    md.layout.kind = head.kind;
    md.layout.type = head.type;
    std::size_t records_end = kRecordBytes;
    if (head.kind == Kind::List) {
        // Bound the element count by what the segment can hold before trusting it.
        const uint64_t room = (size - kRecordBytes) / kRecordBytes;
        if (head.a > room)
            throw corrupt("list claims " + std::to_string(head.a) + " elements but the segment holds records for " +
                          std::to_string(room));
        for (uint64_t i = 0; i < head.a; ++i) {
            const Record r = read_record(bytes + kRecordBytes * (i + 1), i + 1);
            if (r.type != head.type)
                throw corrupt("list element " + std::to_string(i) + " is " + element_type_name(r.type) +
                              " but the list is " + element_type_name(head.type));
            md.layout.elements.push_back(array_shape(r, i + 1));
        }
        records_end += kRecordBytes * head.a;
        if (md.layout.element_count() != head.b)
            throw corrupt("list records say " + std::to_string(head.b) + " values in all but its elements hold " +
                          std::to_string(md.layout.element_count()));
    } else {
        md.layout.array = array_shape(head, 0);
    }
    md.layout.data_bytes();  // throws on overflow of the byte size

    const uint8_t* extra = bytes + records_end;
    const std::size_t extra_size = size - records_end;
    if (extra_size >= sizeof kTrailerMagic && std::memcmp(extra, kTrailerMagic, sizeof kTrailerMagic) == 0) {
        if (extra_size < kTrailerBytes)
            throw corrupt("trailer truncated to " + std::to_string(extra_size) + " of " + std::to_string(kTrailerBytes) +
                          " bytes");
        const uint16_t version = get_u16(extra + 8);
        if (version != kFormatVersion)
            throw corrupt("format version " + std::to_string(version) + " is not supported (this build reads " +
                          std::to_string(kFormatVersion) + ")");
        if (get_u16(extra + 10) != kTrailerBytes) throw corrupt("trailer size field is " + std::to_string(get_u16(extra + 10)));
        if (get_u16(extra + 14) != 0) throw corrupt("trailer reserved field is " + std::to_string(get_u16(extra + 14)) + ", not 0");
        if (extra[12] != static_cast<uint8_t>(head.type) || extra[13] != static_cast<uint8_t>(head.kind))
            throw corrupt("trailer says element type " + std::to_string(extra[12]) + ", kind " + std::to_string(extra[13]) +
                          " but the records say " + element_type_name(head.type) + " " + kind_name(head.kind));
        const uint64_t stored = get_u64(extra + 40), computed = trailer_checksum(bytes, records_end + 40);
        if (stored != computed) throw corrupt("checksum mismatch (stored " + std::to_string(stored) + ", computed " +
                                              std::to_string(computed) + ")");
        // Zero padding (page rounding) may follow the trailer; anything else is not ours.
        for (std::size_t i = kTrailerBytes; i < extra_size; ++i)
            if (extra[i] != 0) throw corrupt("unrecognised bytes after the trailer");
        md.format_version = version;
        md.owner = OwnerInfo{static_cast<int64_t>(get_u64(extra + 16)), get_u64(extra + 24), get_u32(extra + 32),
                             get_u32(extra + 36)};
    } else {
        // No trailer: an R-written segment (double data only). Platforms that round segments up to
        // pages add zero bytes, which are fine; anything else is not ours and not R's.
        for (std::size_t i = 0; i < extra_size; ++i)
            if (extra[i] != 0) throw corrupt("unrecognised bytes after the records (no valid trailer)");
        if (head.type != ElementType::Float64) throw corrupt("non-double type code without a trailer");
        if (md.state != PublishState::Published)
            throw corrupt("record 0 has unknown type code " + std::to_string(static_cast<int32_t>(get_u32(bytes))) +
                          " (a publish state without our trailer)");
    }
    md.fingerprint = fnv1a64(bytes, size);
    return md;
}

void check_data_size(const Metadata& md, uint64_t size, bool size_may_be_rounded) {
    const uint64_t expected = md.layout.data_bytes();
    if (size < expected || (size != expected && !size_may_be_rounded))
        throw Error(ErrorCode::Corrupt, "data segment holds " + std::to_string(size) + " bytes but the metadata (" +
                                            md.layout.describe() + ") needs " + std::to_string(expected));
}

void check_list_offsets(const Metadata& md, const uint8_t* data) {
    if (md.layout.kind != Kind::List) return;
    // The offset table must say exactly where the packed elements are (in values, R's convention).
    uint64_t at = 0;
    for (std::size_t i = 0; i < md.layout.elements.size(); ++i) {
        const uint64_t offset = get_u64(data + 8 * i);
        if (offset != at)
            throw Error(ErrorCode::Corrupt, "list offset " + std::to_string(i) + " is " + std::to_string(offset) +
                                                " but the element sizes put it at " + std::to_string(at));
        at += md.layout.elements[i].length();
    }
}

}  // namespace memshare

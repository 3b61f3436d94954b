// Test helpers that build metadata bytes by hand, independently of the encoder under test:
// little-endian writers for the 24-byte R record (docs/FORMAT.md) and the 48-byte trailer
// (metadata.hpp), and a reference FNV-1a 64 implementation.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace memshare_test {

using Bytes = std::vector<uint8_t>;

inline void append_le(Bytes& out, uint64_t v, int width) {
    for (int i = 0; i < width; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// One R metadata record: int32 type, 4 bytes zero padding, uint64 a, uint64 b.
inline Bytes record(int32_t type, uint64_t a, uint64_t b) {
    Bytes out;
    append_le(out, static_cast<uint32_t>(type), 4);
    append_le(out, 0, 4);
    append_le(out, a, 8);
    append_le(out, b, 8);
    return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Reference FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
inline uint64_t ref_fnv1a64(const uint8_t* p, std::size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

struct TrailerFields {
    uint16_t version = 1;
    uint16_t size = 48;
    uint8_t type = 0;
    uint8_t kind = 0;
    int64_t pid = 0;
    uint64_t start_time = 0;
    uint32_t uid = 0;
};

// Appends a trailer to `records` with a checksum over everything before the checksum field.
inline Bytes with_trailer(const Bytes& records, const TrailerFields& f) {
    Bytes out = records;
    const char magic[8] = {'M', 'E', 'M', 'S', 'H', 'R', 'J', '1'};
    out.insert(out.end(), magic, magic + 8);
    append_le(out, f.version, 2);
    append_le(out, f.size, 2);
    out.push_back(f.type);
    out.push_back(f.kind);
    append_le(out, 0, 2);
    append_le(out, static_cast<uint64_t>(f.pid), 8);
    append_le(out, f.start_time, 8);
    append_le(out, f.uid, 4);
    append_le(out, 0, 4);
    append_le(out, ref_fnv1a64(out.data(), out.size()), 8);
    return out;
}

// Recomputes the checksum of an encoded segment whose trailer starts at `trailer_at`.
inline void reseal(Bytes& md, std::size_t trailer_at) {
    const uint64_t h = ref_fnv1a64(md.data(), trailer_at + 40);
    for (int i = 0; i < 8; ++i) md[trailer_at + 40 + i] = static_cast<uint8_t>(h >> (8 * i));
}

inline uint64_t read_le(const uint8_t* p, int width) {
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

inline Bytes doubles_le(std::initializer_list<double> values) {
    Bytes out;
    for (double d : values) {
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        append_le(out, bits, 8);
    }
    return out;
}

}  // namespace memshare_test

// The metadata segment codec. Byte layout (little-endian), compatible with R memshare:
//
//   record   = int32 type, 4 bytes padding, uint64 a, uint64 b                (24 bytes)
//     type 0 MATRIX: a = nrow, b = ncol;  1 VECTOR: a = n, b = 0;
//          2 LIST:   a = n_elements, b = total values; followed by one record per element.
//   Non-double data is written with type = kind | (element_type << 8) (>= 256), so R, which
//   knows only 0/1/2, stops with "Unknown type" instead of misreading it.
//   Byte 2 of the first record (type bits 16..23) is the publish state: 0 published; 1 filling
//   makes the code >= 65536, which R refuses the same way. Only segments with a trailer carry a
//   nonzero state; the checksum reads the state byte as 0, so the owner publishes with a
//   one-byte write that no reader can see half done.
//
//   trailer  = our own 48 bytes after the R records, ignored by R:
//     0  char[8] magic "MEMSHRJ1"     8 uint16 format version    10 uint16 trailer size (48)
//     12 uint8 element type          13 uint8 kind               14 uint16 reserved (0)
//     16 int64 owner pid             24 uint64 owner start time (OS-specific ticks)
//     32 uint32 creator uid          36 uint32 registration nonce (random per registration)
//     40 uint64 FNV-1a 64 checksum of every metadata byte before it
//
// Segments without a trailer (written by R) are accepted as double data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "memshare/layout.hpp"

namespace memshare {

constexpr std::size_t kRecordBytes = 24;
constexpr std::size_t kTrailerBytes = 48;
constexpr uint16_t kFormatVersion = 1;
constexpr char kTrailerMagic[8] = {'M', 'E', 'M', 'S', 'H', 'R', 'J', '1'};

// Where a variable is in its life, as its metadata segment says. The metadata segment is created
// first, already naming its owner, so every byte memshare puts in the shared-memory directory has
// an owner record from the moment it exists (docs/FORMAT.md §5).
enum class PublishState : uint8_t {
    Published = 0,  // data complete: views attach
    Filling = 1,    // created, data being written: views refuse, a sweep judges the owner
};
constexpr int kPublishStateCount = 2;  // the JNI contract (native/jni/contract.hpp) lists this many
constexpr std::size_t kStateByteOffset = 2;  // in the metadata segment (record 0's type code, bits 16..23)
const char* publish_state_name(PublishState s);  // "published", "filling"

// Who created a segment: enough to tell later whether that process is still alive even if its
// pid has been reused (start time), and which user made it.
struct OwnerInfo {
    int64_t pid = 0;
    uint64_t start_time = 0;
    uint32_t uid = 0;
    // Tells two registrations of one name by one process apart where the OS gives segments no
    // identity (macOS and Windows report no inode).
    uint32_t nonce = 0;
};

struct Metadata {
    VariableLayout layout;
    std::optional<OwnerInfo> owner;  // absent for segments written by R (no trailer)
    uint16_t format_version = 0;     // 0 when there is no trailer
    uint64_t fingerprint = 0;        // FNV-1a 64 of the whole segment: same registration, same value
    PublishState state = PublishState::Published;
};

std::vector<uint8_t> encode_metadata(const VariableLayout& layout, const OwnerInfo& owner,
                                     PublishState state = PublishState::Published);

// Encodes only the R records, exactly as R memshare writes them (used by interop tests).
std::vector<uint8_t> encode_r_records(const VariableLayout& layout);

// Decodes and checks a metadata segment's bytes. Throws Error(Corrupt) with a message naming
// what is wrong (too short, unknown type code, overflowing dimensions, bad checksum, trailer
// that disagrees with the records, ...). Never reads outside [bytes, bytes + size).
Metadata decode_metadata(const uint8_t* bytes, std::size_t size);

// Checks a data segment's real size against decoded metadata: exactly layout.data_bytes(), or
// at least that where the OS rounds segment sizes up to pages. Call before mapping the data.
// Throws Error(Corrupt).
void check_data_size(const Metadata& md, uint64_t actual_size, bool size_may_be_rounded);

// Checks that a list's offset table is the cumulative element sizes (in values, R's
// convention). `data` must hold at least md.layout.data_bytes() bytes. Throws Error(Corrupt).
void check_list_offsets(const Metadata& md, const uint8_t* data);

uint64_t fnv1a64(const uint8_t* bytes, std::size_t size);

}  // namespace memshare

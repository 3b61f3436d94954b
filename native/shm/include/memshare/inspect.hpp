// Looking at what is in the shared-memory directory, whoever put it there: listing variables
// (`memshare ls`), inspecting one (`memshare inspect`), and sweeping away the segments of owners
// that died without releasing them (`memshare sweep`). Every metadata segment is read through the
// same validated path as a view; nothing here maps a segment writable or writes to one.
//
// Enumeration needs a directory of shared-memory objects: /dev/shm on Linux; on macOS (and in
// the portable flavour), which cannot list POSIX shm objects, the per-user index directory
// memshare keeps (docs/FORMAT.md §8). On Windows the lists are empty: it frees a mapping with its
// last handle, so a dead owner leaves nothing to sweep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/lock.hpp"
#include "memshare/metadata.hpp"
#include "memshare/naming.hpp"
#include "memshare/platform.hpp"

namespace memshare {

enum class OwnerState : uint8_t {
    Alive = 0,    // the process named in the trailer runs (same pid and start time)
    Dead = 1,     // no such process, a zombie, or a different process under a reused pid
    Unknown = 2,  // no trailer (R-written), no readable metadata, or no metadata segment
};
constexpr int kOwnerStateCount = 3;  // the JNI contract (native/jni/contract.hpp) lists this many
const char* owner_state_name(OwnerState s);  // "alive", "dead", "unknown"

// The segments of one variable as found in the directory.
struct SegmentScan {
    std::string ns, var;
    SegmentNames names;
    bool has_data = false;
    bool has_metadata = false;
    SegmentStat data_stat;      // when has_data and it could be opened
    SegmentStat metadata_stat;  // when has_metadata and it could be opened
    bool data_stat_known = false;
    bool metadata_stat_known = false;
    std::optional<Metadata> metadata;  // decoded and validated
    OwnerState owner_state = OwnerState::Unknown;
    // Set when a name is not a shared-memory segment at all (a FIFO, directory, socket, device
    // node or symbolic link someone put there): what it is. Such names are never opened further.
    std::string not_a_segment;
    // Empty when everything checked is valid; else why not (corrupt, unreadable, missing part).
    std::string problem;
    ErrorCode problem_code = ErrorCode::Corrupt;
    // An interprocess lock (lock.hpp) rather than a variable: a lone segment "<ns>.lock.<name>"
    // (var "lock.<name>") with a valid lock header. Its owner state is its creator's.
    std::optional<LockHeader> lock;
    bool valid() const { return problem.empty(); }
};

// Every variable in the directory, or those of namespace `ns`, sorted by (namespace, variable).
// Names are grouped by R's naming, "<ns>.<var>" and "<ns>.md.<var>". Lone data segments are
// reported too (without a namespace, every dotted name "a.b" but glibc's "sem.*" semaphores,
// as namespace "a"), so that nothing memshare or R could have left is invisible. Metadata is
// decoded and checked against the data segment's size; data is not mapped. No name, whatever
// kind of file it is, can make this block: opens are non-blocking and refuse non-regular files.
std::vector<SegmentScan> scan_segments(const std::optional<std::string>& ns = std::nullopt);

// One variable, validated as a view would be: metadata decoded, data size checked, and a list's
// offset table read through a read-only mapping. Never throws for what it finds (that is reported
// in `problem`); throws Error(InvalidName) for a bad name.
SegmentScan inspect_segment(const std::string& ns, const std::string& var);

enum class SweepAction : uint8_t {
    Removed = 0,       // owner dead: both names removed
    WouldRemove = 1,   // dry run: would have been removed
    LiveOwner = 2,     // kept: the owner runs, or some process maps the data segment writable
    OtherUser = 3,     // kept: another user's segment (by file owner or by trailer)
    UnknownOwner = 4,  // kept: no trailer (R's), unreadable or corrupt metadata, no metadata segment
                       // and nobody filling the data
    Failed = 5,        // owner dead but removing failed (the reason says why)
};
constexpr int kSweepActionCount = 6;  // the JNI contract (native/jni/contract.hpp) lists this many
const char* sweep_action_name(SweepAction a);

struct SweepEntry {
    SegmentScan scan;
    SweepAction action = SweepAction::UnknownOwner;
    std::string reason;
    std::vector<std::string> removed;  // names actually removed
};

struct SweepOptions {
    std::optional<std::string> ns;  // all namespaces when empty
    bool dry_run = false;
};

// Finds crash orphans, segments whose trailer names an owner process that is no longer running,
// that belong to this user, and removes both their names, the data first and the metadata (the
// owner record) last, whether the page was published or still being filled (views still open
// elsewhere keep reading: the memory lives until the last mapping goes). Never removes a live
// owner's segment, another user's, one without our trailer (R's), or anything that is not a
// regular file. A name is only removed while it still refers to the object examined, and a
// data segment some live process maps writable is kept.
std::vector<SweepEntry> sweep(const SweepOptions& options = {});

}  // namespace memshare

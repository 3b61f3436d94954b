// A crash-robust interprocess lock that lives in shared memory under a namespace name
// (docs/LOCKS.md for users, docs/FORMAT.md §7 for the bytes, docs/LIFECYCLE.md for who removes it).
//
// POSIX: one segment "<ns>.lock.<name>" holding a header, a 64-bit value guarded by the lock, a
// 64-bit atomic counter, and (Linux) a pthread mutex that is process-shared and robust: a holder
// killed with kill -9 hands the next locker "owner died" instead of a deadlock; macOS and the
// portable flavour use an flock on a lock file instead (lock_posix.cpp). Windows: the same
// segment without the mutex, beside a named mutex "<segment>.mutex" (WAIT_ABANDONED is the
// owner-died signal). Both mutexes belong to the OS thread that locked them: the thread that
// locks must be the thread that unlocks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memshare/naming.hpp"
#include "memshare/platform.hpp"

namespace memshare {

// The infix of a lock segment's name: "<ns>.lock.<name>". A variable named "lock.<name>" would
// get the same data name; whichever comes second is refused (exclusive create, and a lock
// validates its header before use), never silently shared.
inline constexpr std::string_view kLockInfix = ".lock.";

struct LockNames {
    std::string segment;  // "rns.lock.L" (POSIX), "Local\\rns.lock.L" (Windows)
    std::string mutex;    // Windows only: "Local\\rns.lock.L.mutex"; empty elsewhere
};
// Throws Error(InvalidName) as segment_names does: empty parts, '/', '\' or NUL, too long.
LockNames lock_names(std::string_view ns, std::string_view name, Platform p = host_platform());

// The outcome of a lock attempt. Crosses JNI (native/jni/contract.hpp checks the Java copy).
enum class LockOutcome : uint8_t {
    Acquired = 0,   // the caller holds the lock
    OwnerDied = 1,  // the caller holds the lock; the previous holder died holding it, so what the
                    // lock guards may be half-updated. The lock itself is already usable again.
    Busy = 2,       // not acquired: the timeout passed (lock) or another thread holds it (try_lock)
};
constexpr int kLockOutcomeCount = 3;

// The segment's header (docs/FORMAT.md §7), as inspect and the sweep read it.
struct LockHeader {
    bool ready = false;        // initialised (the creator publishes this last)
    int64_t creator_pid = 0;
    uint64_t creator_start_time = 0;
    uint32_t creator_uid = 0;
    int64_t holder_pid = 0;    // the process holding it now (or that died holding it); 0 if free
    int64_t value = 0;
    int64_t counter = 0;
};
inline constexpr uint64_t kLockSegmentBytes = 256;
// Decodes and validates a lock segment's bytes; throws Error(Corrupt) saying what is wrong.
LockHeader decode_lock_header(const uint8_t* bytes, uint64_t size);
// True when `bytes` start with the lock magic (a lock segment, valid or not).
bool has_lock_magic(const uint8_t* bytes, uint64_t size);

class InterprocessLock {
public:
    // Opens the lock `name` of namespace `ns`, creating it (permission bits `mode`) if it does not
    // exist. Race-free: exactly one process creates it; the others wait (boundedly) until the
    // creator has initialised the mutex, and never use it before. Throws Error(Corrupt) for a
    // segment under that name that is not a valid lock (a variable "lock.<name>", a FIFO...),
    // Error(PermissionDenied) for another user's.
    static std::unique_ptr<InterprocessLock> open(const std::string& ns, const std::string& name, uint32_t mode = 0600);
    ~InterprocessLock();
    InterprocessLock(const InterprocessLock&) = delete;
    InterprocessLock& operator=(const InterprocessLock&) = delete;

    // Waits at most `timeout_ns` (negative: forever) for the lock. Throws Error(InvalidArgument)
    // if this thread holds it already (not reentrant).
    LockOutcome lock(int64_t timeout_ns);
    // Takes the lock if it is free; Busy otherwise.
    LockOutcome try_lock();
    // Throws Error(InvalidArgument) if this thread does not hold it.
    void unlock();

    // The 64-bit value the lock guards: plain loads and stores, meant to be used while holding
    // the lock (a read-modify-write of it is only exact under the lock).
    int64_t value() const;
    void set_value(int64_t v);
    // The 64-bit counter: an atomic add, no lock needed. Returns the new value.
    int64_t add(int64_t delta);

    // Closes this handle, and removes the segment if no other process has it open and nobody
    // holds it (POSIX: decided by an exclusive flock on the use file, docs/LOCKS.md; on Windows
    // the name goes with its last handle).
    // Returns whether it removed it. The destructor only closes.
    bool close_and_remove_if_unused();

    const std::string& segment_name() const;

    // Whether the OS hands a dead holder's lock on (OwnerDied). True on Linux, macOS (flock) and
    // Windows; false where robust futexes are missing under the Linux lock (qemu-user, whose
    // set_robust_list is ENOSYS): there the lock still excludes, but a holder that dies leaves it locked.
    static bool detects_dead_owners();

    struct Impl;

private:
    explicit InterprocessLock(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// What a sweep does with a lock segment: removes it when no process has it open (POSIX: the
// exclusive flock of its use file, which every open handle holds shared, is free; docs/LOCKS.md)
// and nobody holds it. Returns the pid of a process that has it open or holds it (-1 when it is
// open but the holder is unknown; kept), or 0 when removed (dry_run: would be removed); nullopt
// when it was already gone or replaced.
std::optional<int64_t> remove_lock_if_unused(const std::string& segment, const SegmentStat& seen, bool dry_run = false);

}  // namespace memshare

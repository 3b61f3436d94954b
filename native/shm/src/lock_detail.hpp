// Private to the shared-memory core: the state of an open lock, and the few operations that differ
// between the POSIX locks (lock_posix.cpp: a robust mutex on Linux, an flock on macOS and in the
// portable flavour) and the Windows named mutex (lock_win32.cpp).
// Everything else about locks (names, the header, race-free opening, removal) is in lock.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "memshare/lock.hpp"
#include "memshare/platform.hpp"

namespace memshare {

// One mapping of a lock segment. A handle normally has one; it makes another when the name comes
// to refer to a new segment (the old one was removed while unused, see lock.cpp), and keeps the
// old one mapped until the handle is destroyed, since other threads may still be using it.
struct LockMapping {
    std::shared_ptr<MappedRegion> region;  // kLockSegmentBytes, read-write
    uint64_t dev = 0, ino = 0;             // identity of the segment (POSIX), to notice a removal
    // POSIX: the descriptor of the use file (lock_detail::use_path) on which this mapping holds a
    // shared flock as long as it exists; a remover needs the exclusive one. -1 on Windows.
    int use_fd = -1;
    uint8_t* data() const { return region->data(); }
    LockMapping() = default;
    LockMapping(const LockMapping&) = delete;
    LockMapping& operator=(const LockMapping&) = delete;
    ~LockMapping();
};

inline uint64_t next_serial() {
    static std::atomic<uint64_t> last{0};
    return ++last;
}

struct InterprocessLock::Impl {
    LockNames names;
    std::string path;  // Linux: "/dev/shm/<segment>", for the identity check
    uint32_t mode = 0600;
    std::mutex attach_mutex;                        // serialises (re)attaching
    std::vector<std::unique_ptr<LockMapping>> mappings;  // all of them, the current one last
    std::atomic<LockMapping*> current{nullptr};
    intptr_t mutex = 0;                             // Windows: the named mutex HANDLE
    std::atomic<unsigned long> holder_thread{0};    // Windows: the thread holding it (its mutex is recursive; ours is not)
    // flock lock: which handle a thread's hold belongs to (an address may be reused by a new handle
    // while a destroyed one's hold lasts until its thread ends).
    uint64_t serial = next_serial();
    std::mutex spare_mutex;                         // flock lock: descriptors of the lock file not holding it now
    std::vector<int> spare_fds;
};

namespace lock_detail {

// Header field offsets (docs/FORMAT.md §7).
constexpr uint64_t kReadyAt = 12, kCreatorPidAt = 16, kCreatorStartAt = 24, kCreatorUidAt = 32, kMutexBytesAt = 36,
                   kHolderAt = 40, kValueAt = 48, kCounterAt = 56, kOwnerDiedAt = 64, kMutexAt = 72;

// The mutex bytes this build keeps in the segment (sizeof(pthread_mutex_t); 0 on Windows).
uint32_t mutex_bytes();
// Initialises the mutex of a segment this process has just created, before it is marked ready.
void init_mutex(const InterprocessLock::Impl& lock, LockMapping& m);
// Whether the mutex bytes at `mutex` are of the kind init_mutex makes (glibc: __data.__kind; true
// where that cannot be checked, and on Windows, whose mutex is not in the segment).
bool mutex_kind_is_ours(const uint8_t* mutex);
// Opens what the segment does not hold (Windows: the named mutex); closes it again.
void open_mutex(InterprocessLock::Impl& lock);
void close_mutex(InterprocessLock::Impl& lock) noexcept;
// Acquires: waits up to timeout_ns (negative: forever; 0 with try_only: do not wait).
LockOutcome acquire(InterprocessLock::Impl& lock, LockMapping& m, int64_t timeout_ns, bool try_only);
void release(InterprocessLock::Impl& lock, LockMapping& m);
// Whether the lock's name still refers to the segment `m` maps (Linux: stat of the name;
// elsewhere names are never removed while open, so always true). Checked after every
// acquisition: a lock removed by the sweep or a last closer must not be mistaken for the one
// other processes now create under the name.
bool name_still_ours(const InterprocessLock::Impl& lock, const LockMapping& m);
bool detects_dead_owners();

// The use file of lock segment `segment` (POSIX): every open handle holds a shared flock on it,
// a remover takes an exclusive one without waiting, so nobody removes a lock another process has
// open. Linux: the segment's own file in /dev/shm; macOS and the portable flavour: its entry in
// the index directory, which a handle creates and locks before it opens the segment
// (use_file_first). Empty on Windows (a mapping goes with its last handle).
std::string use_path(const std::string& segment);
bool use_file_first();
// Removes what a lock has beside its segment and index entry (the flock lock's lock file).
void remove_lock_files(const std::string& segment) noexcept;

}  // namespace lock_detail
}  // namespace memshare

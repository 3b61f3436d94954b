// POSIX half of the interprocess lock: a pthread mutex in the segment, process-shared (it works
// across processes that map it) and robust (a holder that dies holding it hands the next locker
// EOWNERDEAD instead of a deadlock), of the error-checking type (a relock by the holder or an
// unlock by another thread is an error, not a deadlock or undefined behaviour). Linux only:
// macOS has no robust mutexes, so there a lock is an error.
#if !defined(_WIN32)

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#if defined(__linux__)
#include <sys/syscall.h>  // SYS_get_robust_list (Linux only; macOS has no such header)
#endif
#include <unistd.h>
#include <time.h>

#include <cstddef>
#include <cstring>

#include "lock_detail.hpp"
#include "memshare/error.hpp"

namespace memshare::lock_detail {

namespace {

pthread_mutex_t* mutex_of(const LockMapping& m) {
    return reinterpret_cast<pthread_mutex_t*>(m.data() + kMutexAt);
}

static_assert(kMutexAt + sizeof(pthread_mutex_t) <= kLockSegmentBytes, "the mutex must fit the lock segment");

[[noreturn]] void fail(const InterprocessLock::Impl& l, const std::string& what, int rc) {
    throw os_error(what + " lock '" + l.names.segment + "'", rc);
}

}  // namespace

uint32_t mutex_bytes() { return static_cast<uint32_t>(sizeof(pthread_mutex_t)); }

#if defined(__linux__)
namespace {
// Initialises `m` process-shared, robust and error-checking; returns pthread's error code.
int init_ours(pthread_mutex_t* m) {
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc == 0) rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (rc == 0) rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (rc == 0) rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    if (rc == 0) rc = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc;
}
}  // namespace
#endif

void init_mutex(const InterprocessLock::Impl& l, LockMapping& mapping) {
#if defined(__linux__)
    const int rc = init_ours(mutex_of(mapping));
    if (rc != 0) fail(l, "cannot initialise", rc);
#else
    throw Error(ErrorCode::InvalidArgument, "interprocess locks need robust mutexes, which this platform lacks");
#endif
}

bool mutex_kind_is_ours(const uint8_t* mutex) {
#if defined(__GLIBC__)
    // glibc keeps the mutex's type and flags (robust, process-shared, priority inheritance or
    // protection) in __data.__kind and never changes them after init. Any other kind is not a
    // mutex we made, and some (priority inheritance with a made-up owner) make glibc abort().
    static const int ours = [] {
        pthread_mutex_t fresh;
        return init_ours(&fresh) == 0 ? fresh.__data.__kind : -1;
    }();
    int kind;
    std::memcpy(&kind, mutex + offsetof(pthread_mutex_t, __data.__kind), sizeof kind);
    return kind == ours;
#else
    (void)mutex;
    return true;
#endif
}

void open_mutex(InterprocessLock::Impl&) {}
void close_mutex(InterprocessLock::Impl&) noexcept {}

LockOutcome acquire(InterprocessLock::Impl& l, LockMapping& mapping, int64_t timeout_ns, bool try_only) {
#if defined(__linux__)
    pthread_mutex_t* m = mutex_of(mapping);
    // Checked at every acquisition, not only at open: the segment is writable by every process of the user.
    if (!mutex_kind_is_ours(mapping.data() + kMutexAt))
        throw Error(ErrorCode::Corrupt, "lock '" + l.names.segment + "' holds a mutex of another kind than memshare creates (damaged?)");
    int rc;
    if (try_only) {
        rc = pthread_mutex_trylock(m);
    } else if (timeout_ns < 0) {
        rc = pthread_mutex_lock(m);
    } else {
        // CLOCK_MONOTONIC: a change of the wall clock neither shortens nor stretches the wait.
        timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += static_cast<time_t>(timeout_ns / 1000000000);
        deadline.tv_nsec += static_cast<long>(timeout_ns % 1000000000);
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000;
        }
        rc = pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &deadline);
    }
    switch (rc) {
        case 0: return LockOutcome::Acquired;
        case EOWNERDEAD:
            // We hold it now. Mark it consistent at once, so that the lock keeps working whatever
            // the caller does next; the caller learns that the guarded state may be inconsistent.
            rc = pthread_mutex_consistent(m);
            if (rc != 0) fail(l, "cannot recover", rc);
            return LockOutcome::OwnerDied;
        case EBUSY:
        case ETIMEDOUT: return LockOutcome::Busy;
        case EDEADLK: throw Error(ErrorCode::InvalidArgument, "this thread holds lock '" + l.names.segment + "' already (locks are not reentrant)");
        case ENOTRECOVERABLE:
            throw Error(ErrorCode::Corrupt, "lock '" + l.names.segment +
                                                "' is not recoverable: a holder that found its previous owner dead released "
                                                "it without marking it consistent (not memshare: memshare always does)",
                        rc);
        default: fail(l, "cannot acquire", rc);
    }
#else
    (void)l, (void)mapping, (void)timeout_ns, (void)try_only;
    throw Error(ErrorCode::InvalidArgument, "interprocess locks need robust mutexes, which this platform lacks");
#endif
}

void release(InterprocessLock::Impl& l, LockMapping& mapping) {
#if defined(__linux__)
    const int rc = pthread_mutex_unlock(mutex_of(mapping));
    if (rc == EPERM) throw Error(ErrorCode::InvalidArgument, "this thread does not hold lock '" + l.names.segment + "'");
    if (rc != 0) fail(l, "cannot release", rc);
#else
    (void)l, (void)mapping;
#endif
}

bool name_still_ours(const InterprocessLock::Impl& l, const LockMapping& m) {
#if defined(__linux__)
    struct stat st;
    if (::stat(l.path.c_str(), &st) != 0) return false;
    return static_cast<uint64_t>(st.st_dev) == m.dev && static_cast<uint64_t>(st.st_ino) == m.ino;
#else
    (void)l, (void)m;
    return true;
#endif
}

bool detects_dead_owners() {
#if defined(__linux__)
    // glibc registers every thread's robust list with the kernel; an emulator that cannot walk it
    // (qemu-user) answers ENOSYS, and glibc then quietly runs robust mutexes as plain ones.
    void* head = nullptr;
    size_t len = 0;
    return syscall(SYS_get_robust_list, 0, &head, &len) == 0;
#else
    return false;
#endif
}

}  // namespace memshare::lock_detail

#endif  // !_WIN32

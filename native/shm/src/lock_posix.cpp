// POSIX half of the interprocess lock, in two kinds (posix_flavour.hpp picks one per build):
//
// Linux: a pthread mutex in the segment, process-shared (it works across processes that map it)
// and robust (a holder that dies holding it hands the next locker EOWNERDEAD instead of a
// deadlock), of the error-checking type (a relock by the holder or an unlock by another thread is
// an error, not a deadlock or undefined behaviour). Proven by 1,000,000 exact increments and the
// kill -9 tests.
//
// macOS (no robust mutexes) and the portable flavour: an exclusive flock on a lock file in the
// index directory, ".locks/<segment>". The kernel drops an flock when its descriptor's last holder
// closes, so a holder killed with kill -9 frees it; the segment's holder word, set by every holder
// and cleared by every clean unlock, tells the next holder that the previous one died holding it.
// Each acquisition holds its own open file description (flock conflicts between descriptions,
// threads of one process included); a thread that ends holding one closes it, as a robust mutex
// is handed on when its thread ends.
//
// Both kinds: every open handle holds a shared flock on the lock's use file (use_path), and a
// remover takes the exclusive one without waiting (docs/LOCKS.md, "Removal").
#if !defined(_WIN32)

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#if defined(__linux__)
#include <sys/syscall.h>  // SYS_get_robust_list (Linux only; macOS has no such header)
#endif
#include <unistd.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

#include "lock_detail.hpp"
#include "memshare/error.hpp"
#include "posix_flavour.hpp"

namespace memshare {
LockMapping::~LockMapping() {
    if (use_fd >= 0) close(use_fd);  // drops this mapping's shared flock on the use file
}
}  // namespace memshare

namespace memshare::lock_detail {

namespace {

[[noreturn]] void fail(const InterprocessLock::Impl& l, const std::string& what, int rc) {
    throw os_error(what + " lock '" + l.names.segment + "'", rc);
}

}  // namespace

#if MEMSHARE_LINUX_EXTRAS
// ---- Linux: the robust mutex ------------------------------------------------------------------
namespace {

pthread_mutex_t* mutex_of(const LockMapping& m) {
    return reinterpret_cast<pthread_mutex_t*>(m.data() + kMutexAt);
}

static_assert(kMutexAt + sizeof(pthread_mutex_t) <= kLockSegmentBytes, "the mutex must fit the lock segment");

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

uint32_t mutex_bytes() { return static_cast<uint32_t>(sizeof(pthread_mutex_t)); }

void init_mutex(const InterprocessLock::Impl& l, LockMapping& mapping) {
    const int rc = init_ours(mutex_of(mapping));
    if (rc != 0) fail(l, "cannot initialise", rc);
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
}

void release(InterprocessLock::Impl& l, LockMapping& mapping) {
    const int rc = pthread_mutex_unlock(mutex_of(mapping));
    if (rc == EPERM) throw Error(ErrorCode::InvalidArgument, "this thread does not hold lock '" + l.names.segment + "'");
    if (rc != 0) fail(l, "cannot release", rc);
}

bool detects_dead_owners() {
    // glibc registers every thread's robust list with the kernel; an emulator that cannot walk it
    // (qemu-user) answers ENOSYS, and glibc then quietly runs robust mutexes as plain ones.
    void* head = nullptr;
    size_t len = 0;
    return syscall(SYS_get_robust_list, 0, &head, &len) == 0;
}

std::string use_path(const std::string& segment) { return "/dev/shm/" + segment; }
bool use_file_first() { return false; }
void remove_lock_files(const std::string&) noexcept {}

#else
// ---- macOS and the portable flavour: the flock lock -------------------------------------------
namespace {

std::string lock_file_of(const std::string& segment) {
    const std::string dir = posix_index::directory() + "/.locks";
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw os_error("cannot create " + dir, errno);
    return dir + "/" + segment;
}

// The descriptions the threads of this process hold a lock through, one per (handle, thread). A
// thread that ends holding one closes it: the kernel frees the flock, and the holder word left
// set tells the next holder that its owner is gone.
struct Held {
    uint64_t lock;  // Impl::serial
    int fd;
};
struct HeldByThread {
    std::vector<Held> held;
    ~HeldByThread() {
        for (const Held& h : held) close(h.fd);
    }
};
thread_local HeldByThread t_fds;

int take_fd(InterprocessLock::Impl& l) {
    {
        std::lock_guard<std::mutex> guard(l.spare_mutex);
        if (!l.spare_fds.empty()) {
            const int fd = l.spare_fds.back();
            l.spare_fds.pop_back();
            return fd;
        }
    }
    const std::string path = lock_file_of(l.names.segment);
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0) fail(l, "cannot open the lock file of", errno);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        close(fd);
        throw Error(ErrorCode::Corrupt, path + " is not a lock file of this user: remove it by hand");
    }
    return fd;
}

void give_back(InterprocessLock::Impl& l, int fd) {
    std::lock_guard<std::mutex> guard(l.spare_mutex);
    try {
        l.spare_fds.push_back(fd);
    } catch (...) {
        close(fd);
    }
}

// flock has no timeout: a bounded wait polls, from 50 us up to 2 ms between attempts.
bool flock_within(int fd, int64_t timeout_ns, bool try_only) {
    if (!try_only && timeout_ns < 0) {
        while (flock(fd, LOCK_EX) != 0)
            if (errno != EINTR) return false;
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(std::max<int64_t>(0, timeout_ns));
    auto pause = std::chrono::microseconds(50);
    while (true) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
        if (errno != EWOULDBLOCK && errno != EINTR) return false;
        const auto now = std::chrono::steady_clock::now();
        if (try_only || now >= deadline) {
            errno = EWOULDBLOCK;
            return false;
        }
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::microseconds(2000));
    }
}

}  // namespace

uint32_t mutex_bytes() { return 0; }  // no mutex in the segment: the lock file is the mutex
void init_mutex(const InterprocessLock::Impl&, LockMapping&) {}
bool mutex_kind_is_ours(const uint8_t*) { return true; }
void open_mutex(InterprocessLock::Impl&) {}

void close_mutex(InterprocessLock::Impl& l) noexcept {
    std::lock_guard<std::mutex> guard(l.spare_mutex);
    for (int fd : l.spare_fds) close(fd);
    l.spare_fds.clear();
}

LockOutcome acquire(InterprocessLock::Impl& l, LockMapping& m, int64_t timeout_ns, bool try_only) {
    for (const Held& h : t_fds.held)
        if (h.lock == l.serial)
            throw Error(ErrorCode::InvalidArgument, "this thread holds lock '" + l.names.segment + "' already (locks are not reentrant)");
    const int fd = take_fd(l);
    if (!flock_within(fd, timeout_ns, try_only)) {
        const int err = errno;
        give_back(l, fd);
        if (err == EWOULDBLOCK) return LockOutcome::Busy;
        fail(l, "cannot acquire", err);
    }
    try {
        t_fds.held.push_back(Held{l.serial, fd});
    } catch (...) {
        flock(fd, LOCK_UN);
        give_back(l, fd);
        throw;
    }
    // A clean unlock clears the holder word before it lets go: a word still set means that the
    // previous holder died holding the lock (or its thread ended, or its handle was destroyed).
    const int64_t before = __atomic_exchange_n(reinterpret_cast<int64_t*>(m.data() + kHolderAt), 0, __ATOMIC_RELAXED);
    return before != 0 ? LockOutcome::OwnerDied : LockOutcome::Acquired;
}

void release(InterprocessLock::Impl& l, LockMapping&) {
    auto& held = t_fds.held;
    for (auto it = held.rbegin(); it != held.rend(); ++it) {
        if (it->lock != l.serial) continue;
        const int fd = it->fd;
        held.erase(std::next(it).base());
        if (flock(fd, LOCK_UN) != 0) {
            close(fd);  // closing frees it as well
            return;
        }
        give_back(l, fd);
        return;
    }
    throw Error(ErrorCode::InvalidArgument, "this thread does not hold lock '" + l.names.segment + "'");
}

bool detects_dead_owners() { return true; }  // the kernel frees a dead holder's flock

std::string use_path(const std::string& segment) { return posix_index::entry_path(segment); }
bool use_file_first() { return true; }

void remove_lock_files(const std::string& segment) noexcept {
    try {
        unlink((posix_index::directory() + "/.locks/" + segment).c_str());
    } catch (...) {
    }
}
#endif

bool name_still_ours(const InterprocessLock::Impl& l, const LockMapping& m) {
#if defined(__linux__)
    struct stat st;
    if (::stat(l.path.c_str(), &st) != 0) return false;
    return static_cast<uint64_t>(st.st_dev) == m.dev && static_cast<uint64_t>(st.st_ino) == m.ino;
#else
    (void)l, (void)m;
    return true;  // macOS: a name has no path to stat; the use file's flock keeps it while open
#endif
}

}  // namespace memshare::lock_detail

#endif  // !_WIN32

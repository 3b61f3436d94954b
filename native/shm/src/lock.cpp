// The platform-independent half of the interprocess lock: names, the segment header, race-free
// opening, the value and counter, and removal when unused (docs/FORMAT.md §7, docs/LOCKS.md).
#include "memshare/lock.hpp"

#include <chrono>
#include <cstring>
#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "lock_detail.hpp"
#include "memshare/error.hpp"

namespace memshare {

using namespace lock_detail;

namespace {

constexpr char kMagic[8] = {'M', 'E', 'M', 'S', 'H', 'R', 'L', 'K'};
// Version 2 added the "owner died, not yet reported" word (offset 64) and moved the mutex to 72.
constexpr uint16_t kVersion = 2;
constexpr uint16_t kHeaderBytes = 72;
// How long an opener waits for the creator to initialise the mutex: microseconds normally, but
// a busy machine may deschedule the creator for a while.
constexpr auto kInitWait = std::chrono::seconds(5);

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <typename T>
void store(uint8_t* p, T v) {
    std::memcpy(p, &v, sizeof v);
}
int64_t* word(const LockMapping& m, uint64_t at) { return reinterpret_cast<int64_t*>(m.data() + at); }
uint32_t* ready_word(const LockMapping& m) { return reinterpret_cast<uint32_t*>(m.data() + kReadyAt); }
uint32_t* owner_died_word(const LockMapping& m) { return reinterpret_cast<uint32_t*>(m.data() + kOwnerDiedAt); }

// Takes the mutex only to look (a sweep, a closing handle): if that recovers a dead holder's
// mutex, the "owner died" signal is kept in the header for the next real holder, since this
// taker releases it again without repairing anything.
LockOutcome take_to_look(InterprocessLock::Impl& l, LockMapping& m) {
    const LockOutcome got = acquire(l, m, 0, true);
    if (got == LockOutcome::OwnerDied) __atomic_store_n(owner_died_word(m), 1u, __ATOMIC_RELAXED);
    return got;
}

// The bytes a creator writes before the name exists (Linux) or right after: the owner record is
// there from the first byte anyone can see; ready is 0 until the mutex is initialised.
std::vector<uint8_t> initial_segment() {
    std::vector<uint8_t> b(kLockSegmentBytes, 0);
    std::memcpy(b.data(), kMagic, sizeof kMagic);
    store<uint16_t>(&b[8], kVersion);
    store<uint16_t>(&b[10], kHeaderBytes);
    const int64_t pid = current_pid();
    store<int64_t>(&b[kCreatorPidAt], pid);
    store<uint64_t>(&b[kCreatorStartAt], process_start_time(pid));
    store<uint32_t>(&b[kCreatorUidAt], current_uid());
    store<uint32_t>(&b[kMutexBytesAt], mutex_bytes());
    return b;
}

// Locks open in this process, by segment identity: a process's own handles never count as
// "another process uses it", but one handle must not remove a lock another handle here still uses.
std::mutex g_open_mutex;
std::map<std::pair<uint64_t, uint64_t>, int> g_open;

void note_open(const LockMapping& m, int delta) {
    std::lock_guard<std::mutex> guard(g_open_mutex);
    auto key = std::make_pair(m.dev, m.ino);
    if ((g_open[key] += delta) <= 0) g_open.erase(key);
}
int open_here(uint64_t dev, uint64_t ino) {
    std::lock_guard<std::mutex> guard(g_open_mutex);
    auto it = g_open.find({dev, ino});
    return it == g_open.end() ? 0 : it->second;
}

// An open descriptor, closed unless given away.
struct Fd {
    int fd = -1;
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
#if !defined(_WIN32)
        if (fd >= 0) close(fd);
#endif
    }
    int give() { return std::exchange(fd, -1); }
};

#if !defined(_WIN32)
// Opens the use file and takes its flock (LOCK_SH for a handle, LOCK_EX|LOCK_NB for a remover).
// -1 when the file is gone, or was removed or replaced before the flock was ours (a remover
// finished just before: the caller starts over); -2 when LOCK_NB found it locked.
int lock_use_file(const std::string& path, int how, bool create) {
    const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0) {
        if (errno == ENOENT) return -1;
        throw os_error("cannot open " + path, errno);
    }
    Fd guard;
    guard.fd = fd;
    while (flock(fd, how) != 0) {
        if (errno == EWOULDBLOCK) return -2;
        if (errno != EINTR) throw os_error("cannot flock " + path, errno);
    }
    struct stat now, held;
    if (fstat(fd, &held) != 0 || !S_ISREG(held.st_mode)) throw Error(ErrorCode::Corrupt, path + " is not a regular file");
    if (stat(path.c_str(), &now) != 0 || now.st_dev != held.st_dev || now.st_ino != held.st_ino) return -1;
    return guard.give();
}

bool same_file(int fd, uint64_t dev, uint64_t ino) {
    struct stat st;
    return fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_dev) == dev && static_cast<uint64_t>(st.st_ino) == ino;
}
#endif

// Creates the segment or opens the existing one, waits until it is initialised, and validates it.
std::unique_ptr<LockMapping> attach(const InterprocessLock::Impl& l) {
    const std::string& name = l.names.segment;
    for (int attempt = 0;; ++attempt) {
        Fd use;
#if !defined(_WIN32)
        // macOS and the portable flavour: the index entry is locked before the segment exists, so
        // no remover can take the segment away between our open and our flock.
        if (use_file_first() && (use.fd = lock_use_file(use_path(name), LOCK_SH, true)) < 0) {
            if (attempt < 100) continue;
            throw Error(ErrorCode::Io, "lock '" + name + "' was removed 100 times while being opened");
        }
#endif
        std::optional<SegmentFile> file;
        bool created = false;
        try {
            file.emplace(SegmentFile::create_with(name, initial_segment(), l.mode));
            created = true;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::AlreadyExists) throw;
            try {
                file.emplace(SegmentFile::open_readwrite(name));
            } catch (const Error& gone) {
                // Removed between our create and open (a sweep or a last closer): create it again.
                if (gone.code() == ErrorCode::NotFound && attempt < 100) continue;
                throw;
            }
        }
        SegmentStat st = file->stat();
        if (st.uid != current_uid())
            throw Error(ErrorCode::PermissionDenied, "lock segment '" + name + "' belongs to uid " + std::to_string(st.uid) +
                                                         ", not this user (uid " + std::to_string(current_uid()) + ")");
        const auto deadline = std::chrono::steady_clock::now() + kInitWait;
        auto wait = [&deadline] {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return true;
        };
        // Without O_TMPFILE a creator sizes the object, then writes the header, just after
        // creating it: wait out an empty object and a zero header, never a wrong one.
        while (st.size == 0 && wait()) st = file->stat();
        if (st.size < kLockSegmentBytes || (st.size != kLockSegmentBytes && !segment_sizes_are_rounded()))
            throw Error(ErrorCode::Corrupt, "'" + name + "' is " + std::to_string(st.size) + " bytes, not a lock segment (" +
                                                std::to_string(kLockSegmentBytes) + " bytes)");
        auto m = std::make_unique<LockMapping>();
        m->region = file->map(kLockSegmentBytes, true);
        m->dev = st.dev;
        m->ino = st.ino;
#if !defined(_WIN32)
        if (!use_file_first()) {
            // Linux: the segment's own file; removed (or replaced) before our flock: start over.
            use.fd = lock_use_file(use_path(name), LOCK_SH, false);
            if (use.fd < 0 || !same_file(use.fd, st.dev, st.ino)) {
                if (attempt < 100) continue;
                throw Error(ErrorCode::Io, "lock '" + name + "' was removed 100 times while being opened");
            }
        }
#endif
        m->use_fd = use.give();
        if (created) {
            init_mutex(l, *m);
            __atomic_store_n(ready_word(*m), 1u, __ATOMIC_RELEASE);  // publishes the initialised mutex
            return m;
        }
        const uint8_t* bytes = m->data();
        auto zero_header = [bytes] {
            for (uint64_t i = 0; i < kHeaderBytes; ++i)
                if (__atomic_load_n(bytes + i, __ATOMIC_RELAXED) != 0) return false;
            return true;
        };
        while (zero_header() && wait()) {
        }
        if (!has_lock_magic(bytes, kLockSegmentBytes))
            throw Error(ErrorCode::Corrupt, "'" + name + "' is not a lock segment (no lock magic): a variable named '" +
                                                name.substr(name.find(kLockInfix) + 1) + "' may hold the name");
        LockHeader h = decode_lock_header(bytes, kLockSegmentBytes);
        while (!h.ready && wait()) h = decode_lock_header(bytes, kLockSegmentBytes);
        if (!h.ready)
            throw Error(ErrorCode::Corrupt, "lock segment '" + name + "' is still not initialised after " +
                                                std::to_string(kInitWait.count()) + " s: its creator (pid " +
                                                std::to_string(h.creator_pid) +
                                                ") died while creating it, or is stalled; memshare sweep removes it "
                                                "once no process has it open");
        return m;
    }
}

// Makes `fresh` the handle's current mapping (keeping the old ones mapped: other threads may be
// inside them) and updates this process's count of open locks.
void adopt(InterprocessLock::Impl& l, std::unique_ptr<LockMapping> fresh) {
    LockMapping* old = l.current.load();
    if (old != nullptr) {
        note_open(*old, -1);
#if !defined(_WIN32)
        // Its segment is no longer the lock: its shared flock must not keep the new one from removal.
        if (old->use_fd >= 0) close(old->use_fd);
        old->use_fd = -1;
#endif
    }
    note_open(*fresh, +1);
    l.mappings.push_back(std::move(fresh));
    l.current.store(l.mappings.back().get());
}

// Which mapping each thread holds a lock through (a thread holds one lock at most once).
thread_local std::vector<std::pair<const InterprocessLock::Impl*, LockMapping*>> t_held;

void note_held(const InterprocessLock::Impl& l, LockMapping& m) {
    t_held.emplace_back(&l, &m);
    __atomic_store_n(word(m, kHolderAt), current_pid(), __ATOMIC_RELAXED);
}
LockMapping* held_by_this_thread(const InterprocessLock::Impl& l) {
    for (const auto& h : t_held)
        if (h.first == &l) return h.second;
    return nullptr;
}
void forget_held(const InterprocessLock::Impl& l) {
    for (auto it = t_held.begin(); it != t_held.end(); ++it)
        if (it->first == &l) {
            t_held.erase(it);
            return;
        }
}

// Acquires through the current mapping; if the name no longer refers to it (removed while
// unused, maybe created anew by now), releases it and follows the name. `timeout_ns` as lock().
LockOutcome acquire_current(InterprocessLock::Impl& l, int64_t timeout_ns, bool try_only) {
    if (held_by_this_thread(l) != nullptr)
        throw Error(ErrorCode::InvalidArgument, "this thread holds lock '" + l.names.segment + "' already (locks are not reentrant)");
    const auto start = std::chrono::steady_clock::now();
    while (true) {
        int64_t left = timeout_ns;
        if (timeout_ns > 0) {
            const auto spent = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
            left = std::max<int64_t>(0, timeout_ns - static_cast<int64_t>(spent.count()));
        }
        LockMapping* m = l.current.load();
        const LockOutcome got = acquire(l, *m, left, try_only);
        if (got == LockOutcome::Busy) return got;
        if (name_still_ours(l, *m)) {
            note_held(l, *m);
            // A dead holder recovered by a process that only looked (take_to_look) is reported
            // here, once; a death this acquisition saw itself supersedes the record.
            uint32_t* died = owner_died_word(*m);
            if (__atomic_load_n(died, __ATOMIC_RELAXED) != 0 && __atomic_exchange_n(died, 0u, __ATOMIC_RELAXED) != 0)
                return LockOutcome::OwnerDied;
            return got;
        }
        release(l, *m);
        std::lock_guard<std::mutex> guard(l.attach_mutex);
        if (l.current.load() == m) adopt(l, attach(l));  // unless another thread followed it already
    }
}

}  // namespace

LockNames lock_names(std::string_view ns, std::string_view name, Platform p) {
    validate_name_part(ns, "namespace");
    validate_name_part(name, "lock");
    // The naming policy's length rule, applied to the longest name we make.
    const std::string var = std::string(kLockInfix.substr(1)) + std::string(name) + (p == Platform::Windows ? ".mutex" : "");
    const SegmentNames longest = segment_names(ns, var, p);
    LockNames out;
    out.segment = (p == Platform::Windows ? "Local\\" : "") + std::string(ns) + std::string(kLockInfix) + std::string(name);
    if (p == Platform::Windows) out.mutex = longest.data;
    return out;
}

bool has_lock_magic(const uint8_t* bytes, uint64_t size) {
    return size >= sizeof kMagic && std::memcmp(bytes, kMagic, sizeof kMagic) == 0;
}

LockHeader decode_lock_header(const uint8_t* b, uint64_t size) {
    auto bad = [](const std::string& what) { return Error(ErrorCode::Corrupt, "lock segment: " + what); };
    if (size < kLockSegmentBytes)
        throw bad(std::to_string(size) + " bytes, expected " + std::to_string(kLockSegmentBytes));
    if (!has_lock_magic(b, size)) throw bad("no lock magic");
    if (load<uint16_t>(b + 8) != kVersion) throw bad("version " + std::to_string(load<uint16_t>(b + 8)) + ", expected " + std::to_string(kVersion));
    if (load<uint16_t>(b + 10) != kHeaderBytes) throw bad("header size " + std::to_string(load<uint16_t>(b + 10)));
    const uint32_t ready = __atomic_load_n(reinterpret_cast<const uint32_t*>(b + kReadyAt), __ATOMIC_ACQUIRE);
    if (ready > 1) throw bad("ready flag " + std::to_string(ready));
    if (load<uint32_t>(b + kMutexBytesAt) != mutex_bytes())
        throw bad("a mutex of " + std::to_string(load<uint32_t>(b + kMutexBytesAt)) + " bytes, this build's has " +
                  std::to_string(mutex_bytes()) + " (made by another architecture?)");
#if !defined(_WIN32)
    if (ready == 1 && !mutex_kind_is_ours(b + kMutexAt)) throw bad("a mutex of another kind than memshare creates");
#endif
    LockHeader h;
    h.ready = ready == 1;
    h.creator_pid = load<int64_t>(b + kCreatorPidAt);
    h.creator_start_time = load<uint64_t>(b + kCreatorStartAt);
    h.creator_uid = load<uint32_t>(b + kCreatorUidAt);
    if (h.creator_pid <= 0) throw bad("creator pid " + std::to_string(h.creator_pid));
    h.holder_pid = __atomic_load_n(reinterpret_cast<const int64_t*>(b + kHolderAt), __ATOMIC_RELAXED);
    h.value = __atomic_load_n(reinterpret_cast<const int64_t*>(b + kValueAt), __ATOMIC_RELAXED);
    h.counter = __atomic_load_n(reinterpret_cast<const int64_t*>(b + kCounterAt), __ATOMIC_RELAXED);
    return h;
}

InterprocessLock::InterprocessLock(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

InterprocessLock::~InterprocessLock() {
    note_open(*impl_->current.load(), -1);
    // Held by this thread, or by some thread of this process (another thread's hold through this
    // handle is a misuse, but must not become a crash either).
    bool held_here = held_by_this_thread(*impl_) != nullptr;
    for (const auto& m : impl_->mappings)
        held_here = held_here || __atomic_load_n(word(*m, kHolderAt), __ATOMIC_RELAXED) == current_pid();
    if (held_here) {
        // Destroyed while held: the mutex is on the thread's robust list, where
        // glibc and the kernel write into it later, so its mapping must outlive the handle. It is
        // leaked on purpose (256 bytes); the hold ends as a dead thread's does, when the thread
        // ends, and the next holder is told the owner died (docs/LOCKS.md, "From C++").
        static std::mutex leaked_mutex;
        static auto* leaked = new std::vector<std::unique_ptr<LockMapping>>();
        std::lock_guard<std::mutex> guard(leaked_mutex);
        for (auto& m : impl_->mappings) {
#if !defined(_WIN32)
            // The handle is closed: its shared flock must not keep the lock from being removed.
            if (m->use_fd >= 0) close(m->use_fd);
            m->use_fd = -1;
#endif
            leaked->push_back(std::move(m));
        }
        forget_held(*impl_);
    }
    close_mutex(*impl_);
}

std::unique_ptr<InterprocessLock> InterprocessLock::open(const std::string& ns, const std::string& name, uint32_t mode) {
    auto impl = std::make_unique<Impl>();
    impl->names = lock_names(ns, name);
    impl->path = "/dev/shm/" + impl->names.segment;
    impl->mode = mode;
    adopt(*impl, attach(*impl));
    try {
        open_mutex(*impl);
    } catch (...) {
        note_open(*impl->current.load(), -1);
        throw;
    }
    return std::unique_ptr<InterprocessLock>(new InterprocessLock(std::move(impl)));
}

const std::string& InterprocessLock::segment_name() const { return impl_->names.segment; }

bool InterprocessLock::detects_dead_owners() { return lock_detail::detects_dead_owners(); }

LockOutcome InterprocessLock::lock(int64_t timeout_ns) { return acquire_current(*impl_, timeout_ns, false); }

LockOutcome InterprocessLock::try_lock() { return acquire_current(*impl_, 0, true); }

void InterprocessLock::unlock() {
    LockMapping* m = held_by_this_thread(*impl_);
    if (m == nullptr) throw Error(ErrorCode::InvalidArgument, "this thread does not hold lock '" + impl_->names.segment + "'");
    const int64_t before = __atomic_exchange_n(word(*m, kHolderAt), 0, __ATOMIC_RELAXED);
    try {
        release(*impl_, *m);
    } catch (...) {
        __atomic_store_n(word(*m, kHolderAt), before, __ATOMIC_RELAXED);
        throw;
    }
    forget_held(*impl_);
}

// A plain load and a plain store (relaxed atomics, so never torn): a read-modify-write of the
// value is two operations, exact only while the lock is held, which is the point.
int64_t InterprocessLock::value() const { return __atomic_load_n(word(*impl_->current.load(), kValueAt), __ATOMIC_RELAXED); }
void InterprocessLock::set_value(int64_t v) { __atomic_store_n(word(*impl_->current.load(), kValueAt), v, __ATOMIC_RELAXED); }
int64_t InterprocessLock::add(int64_t delta) {
    return __atomic_add_fetch(word(*impl_->current.load(), kCounterAt), delta, __ATOMIC_SEQ_CST);
}

bool InterprocessLock::close_and_remove_if_unused() {
#if defined(_WIN32)
    return false;  // a mapping goes with its last handle
#else
    Impl& l = *impl_;
    LockMapping& m = *l.current.load();
    if (m.dev == 0 || m.use_fd < 0 || open_here(m.dev, m.ino) > 1 || held_by_this_thread(l) != nullptr) return false;  // in use here
    // Every handle holds the use file's shared flock: the exclusive one is ours only when no other
    // process has the lock open, and none can open it until we let go. No scan, no window.
    if (flock(m.use_fd, LOCK_EX | LOCK_NB) != 0) {
        flock(m.use_fd, LOCK_SH | LOCK_NB);  // (converting may have dropped ours; the handle is closing anyway)
        return false;
    }
    auto back_to_shared = [&m] { flock(m.use_fd, LOCK_SH); };
    if (take_to_look(l, m) == LockOutcome::Busy) {  // held by another thread of this process
        back_to_shared();
        return false;
    }
    bool removed = false;
    try {
        if (name_still_ours(l, m)) {
            // The lock file first: once the index entry is gone, a new opener may make a new one.
            remove_lock_files(l.names.segment);
            removed = unlink_segment_if_same(l.names.segment, m.dev, m.ino);
        }
    } catch (...) {
        release(l, m);
        back_to_shared();
        throw;
    }
    release(l, m);
    back_to_shared();
    return removed;
#endif
}

std::optional<int64_t> remove_lock_if_unused(const std::string& segment, const SegmentStat& seen, bool dry_run) {
    std::optional<SegmentFile> file;
    try {
        file.emplace(SegmentFile::open_readwrite(segment));
    } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) return std::nullopt;
        throw;
    }
    const SegmentStat st = file->stat();
    if (st.dev != seen.dev || st.ino != seen.ino) return std::nullopt;  // replaced since the scan
    if (open_here(st.dev, st.ino) > 0) return current_pid();
    // Checked on the descriptor mapped: a shorter object (truncated since the scan) would raise SIGBUS.
    if (st.size < kLockSegmentBytes)
        throw Error(ErrorCode::Corrupt, "'" + segment + "' is " + std::to_string(st.size) + " bytes, not a lock segment (" +
                                            std::to_string(kLockSegmentBytes) + " bytes)");
    InterprocessLock::Impl l;
    l.names.segment = segment;
    l.path = "/dev/shm/" + segment;
    LockMapping m;
    m.dev = st.dev;
    m.ino = st.ino;
    m.region = file->map(kLockSegmentBytes, true);
    file.reset();
    const LockHeader h = decode_lock_header(m.data(), kLockSegmentBytes);
#if defined(_WIN32)
    (void)dry_run;
    return h.holder_pid > 0 ? h.holder_pid : -1;  // never swept: a mapping goes with its last handle
#else
    // Open elsewhere while some process holds the use file's shared flock (every handle does).
    Fd use;
    use.fd = lock_use_file(use_path(segment), LOCK_EX | LOCK_NB, false);
    const int64_t in_use = h.holder_pid > 0 ? h.holder_pid : -1;
    if (use.fd == -2) return in_use;
    if (use.fd < 0 || (!use_file_first() && !same_file(use.fd, st.dev, st.ino))) return std::nullopt;  // removed meanwhile
    if (dry_run) return 0;
    m.use_fd = use.give();
    // An uninitialised lock (its creator died creating it) has no mutex to take; nobody can be
    // holding it either, since every opener waits for ready first.
    const bool locked = h.ready && take_to_look(l, m) != LockOutcome::Busy;
    if (h.ready && !locked) return in_use;
    try {
        remove_lock_files(segment);
        unlink_segment_if_same(segment, st.dev, st.ino);
    } catch (...) {
        if (locked) release(l, m);
        throw;
    }
    if (locked) release(l, m);
    return 0;
#endif
}

}  // namespace memshare

// The platform-independent half of the interprocess lock: names, the segment header, race-free
// opening, the value and counter, and removal when unused (docs/FORMAT.md §7, docs/LOCKS.md).
#include "memshare/lock.hpp"

#include <chrono>
#include <cstring>
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
constexpr uint16_t kVersion = 1;
constexpr uint16_t kHeaderBytes = 64;
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
int64_t* word(const InterprocessLock::Impl& l, uint64_t at) { return reinterpret_cast<int64_t*>(l.region->data() + at); }
uint32_t* ready_word(const InterprocessLock::Impl& l) { return reinterpret_cast<uint32_t*>(l.region->data() + kReadyAt); }

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

void note_open(const InterprocessLock::Impl& l, int delta) {
    std::lock_guard<std::mutex> guard(g_open_mutex);
    auto key = std::make_pair(l.dev, l.ino);
    if ((g_open[key] += delta) <= 0) g_open.erase(key);
}
int open_here(uint64_t dev, uint64_t ino) {
    std::lock_guard<std::mutex> guard(g_open_mutex);
    auto it = g_open.find({dev, ino});
    return it == g_open.end() ? 0 : it->second;
}

// A process other than this one that maps the segment or holds it open for writing; 0 if none.
int64_t other_user(uint64_t dev, uint64_t ino) {
    const int64_t self = current_pid();
    for (const auto& w : segment_writers())
        if (w.dev == dev && w.ino == ino && w.pid != self) return w.pid;
    return 0;
}

// Creates the segment or opens the existing one, waits until it is initialised, and validates it.
void attach(InterprocessLock::Impl& l) {
    const std::string& name = l.names.segment;
    for (int attempt = 0;; ++attempt) {
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
        l.region = file->map(kLockSegmentBytes, true);
        l.dev = st.dev;
        l.ino = st.ino;
        if (created) {
            init_mutex(l);
            __atomic_store_n(ready_word(l), 1u, __ATOMIC_RELEASE);  // publishes the initialised mutex
            return;
        }
        const uint8_t* bytes = l.region->data();
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
        return;
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
    if (load<uint16_t>(b + 8) != kVersion) throw bad("version " + std::to_string(load<uint16_t>(b + 8)) + ", expected 1");
    if (load<uint16_t>(b + 10) != kHeaderBytes) throw bad("header size " + std::to_string(load<uint16_t>(b + 10)));
    const uint32_t ready = __atomic_load_n(reinterpret_cast<const uint32_t*>(b + kReadyAt), __ATOMIC_ACQUIRE);
    if (ready > 1) throw bad("ready flag " + std::to_string(ready));
    if (load<uint32_t>(b + kMutexBytesAt) != mutex_bytes())
        throw bad("a mutex of " + std::to_string(load<uint32_t>(b + kMutexBytesAt)) + " bytes, this build's has " +
                  std::to_string(mutex_bytes()) + " (made by another architecture?)");
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
    close_mutex(*impl_);
    note_open(*impl_, -1);
}

std::unique_ptr<InterprocessLock> InterprocessLock::open(const std::string& ns, const std::string& name, uint32_t mode) {
    auto impl = std::make_unique<Impl>();
    impl->names = lock_names(ns, name);
    impl->path = "/dev/shm/" + impl->names.segment;
    impl->mode = mode;
    attach(*impl);
    open_mutex(*impl);
    note_open(*impl, +1);
    return std::unique_ptr<InterprocessLock>(new InterprocessLock(std::move(impl)));
}

const std::string& InterprocessLock::segment_name() const { return impl_->names.segment; }

LockOutcome InterprocessLock::lock(int64_t timeout_ns) {
    const auto start = std::chrono::steady_clock::now();
    while (true) {
        int64_t left = timeout_ns;
        if (timeout_ns > 0) {
            const int64_t spent = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
            left = std::max<int64_t>(0, timeout_ns - spent);
        }
        const LockOutcome got = acquire(*impl_, left, false);
        if (got == LockOutcome::Busy) return got;
        if (name_still_ours(*impl_)) {
            __atomic_store_n(word(*impl_, kHolderAt), current_pid(), __ATOMIC_RELAXED);
            return got;
        }
        // Removed while unused, and maybe created anew by now: follow the name.
        release(*impl_);
        note_open(*impl_, -1);
        impl_->region.reset();
        attach(*impl_);
        note_open(*impl_, +1);
    }
}

LockOutcome InterprocessLock::try_lock() {
    const LockOutcome got = acquire(*impl_, 0, true);
    if (got == LockOutcome::Busy || name_still_ours(*impl_)) {
        if (got != LockOutcome::Busy) __atomic_store_n(word(*impl_, kHolderAt), current_pid(), __ATOMIC_RELAXED);
        return got;
    }
    release(*impl_);
    note_open(*impl_, -1);
    impl_->region.reset();
    attach(*impl_);
    note_open(*impl_, +1);
    return try_lock();
}

void InterprocessLock::unlock() {
    const int64_t before = __atomic_exchange_n(word(*impl_, kHolderAt), 0, __ATOMIC_RELAXED);
    try {
        release(*impl_);
    } catch (...) {
        __atomic_store_n(word(*impl_, kHolderAt), before, __ATOMIC_RELAXED);  // not ours: leave the record alone
        throw;
    }
}

// A plain load and a plain store (relaxed atomics, so never torn): a read-modify-write of the
// value is two operations, exact only while the lock is held, which is the point.
int64_t InterprocessLock::value() const { return __atomic_load_n(word(*impl_, kValueAt), __ATOMIC_RELAXED); }
void InterprocessLock::set_value(int64_t v) { __atomic_store_n(word(*impl_, kValueAt), v, __ATOMIC_RELAXED); }
int64_t InterprocessLock::add(int64_t delta) { return __atomic_add_fetch(word(*impl_, kCounterAt), delta, __ATOMIC_SEQ_CST); }

bool InterprocessLock::close_and_remove_if_unused() {
    Impl& l = *impl_;
    if (l.dev == 0 || open_here(l.dev, l.ino) > 1) return false;  // no identity (Windows), or in use here
    try {
        if (acquire(l, 0, true) == LockOutcome::Busy) return false;  // held: in use
    } catch (const Error&) {
        return false;  // this thread holds it
    }
    bool removed = false;
    try {
        if (name_still_ours(l) && other_user(l.dev, l.ino) == 0) removed = unlink_segment_if_same(l.names.segment, l.dev, l.ino);
    } catch (...) {
        release(l);
        throw;
    }
    release(l);
    return removed;
}

std::optional<int64_t> remove_lock_if_unused(const std::string& segment, const SegmentStat& seen) {
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
    InterprocessLock::Impl l;
    l.names.segment = segment;
    l.path = "/dev/shm/" + segment;
    l.dev = st.dev;
    l.ino = st.ino;
    l.region = file->map(kLockSegmentBytes, true);
    file.reset();
    const LockHeader h = decode_lock_header(l.region->data(), kLockSegmentBytes);
    // An uninitialised lock (its creator died creating it) has no mutex to take; nobody can be
    // holding it either, since every opener waits for ready first.
    const bool locked = h.ready && acquire(l, 0, true) != LockOutcome::Busy;
    if (h.ready && !locked) return h.holder_pid > 0 ? h.holder_pid : -1;
    int64_t user = other_user(st.dev, st.ino);
    if (user == 0) unlink_segment_if_same(segment, st.dev, st.ino);
    if (locked) release(l);
    return user;
}

}  // namespace memshare

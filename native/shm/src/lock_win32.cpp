// Windows half of the interprocess lock: a named mutex "Local\<ns>.lock.<name>.mutex" beside the
// segment (which holds the header, the value and the counter). A thread that ends holding a
// Windows mutex abandons it, and the next wait returns WAIT_ABANDONED: the owner-died signal.
// Windows mutexes are recursive; ours is not, so the holding thread is recorded. Compiled and
// tested by the cross build (mingw-w64 + Wine).
#if defined(_WIN32)

#include <windows.h>

#include <algorithm>

#include "lock_detail.hpp"
#include "memshare/error.hpp"

namespace memshare {
LockMapping::~LockMapping() = default;
}  // namespace memshare

namespace memshare::lock_detail {

namespace {

HANDLE handle_of(const InterprocessLock::Impl& l) { return reinterpret_cast<HANDLE>(l.mutex); }

[[noreturn]] void fail(const InterprocessLock::Impl& l, const std::string& what, DWORD err) {
    throw Error(err == ERROR_ACCESS_DENIED ? ErrorCode::PermissionDenied : ErrorCode::Io,
                what + " lock '" + l.names.mutex + "' (error " + std::to_string(err) + ")", static_cast<int>(err));
}

}  // namespace

uint32_t mutex_bytes() { return 0; }

void init_mutex(const InterprocessLock::Impl&, LockMapping&) {}  // the named mutex needs no initialisation

void open_mutex(InterprocessLock::Impl& l) {
    // Creates it, or opens it if another process did: one call, no window.
    HANDLE h = CreateMutexA(nullptr, FALSE, l.names.mutex.c_str());
    if (h == nullptr) fail(l, "cannot open", GetLastError());
    l.mutex = reinterpret_cast<intptr_t>(h);
}

void close_mutex(InterprocessLock::Impl& l) noexcept {
    if (l.mutex != 0) CloseHandle(handle_of(l));
    l.mutex = 0;
}

LockOutcome acquire(InterprocessLock::Impl& l, LockMapping&, int64_t timeout_ns, bool try_only) {
    if (l.holder_thread == GetCurrentThreadId())
        throw Error(ErrorCode::InvalidArgument, "this thread holds lock '" + l.names.segment + "' already (locks are not reentrant)");
    DWORD ms = INFINITE;
    if (try_only) ms = 0;
    else if (timeout_ns >= 0) ms = static_cast<DWORD>(std::min<int64_t>((timeout_ns + 999999) / 1000000, INFINITE - 1));
    switch (WaitForSingleObject(handle_of(l), ms)) {
        case WAIT_OBJECT_0: l.holder_thread = GetCurrentThreadId(); return LockOutcome::Acquired;
        case WAIT_ABANDONED: l.holder_thread = GetCurrentThreadId(); return LockOutcome::OwnerDied;
        case WAIT_TIMEOUT: return LockOutcome::Busy;
        default: fail(l, "cannot acquire", GetLastError());
    }
}

void release(InterprocessLock::Impl& l, LockMapping&) {
    if (l.holder_thread != GetCurrentThreadId())
        throw Error(ErrorCode::InvalidArgument, "this thread does not hold lock '" + l.names.segment + "'");
    l.holder_thread = 0;
    if (!ReleaseMutex(handle_of(l))) fail(l, "cannot release", GetLastError());
}

bool name_still_ours(const InterprocessLock::Impl&, const LockMapping&) { return true; }

bool detects_dead_owners() { return true; }  // WAIT_ABANDONED

std::string use_path(const std::string&) { return ""; }
bool use_file_first() { return false; }
void remove_lock_files(const std::string&) noexcept {}

}  // namespace memshare::lock_detail

#endif  // _WIN32

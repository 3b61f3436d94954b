// Error type of the memshare libraries, shared memory (memshare_shm) and mutual information
// (memshare_mi); it lives in memshare_common so that the estimator, which only throws it, does not
// depend on the shared-memory core. Every failure is an Error with a code that callers (the JNI
// glue, tests, C++ users) can map to their own error types, and a message that names the
// namespace, the variable and, where one exists, the OS error text.
#pragma once

#include <stdexcept>
#include <string>

namespace memshare {

enum class ErrorCode {
    InvalidArgument,    // caller passed something meaningless (negative size, bad element type...)
    InvalidName,        // namespace or variable name breaks the naming policy
    NotFound,           // no such segment / page / view
    AlreadyExists,      // a segment with that name exists already
    OutOfSpace,         // the shared-memory file system is full (ENOSPC / ENOMEM)
    Corrupt,            // metadata or data segment inconsistent, truncated or hostile
    PermissionDenied,   // segment owned by another user, or EACCES from the OS
    ResourceLimit,      // out of file descriptors, mappings, ...
    Io,                 // any other OS failure
};
constexpr int kErrorCodeCount = 9;  // the JNI contract (native/jni/contract.hpp) maps this many

const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, int os_error = 0)
        : std::runtime_error(message), code_(code), os_error_(os_error) {}
    ErrorCode code() const noexcept { return code_; }
    // errno (POSIX) or GetLastError() (Windows) that caused the failure, 0 if none.
    int os_error() const noexcept { return os_error_; }

private:
    ErrorCode code_;
    int os_error_;
};

// Builds an Error for a failed system call: picks the code from errno (ENOENT -> NotFound,
// EEXIST -> AlreadyExists, ENOSPC -> OutOfSpace, EMFILE -> ResourceLimit, ...) and appends the
// OS error text to `what`, e.g. "cannot create segment 'ns.X': No space left on device (errno 28)".
Error os_error(const std::string& what, int errnum);

}  // namespace memshare

#include "memshare/error.hpp"

#include <cerrno>
#include <cstring>

namespace memshare {

const char* error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument: return "invalid argument";
        case ErrorCode::InvalidName: return "invalid name";
        case ErrorCode::NotFound: return "not found";
        case ErrorCode::AlreadyExists: return "already exists";
        case ErrorCode::OutOfSpace: return "out of space";
        case ErrorCode::Corrupt: return "corrupt segment";
        case ErrorCode::PermissionDenied: return "permission denied";
        case ErrorCode::ResourceLimit: return "resource limit";
        case ErrorCode::Io: return "I/O error";
    }
    return "unknown error";
}

static ErrorCode code_for_errno(int errnum) {
    switch (errnum) {
        case ENOENT: return ErrorCode::NotFound;
        case EEXIST: return ErrorCode::AlreadyExists;
        case ENOSPC:
        case EFBIG: return ErrorCode::OutOfSpace;
        case ENOMEM: return ErrorCode::ResourceLimit;  // mmap: address space or map count exhausted
        case EACCES:
        case EPERM: return ErrorCode::PermissionDenied;
        case EMFILE:
        case ENFILE: return ErrorCode::ResourceLimit;
        case ENAMETOOLONG:
        case EINVAL: return ErrorCode::InvalidArgument;
        default: return ErrorCode::Io;
    }
}

Error os_error(const std::string& what, int errnum) {
    char buf[256];
#if defined(_WIN32)
    strerror_s(buf, sizeof buf, errnum);
    const char* text = buf;
#elif defined(__GLIBC__) && defined(_GNU_SOURCE)
    const char* text = strerror_r(errnum, buf, sizeof buf);  // GNU variant returns the text
#else
    const char* text = strerror_r(errnum, buf, sizeof buf) == 0 ? buf : "unknown error";
#endif
    return Error(code_for_errno(errnum), what + ": " + text + " (errno " + std::to_string(errnum) + ")", errnum);
}

}  // namespace memshare

// Win32 implementation of the platform layer: named file mappings backed by the paging file,
// as R memshare does it (docs/FORMAT.md). Names arrive with the "Local\" prefix from the naming
// policy. Compiled and tested by the cross build (mingw-w64 + Wine).
#if defined(_WIN32)

#include <windows.h>

#include <cstring>

#include "memshare/error.hpp"
#include "memshare/platform.hpp"

namespace memshare {

namespace {

Error win_error(const std::string& what, DWORD err) {
    char buf[256] = {0};
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, err, 0, buf, sizeof buf, nullptr);
    std::string text(buf);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    ErrorCode code = ErrorCode::Io;
    if (err == ERROR_FILE_NOT_FOUND) code = ErrorCode::NotFound;
    else if (err == ERROR_ALREADY_EXISTS) code = ErrorCode::AlreadyExists;
    else if (err == ERROR_NOT_ENOUGH_MEMORY || err == ERROR_COMMITMENT_LIMIT || err == ERROR_DISK_FULL) code = ErrorCode::OutOfSpace;
    else if (err == ERROR_ACCESS_DENIED) code = ErrorCode::PermissionDenied;
    else if (err == ERROR_TOO_MANY_OPEN_FILES) code = ErrorCode::ResourceLimit;
    return Error(code, what + ": " + text + " (error " + std::to_string(err) + ")", static_cast<int>(err));
}

HANDLE as_handle(intptr_t h) { return reinterpret_cast<HANDLE>(h); }

// Windows cannot report the size of a mapping object; the size of the region a view maps
// (rounded up to whole pages) is the closest thing.
uint64_t mapped_size(HANDLE mapping) {
    void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    if (view == nullptr) return 0;
    MEMORY_BASIC_INFORMATION info;
    const uint64_t size = VirtualQuery(view, &info, sizeof info) ? static_cast<uint64_t>(info.RegionSize) : 0;
    UnmapViewOfFile(view);
    return size;
}

}  // namespace

MappedRegion::MappedRegion(void* addr, uint64_t size, bool writable, intptr_t keepalive)
    : addr_(addr), size_(size), writable_(writable), keepalive_(keepalive) {}

MappedRegion::~MappedRegion() {
    if (addr_ != nullptr) {
        if (retired_) VirtualFree(addr_, 0, MEM_RELEASE);
        else UnmapViewOfFile(addr_);
    }
    if (keepalive_ != 0) CloseHandle(as_handle(keepalive_));
}

void MappedRegion::retire() {
    if (retired_ || addr_ == nullptr) {
        retired_ = true;
        return;
    }
    // Windows has no atomic replace: unmap, then reserve+commit zero pages at the same address
    // at once. If another thread grabbed the range in between, keep the mapping instead (the
    // memory stays valid; it is released by the destructor).
    UnmapViewOfFile(addr_);
    void* p = VirtualAlloc(addr_, size_, MEM_RESERVE | MEM_COMMIT, writable_ ? PAGE_READWRITE : PAGE_READONLY);
    if (p != addr_) {
        if (p != nullptr) VirtualFree(p, 0, MEM_RELEASE);
        addr_ = nullptr;  // the range is no longer ours; nothing to free
    }
    retired_ = true;
    if (keepalive_ != 0) {
        CloseHandle(as_handle(keepalive_));
        keepalive_ = 0;
    }
}

SegmentFile::SegmentFile(std::string name, intptr_t handle, bool writable)
    : name_(std::move(name)), handle_(handle), writable_(writable) {}

SegmentFile::SegmentFile(SegmentFile&& other) noexcept
    : name_(std::move(other.name_)), handle_(other.handle_), writable_(other.writable_) {
    other.handle_ = 0;
}

SegmentFile::~SegmentFile() {
    if (handle_ != 0) CloseHandle(as_handle(handle_));
}

SegmentFile SegmentFile::create(const std::string& name, uint64_t size, uint32_t /*mode*/) {
    // A zero-size mapping is not allowed on Windows; reserve one byte and record the real size
    // in the metadata.
    const uint64_t os_size = size == 0 ? 1 : size;
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, static_cast<DWORD>(os_size >> 32),
                                  static_cast<DWORD>(os_size & 0xffffffffu), name.c_str());
    const DWORD err = GetLastError();
    if (h == nullptr) throw win_error("cannot create segment '" + name + "' (" + std::to_string(size) + " bytes)", err);
    if (err == ERROR_ALREADY_EXISTS) {
        CloseHandle(h);
        throw win_error("cannot create segment '" + name + "'", ERROR_ALREADY_EXISTS);
    }
    return SegmentFile(name, reinterpret_cast<intptr_t>(h), true);
}

SegmentFile SegmentFile::create_with(const std::string& name, const std::vector<uint8_t>& content, uint32_t mode) {
    // A named mapping cannot be filled before it has its name: readers that open it in between
    // see zeros, which they wait out (registry.cpp, looks_half_written).
    SegmentFile file = create(name, content.size(), mode);
    file.write_at(0, content.data(), content.size());
    return file;
}

SegmentFile SegmentFile::open_readonly(const std::string& name) {
    HANDLE h = OpenFileMappingA(FILE_MAP_READ, FALSE, name.c_str());
    if (h == nullptr) throw win_error("cannot open segment '" + name + "'", GetLastError());
    return SegmentFile(name, reinterpret_cast<intptr_t>(h), false);
}

SegmentFile SegmentFile::open_readwrite(const std::string& name) {
    HANDLE h = OpenFileMappingA(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name.c_str());
    if (h == nullptr) throw win_error("cannot open segment '" + name + "'", GetLastError());
    return SegmentFile(name, reinterpret_cast<intptr_t>(h), true);
}

void SegmentFile::write_at(uint64_t offset, const void* bytes, uint64_t size) {
    auto region = map(offset + size, true);
    std::memcpy(region->data() + offset, bytes, size);
}

SegmentStat SegmentFile::stat() const { return SegmentStat{mapped_size(as_handle(handle_)), 0, 0}; }

std::vector<uint8_t> SegmentFile::read_all(uint64_t size) {
    // A file mapping is read through a view.
    auto region = map(size, false);
    return std::vector<uint8_t>(region->data(), region->data() + size);
}

std::shared_ptr<MappedRegion> SegmentFile::map(uint64_t size, bool writable) {
    if (writable && !writable_) throw Error(ErrorCode::InvalidArgument, "segment '" + name_ + "' is open read-only");
    // The mapping object lives as long as a handle to it does: the region keeps a duplicate.
    HANDLE dup = nullptr;
    if (!DuplicateHandle(GetCurrentProcess(), as_handle(handle_), GetCurrentProcess(), &dup, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        throw win_error("cannot duplicate handle of segment '" + name_ + "'", GetLastError());
    if (size == 0) return std::make_shared<MappedRegion>(nullptr, 0, writable, reinterpret_cast<intptr_t>(dup));
    void* p = MapViewOfFile(as_handle(handle_), writable ? FILE_MAP_ALL_ACCESS : FILE_MAP_READ,
                            0, 0, static_cast<SIZE_T>(size));
    if (p == nullptr) {
        const DWORD err = GetLastError();
        CloseHandle(dup);
        throw win_error("cannot map segment '" + name_ + "' (" + std::to_string(size) + " bytes)", err);
    }
    return std::make_shared<MappedRegion>(p, size, writable, reinterpret_cast<intptr_t>(dup));
}

bool unlink_segment(const std::string&) { return true; }
bool unlink_segment_if_same(const std::string&, uint64_t, uint64_t) { return true; }

void populate_for_write(void*, uint64_t) {}  // committed pages of the paging file fault in cheaply enough

std::vector<std::string> list_segments() { return {}; }
bool segments_listable() { return false; }
bool index_foreign_segment(const std::string&) { return false; }
std::string segment_index_directory() { return ""; }
std::optional<SegmentCreator> segment_creator(const std::string&) { return std::nullopt; }
uint64_t page_size() {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}
std::vector<SegmentWriter> segment_writers() { return {}; }
bool segment_writers_known() { return false; }

bool segment_sizes_are_rounded() { return true; }

int64_t current_pid() { return static_cast<int64_t>(GetCurrentProcessId()); }
uint32_t current_uid() { return 0; }

uint64_t process_start_time(int64_t pid) {
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return 0;
    FILETIME created, exited, kernel, user;
    uint64_t t = 0;
    if (GetProcessTimes(h, &created, &exited, &kernel, &user))
        t = (static_cast<uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
    CloseHandle(h);
    return t;
}

bool process_alive(int64_t pid, uint64_t start_time) {
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return GetLastError() == ERROR_ACCESS_DENIED;
    DWORD code = 0;
    const bool running = GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    CloseHandle(h);
    return running && (start_time == 0 || process_start_time(pid) == start_time);
}

}  // namespace memshare

#endif  // _WIN32

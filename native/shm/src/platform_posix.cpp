// POSIX implementation of the platform layer: shm_open + mmap (Linux, macOS, and the portable
// flavour: Linux without what macOS lacks, posix_flavour.hpp).
#if !defined(_WIN32)

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#if defined(__linux__)
#include <sys/sysmacros.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/types.h>
#endif
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "memshare/error.hpp"
#include "memshare/platform.hpp"
#include "posix_flavour.hpp"

namespace memshare {

namespace {

// shm_open wants a leading slash on macOS; glibc accepts either and stores the name without it.
std::string os_name(const std::string& name) { return "/" + name; }

#if defined(__linux__)
const char* file_type_name(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}
#endif

Error not_a_segment(const std::string& name, const std::string& what, int err) {
    return Error(ErrorCode::Corrupt, "'" + name + "' is " + what + ", not a shared-memory segment", err);
}

// Opens an existing segment without ever blocking or following a link: anyone may create a FIFO
// (whose open blocks until a writer comes), a socket, a directory, a device node or a symlink
// under a segment's name in the shared, world-writable directory. Only a regular file passes.
int open_regular(const std::string& name, int access) {
#if defined(__linux__)
    const int extra = O_NONBLOCK | O_NOFOLLOW;
#else
    const int extra = 0;  // macOS shm objects are not files; shm_open refuses these flags
#endif
    const int fd = shm_open(os_name(name).c_str(), access | extra | O_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP) throw not_a_segment(name, "a symbolic link", err);
        if (err == ENXIO) throw not_a_segment(name, "a socket", err);
        if (err == EISDIR) throw not_a_segment(name, "a directory", err);
        throw os_error("cannot open segment '" + name + "'", err);
    }
#if defined(__linux__)
    struct stat st;
    if (fstat(fd, &st) != 0) {
        const int err = errno;
        close(fd);
        throw os_error("cannot stat segment '" + name + "'", err);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        throw not_a_segment(name, file_type_name(st.st_mode), 0);
    }
#endif
    return fd;
}

#if MEMSHARE_LINUX_EXTRAS
// create_with on Linux: the file is written while it has no name, then linked under its name,
// which fails with EEXIST if the name is taken. Returns -1 (nothing created) where the kernel or
// the file system has no O_TMPFILE or /proc is not mounted; the caller then falls back.
int create_linked(const std::string& name, const std::vector<uint8_t>& content, uint32_t mode) {
    const int fd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 0777);
    if (fd < 0) {
        if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL || errno == ENOENT) return -1;
        throw os_error("cannot create segment '" + name + "'", errno);
    }
    auto fail = [fd, &name](const std::string& what, int err) {
        close(fd);
        return os_error(what + " segment '" + name + "'", err);
    };
    if (fchmod(fd, mode & 0777) != 0) throw fail("cannot set permissions of", errno);
    for (std::size_t done = 0; done < content.size();) {
        const ssize_t n = pwrite(fd, content.data() + done, content.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw fail("cannot write", n < 0 ? errno : EIO);
        done += static_cast<std::size_t>(n);
    }
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    const std::string path = "/dev/shm/" + name;
    if (linkat(AT_FDCWD, self, AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        const int err = errno;
        if (err == ENOENT) {  // no /proc: nothing was created
            close(fd);
            return -1;
        }
        throw fail("cannot create", err);
    }
    return fd;
}
#endif


}  // namespace

MappedRegion::MappedRegion(void* addr, uint64_t size, bool writable, intptr_t keepalive)
    : addr_(addr), size_(size), writable_(writable), keepalive_(keepalive) {}

namespace {
// keepalive_ is unused on POSIX otherwise; this value marks a range retire() could not cover.
constexpr intptr_t kLeakRange = -1;
}  // namespace

MappedRegion::~MappedRegion() {
    if (addr_ != nullptr && keepalive_ != kLeakRange) munmap(addr_, size_);
}

void MappedRegion::retire() {
    if (retired_ || addr_ == nullptr) {
        retired_ = true;
        return;
    }
    // MAP_FIXED replaces the shared pages atomically: there is no instant at which the range is
    // unmapped, so a concurrent reader sees either the data or zeros, never a fault.
    const int prot = writable_ ? (PROT_READ | PROT_WRITE) : PROT_READ;
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
    void* p = mmap(addr_, size_, prot, flags, -1, 0);
#if defined(__linux__)
    if (p == MAP_FAILED && writable_) {
        // Under strict overcommit a writable private placeholder may be refused. A sparse memfd
        // mapped shared is never charged, and stays writable: an owner's stale buffer may still
        // write, and a read-only placeholder would turn that write into a crash.
        const int fd = memfd_create("memshare-retired", MFD_CLOEXEC);
        if (fd >= 0) {
            if (ftruncate(fd, static_cast<off_t>(size_)) == 0)
                p = mmap(addr_, size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
            close(fd);
        }
    }
#endif
    if (p == MAP_FAILED) {
        // Nothing could be put in. Depending on the kernel, the failed MAP_FIXED left the shared
        // mapping in place or a hole. Either way, never unmap this range later: if it is a hole,
        // something else may be mapped there by then. Leaking the range is the safe choice.
        keepalive_ = kLeakRange;
        return;
    }
    retired_ = true;
}

SegmentFile::SegmentFile(std::string name, intptr_t handle, bool writable)
    : name_(std::move(name)), handle_(handle), writable_(writable) {}

SegmentFile::SegmentFile(SegmentFile&& other) noexcept
    : name_(std::move(other.name_)), handle_(other.handle_), writable_(other.writable_) {
    other.handle_ = -1;
}

SegmentFile::~SegmentFile() {
    if (handle_ >= 0) close(static_cast<int>(handle_));
}

SegmentFile SegmentFile::create(const std::string& name, uint64_t size, uint32_t mode) {
#if !MEMSHARE_LINUX_EXTRAS
    // Listed before it exists, so that no segment is ever unlisted; a crash in between leaves an
    // entry without a segment, which the listing skips (and removes when old).
    const bool indexed = posix_index::add(name, true);
#endif
    const int fd = shm_open(os_name(name).c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, mode & 0777);
    if (fd < 0) {
        const int err = errno;
#if !MEMSHARE_LINUX_EXTRAS
        // EEXIST: the segment is someone else's (R's, say). Its entry stays, so that it is listed,
        // but not with this process as its creator: once this process ends, a sweep would take
        // the segment for a dead creator's half-written one and remove it.
        if (indexed && err == EEXIST && !posix_index::set_creator(name, false)) posix_index::remove(name);
        if (indexed && err != EEXIST) posix_index::remove(name);
#endif
        throw os_error("cannot create segment '" + name + "'", err);
    }
    SegmentFile file(name, fd, true);
    auto fail = [&](const std::string& what, int err) {
        unlink_segment(name);
        return os_error(what + " segment '" + name + "' (" + std::to_string(size) + " bytes)", err);
    };
#if !MEMSHARE_LINUX_EXTRAS
    // The entry was there and not stale (a live creator of the same name that lost the race for
    // the segment, or an entry a view wrote for a foreign segment since removed): this process
    // created the segment, so the record must name it.
    if (!indexed && !posix_index::set_creator(name, true)) throw fail("cannot record the creator of", errno);
#endif
    // shm_open's mode is filtered by the umask; fchmod sets exactly what the caller asked for.
    if (fchmod(fd, mode & 0777) != 0) throw fail("cannot set permissions of", errno);
    if (size > static_cast<uint64_t>(INT64_MAX) - page_size()) throw fail("size too large for", EFBIG);
#if defined(MEMSHARE_PORTABLE_POSIX)
    // What macOS does by itself: the object's size is a whole number of pages (16 KiB here).
    size = (size + page_size() - 1) / page_size() * page_size();
#endif
    // Once: macOS refuses to size a shared-memory object a second time.
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) throw fail("cannot size", errno);
#if defined(__linux__)
    // Reserve every page now: on a full tmpfs this fails with ENOSPC here, instead of the first
    // write to an unbacked page killing the process with SIGBUS.
    if (size > 0) {
        const int rc = posix_fallocate(fd, 0, static_cast<off_t>(size));
        if (rc != 0) throw fail("cannot reserve space for", rc);
    }
#endif
    return file;
}

SegmentFile SegmentFile::create_with(const std::string& name, const std::vector<uint8_t>& content, uint32_t mode) {
#if MEMSHARE_LINUX_EXTRAS
    const int fd = create_linked(name, content, mode);
    if (fd >= 0) return SegmentFile(name, fd, true);
#endif
    SegmentFile file = create(name, content.size(), mode);
    try {
        file.write_at(0, content.data(), content.size());
    } catch (...) {
        unlink_segment(name);
        throw;
    }
    return file;
}

SegmentFile SegmentFile::open_readonly(const std::string& name) { return SegmentFile(name, open_regular(name, O_RDONLY), false); }

SegmentFile SegmentFile::open_readwrite(const std::string& name) { return SegmentFile(name, open_regular(name, O_RDWR), true); }

void SegmentFile::write_at(uint64_t offset, const void* bytes, uint64_t size) {
    if (!writable_) throw Error(ErrorCode::InvalidArgument, "segment '" + name_ + "' is open read-only");
#if MEMSHARE_LINUX_EXTRAS
    const auto* p = static_cast<const uint8_t*>(bytes);
    for (uint64_t done = 0; done < size;) {
        const ssize_t n = pwrite(static_cast<int>(handle_), p + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw os_error("cannot write segment '" + name_ + "'", n < 0 ? errno : EIO);
        done += static_cast<uint64_t>(n);
    }
#else
    auto region = map(offset + size, true);
    std::memcpy(region->data() + offset, bytes, size);
#endif
}

SegmentStat SegmentFile::stat() const {
    struct stat st;
    if (fstat(static_cast<int>(handle_), &st) != 0) throw os_error("cannot stat segment '" + name_ + "'", errno);
    SegmentStat out{static_cast<uint64_t>(st.st_size), static_cast<uint32_t>(st.st_uid),
                    static_cast<uint32_t>(st.st_mode & 07777), static_cast<uint64_t>(st.st_dev),
                    static_cast<uint64_t>(st.st_ino)};
#if defined(__APPLE__)
    out.mtime_ns = static_cast<int64_t>(st.st_mtimespec.tv_sec) * 1000000000 + st.st_mtimespec.tv_nsec;
    out.ctime_ns = static_cast<int64_t>(st.st_ctimespec.tv_sec) * 1000000000 + st.st_ctimespec.tv_nsec;
#else
    out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    out.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
#endif
    return out;
}

std::shared_ptr<MappedRegion> SegmentFile::map(uint64_t size, bool writable) {
    if (writable && !writable_) throw Error(ErrorCode::InvalidArgument, "segment '" + name_ + "' is open read-only");
    if (size == 0) return std::make_shared<MappedRegion>(nullptr, 0, writable, 0);
    const int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
    void* p = mmap(nullptr, size, prot, MAP_SHARED, static_cast<int>(handle_), 0);
    if (p == MAP_FAILED) throw os_error("cannot map segment '" + name_ + "' (" + std::to_string(size) + " bytes)", errno);
    std::shared_ptr<MappedRegion> region;
    try {
        region = std::make_shared<MappedRegion>(p, size, writable, 0);
    } catch (...) {
        munmap(p, size);
        throw;
    }
    return region;
}

std::vector<uint8_t> SegmentFile::read_all(uint64_t size) {
#if MEMSHARE_LINUX_EXTRAS
    // Cheaper than a mapping for a few bytes: no page-table setup and no munmap.
    std::vector<uint8_t> out(size);
    uint64_t done = 0;
    while (done < size) {
        const ssize_t n = pread(static_cast<int>(handle_), out.data() + done, size - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw os_error("cannot read segment '" + name_ + "'", errno);
        if (n == 0) throw Error(ErrorCode::Corrupt, "segment '" + name_ + "' shrank while being read");
        done += static_cast<uint64_t>(n);
    }
    return out;
#else
    // macOS cannot read() a POSIX shared-memory object: map it.
    auto region = map(size, false);
    return std::vector<uint8_t>(region->data(), region->data() + size);
#endif
}

bool unlink_segment(const std::string& name) {
    const bool removed = shm_unlink(os_name(name).c_str()) == 0;
    const int err = errno;
#if !MEMSHARE_LINUX_EXTRAS
    if (removed || err == ENOENT) posix_index::remove(name);  // the entry goes after its segment
#endif
    if (removed) return true;
    if (err == ENOENT) return false;
    throw os_error("cannot remove segment '" + name + "'", err);
}

bool unlink_segment_if_same(const std::string& name, uint64_t dev, uint64_t ino) {
    // There is no unlink by descriptor: check the identity, then unlink at once. The window left
    // is a few microseconds, and only matters if, within it, someone else removes the object we
    // examined and registers the same name again.
    int fd = -1;
    try {
        fd = open_regular(name, O_RDONLY);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) return false;
        throw;
    }
    struct stat st;
    const int rc = fstat(fd, &st);
    const int err = errno;
    close(fd);
    if (rc != 0) throw os_error("cannot stat segment '" + name + "'", err);
    if (static_cast<uint64_t>(st.st_dev) != dev || static_cast<uint64_t>(st.st_ino) != ino) return false;
    return unlink_segment(name);
}

std::vector<std::string> list_segments() {
#if !MEMSHARE_LINUX_EXTRAS
    return posix_index::list();
#else
    std::vector<std::string> names;
    DIR* dir = opendir("/dev/shm");
    if (dir == nullptr) throw os_error("cannot list /dev/shm", errno);
    while (dirent* e = readdir(dir)) {
        if (e->d_name[0] != '.' || (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0))
            names.emplace_back(e->d_name);
    }
    closedir(dir);
    return names;
#endif
}

bool segments_listable() { return true; }

bool index_foreign_segment(const std::string& name) {
#if MEMSHARE_LINUX_EXTRAS
    (void)name;
    return false;
#else
    return posix_index::add(name, false);
#endif
}

std::string segment_index_directory() {
#if MEMSHARE_LINUX_EXTRAS
    return "";
#else
    return posix_index::directory();
#endif
}

std::optional<SegmentCreator> segment_creator(const std::string& name) {
#if MEMSHARE_LINUX_EXTRAS
    (void)name;
    return std::nullopt;
#else
    return posix_index::creator(name);
#endif
}

std::vector<SegmentWriter> segment_writers() {
    std::vector<SegmentWriter> out;
#if MEMSHARE_LINUX_EXTRAS
    DIR* proc = opendir("/proc");
    if (proc == nullptr) return out;
    const std::string shm_dir = "/dev/shm/";
    while (dirent* e = readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') continue;
        const std::string base = std::string("/proc/") + e->d_name;
        // Shared writable mappings: "addr perms offset major:minor inode path".
        std::ifstream maps(base + "/maps");
        std::string line;
        while (std::getline(maps, line)) {
            if (line.find(shm_dir) == std::string::npos) continue;
            std::istringstream in(line);
            std::string range, perms, offset, device;
            uint64_t ino = 0;
            if (!(in >> range >> perms >> offset >> device >> ino) || perms.size() < 4) continue;
            if (perms[1] != 'w' || perms[3] != 's') continue;
            unsigned maj = 0, min = 0;
            if (std::sscanf(device.c_str(), "%x:%x", &maj, &min) != 2) continue;
            out.push_back(SegmentWriter{static_cast<uint64_t>(makedev(maj, min)), ino, pid});
        }
        // Descriptors open for writing (a page between shm_open and mmap).
        const std::string fd_dir = base + "/fd";
        DIR* fds = opendir(fd_dir.c_str());
        if (fds == nullptr) continue;
        while (dirent* f = readdir(fds)) {
            if (f->d_name[0] == '.') continue;
            char target[4096];
            const std::string link = fd_dir + "/" + f->d_name;
            const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
            if (n <= 0) continue;
            target[n] = '\0';
            if (std::strncmp(target, shm_dir.c_str(), shm_dir.size()) != 0) continue;
            struct stat st;
            if (stat(link.c_str(), &st) != 0) continue;
            std::ifstream info(base + "/fdinfo/" + f->d_name);
            std::string key;
            unsigned long flags = 0;
            bool have_flags = false;
            while (info >> key) {
                if (key == "flags:") {
                    have_flags = static_cast<bool>(info >> std::oct >> flags);
                    break;
                }
            }
            if (!have_flags || (flags & O_ACCMODE) == O_RDONLY) continue;
            out.push_back(SegmentWriter{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), pid});
        }
        closedir(fds);
    }
    closedir(proc);
#endif
    return out;
}

bool segment_writers_known() { return MEMSHARE_LINUX_EXTRAS != 0; }

bool segment_sizes_are_rounded() {
#if defined(__APPLE__) || defined(MEMSHARE_PORTABLE_POSIX)
    return true;
#else
    return false;
#endif
}

void populate_for_write(void* addr, uint64_t size) {
#if defined(__linux__)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older kernels answer EINVAL and pages fault in on first write
#endif
    // Faulting in a page of shared memory costs about a microsecond here, which makes page-table
    // setup, not copying, the bulk of registering; split it over threads for large pages.
    constexpr uint64_t kPerThread = 64ull << 20;
    const uint64_t page = page_size();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = static_cast<unsigned>(std::min<uint64_t>(std::min(cores, 8u), size / kPerThread));
    auto populate = [&](uint64_t from, uint64_t to) {
        madvise(static_cast<char*>(addr) + from, to - from, MADV_POPULATE_WRITE);  // best effort
    };
    if (threads <= 1) {
        populate(0, size);
        return;
    }
    const uint64_t step = (size / threads + page - 1) / page * page;
    std::vector<std::thread> workers;
    try {
        workers.reserve(threads);
        for (unsigned t = 1; t < threads && t * step < size; ++t)
            workers.emplace_back(populate, t * step, std::min(size, (t + 1) * step));
    } catch (...) {
        // No thread (or memory) to spare: the slices nobody took are populated here.
    }
    populate(0, std::min(size, step));
    for (auto& w : workers) w.join();
    for (uint64_t at = (workers.size() + 1) * step; at < size; at += step) populate(at, std::min(size, at + step));
#else
    (void)addr;
    (void)size;
#endif
}

uint64_t page_size() {
#if defined(MEMSHARE_PAGE_SIZE)
    return MEMSHARE_PAGE_SIZE;  // the portable flavour: told 16 KiB, as on Apple silicon
#else
    static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    return page;
#endif
}

int64_t current_pid() { return static_cast<int64_t>(getpid()); }
uint32_t current_uid() { return static_cast<uint32_t>(geteuid()); }

namespace {

struct ProcStat {
    bool found = false;       // the process table answered (false: only kill(pid, 0) can tell)
    bool zombie = false;      // exited, not yet reaped: its mappings are gone
    uint64_t start_time = 0;  // 0 where unknown
};

#if MEMSHARE_LINUX_EXTRAS
// Fields 3 (state) and 22 (start time, clock ticks after boot) of /proc/<pid>/stat.
ProcStat read_proc_stat(int64_t pid) {
    ProcStat out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return out;
    // Field 2 (comm) may contain spaces and parentheses: parse after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) return out;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    char state = '?';
    for (int i = 3; i <= 22; ++i) {
        if (!(rest >> field)) return out;
        if (i == 3) state = field.empty() ? '?' : field[0];
    }
    try {
        out.start_time = std::stoull(field);
    } catch (const std::exception&) {
        return out;
    }
    out.zombie = state == 'Z' || state == 'X';
    out.found = true;
    return out;
}
#elif defined(__APPLE__)
// The kernel's process table (sysctl KERN_PROC_PID): state and start time, microseconds since
// the epoch. The only macOS-only call of the liveness check.
ProcStat read_proc_stat(int64_t pid) {
    ProcStat out;
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, static_cast<int>(pid)};
    struct kinfo_proc info;
    size_t len = sizeof info;
    std::memset(&info, 0, sizeof info);
    if (sysctl(mib, 4, &info, &len, nullptr, 0) != 0 || len == 0 || info.kp_proc.p_pid != pid) return out;
    const struct timeval t = info.kp_proc.p_starttime;
    out.start_time = static_cast<uint64_t>(t.tv_sec) * 1000000u + static_cast<uint64_t>(t.tv_usec);
    out.zombie = info.kp_proc.p_stat == SZOMB;
    out.found = true;
    return out;
}
#else
// The portable flavour has no process table. Each process records itself instead, on first use:
// "<index>/.procs/<pid>" holds its start time (the wall clock in microseconds when it first asked)
// and stays under a shared flock of this process until it exits (the descriptor is never closed,
// and not inherited by exec). A record whose flock is free belongs to a process that is gone,
// whoever has its pid now; a zombie has closed its descriptors too. A process of another user,
// or one that never used memshare, has no record: kill(pid, 0) is all there is to tell then.
std::string proc_record(int64_t pid) { return posix_index::directory() + "/.procs/" + std::to_string(pid); }

uint64_t own_start_time() {
    static std::mutex m;
    static int64_t recorded_for = 0;  // a forked child records itself anew
    static uint64_t start = 0;
    std::lock_guard<std::mutex> guard(m);
    if (recorded_for == getpid()) return start;
    const std::string dir = posix_index::directory() + "/.procs";
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return 0;
    const std::string path = proc_record(getpid());
    unlink(path.c_str());  // a dead process's record under our pid
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return 0;
    timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const uint64_t t = static_cast<uint64_t>(now.tv_sec) * 1000000u + static_cast<uint64_t>(now.tv_nsec / 1000) + 1;
    if (flock(fd, LOCK_SH) != 0 || pwrite(fd, &t, sizeof t, 0) != static_cast<ssize_t>(sizeof t)) {
        close(fd);
        return 0;
    }
    recorded_for = getpid();
    start = t;
    return start;  // fd stays open for the life of the process
}

ProcStat read_proc_stat(int64_t pid) {
    ProcStat out;
    if (pid == getpid()) {
        out.start_time = own_start_time();
        out.found = out.start_time != 0;
        return out;
    }
    const int fd = open(proc_record(pid).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return out;  // no record: not ours to tell
    uint64_t t = 0;
    struct stat st;
    const bool readable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == sizeof t &&
                          pread(fd, &t, sizeof t, 0) == static_cast<ssize_t>(sizeof t);
    // Free for an exclusive flock: no process holds its record, so the recorded one is gone.
    const bool gone = flock(fd, LOCK_EX | LOCK_NB) == 0;
    // A gone process's record is kept: removing it would turn "dead" back into "kill(pid, 0) says
    // it exists" for a zombie. A new process under the pid replaces it; the rest stay (one small
    // file per process that ever asked, in this test-only flavour).
    close(fd);
    if (!readable) return out;
    out.found = true;
    out.zombie = gone;  // "exited": its mappings and descriptors are gone
    out.start_time = t;
    return out;
}
#endif

}  // namespace

uint64_t process_start_time(int64_t pid) {
    const ProcStat st = read_proc_stat(pid);
    return st.found ? st.start_time : 0;
}

bool process_alive(int64_t pid, uint64_t start_time) {
    if (pid <= 0 || pid > static_cast<int64_t>(INT32_MAX)) return false;
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
    const ProcStat st = read_proc_stat(pid);
    if (!st.found) return true;  // no process table: the pid exists, which is all we can tell
    if (st.zombie) return false;
    return start_time == 0 || st.start_time == start_time;
}

}  // namespace memshare

#endif  // !_WIN32

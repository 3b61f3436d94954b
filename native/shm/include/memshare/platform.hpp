// The platform layer: the only code that calls shm_open/mmap (POSIX) or CreateFileMapping/
// MapViewOfFile (Win32). Everything above it works with SegmentFile and MappedRegion.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace memshare {

// Facts about an open segment, from fstat (POSIX) or the mapped view (Windows).
struct SegmentStat {
    uint64_t size = 0;
    uint32_t uid = 0;   // owner (POSIX); 0 on Windows
    uint32_t mode = 0;  // permission bits (POSIX); 0 on Windows
    // Identity of the object (POSIX st_dev/st_ino): tells a re-registered name from the
    // object a view mapped before. 0 on Windows, where the check is skipped.
    uint64_t dev = 0;
    uint64_t ino = 0;
    // Last modification and status change, nanoseconds since the Unix epoch (POSIX); 0 on Windows.
    // A metadata segment is written once, at publish: its mtime is when the variable was published.
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
};

// A mapping of a segment into this process. Unmapped on destruction.
//
// retire() makes the shared memory unreachable through this address range without freeing the
// range: the shared pages are replaced in place by private anonymous zero pages (read-only for a
// view, read-write for a page). A buffer that still points into the range then reads zeros (and
// an owner's stale writes land in private memory) instead of faulting, so use after release can
// never crash the process. The range itself is freed by the destructor, once nothing points
// into it any more.
class MappedRegion {
public:
    MappedRegion(void* addr, uint64_t size, bool writable, intptr_t keepalive);
    ~MappedRegion();
    MappedRegion(const MappedRegion&) = delete;
    MappedRegion& operator=(const MappedRegion&) = delete;

    uint8_t* data() const { return static_cast<uint8_t*>(addr_); }
    uint64_t size() const { return size_; }
    bool writable() const { return writable_; }
    bool retired() const { return retired_; }
    void retire();

private:
    void* addr_;
    uint64_t size_;
    bool writable_;
    bool retired_ = false;
    intptr_t keepalive_;  // Windows: the mapping HANDLE, closed with the region; POSIX: -1 = never unmap
};

// An open shared-memory object (fd or HANDLE), closed on destruction.
class SegmentFile {
public:
    // Creates `name` exclusively (O_CREAT|O_EXCL), sets permission bits to exactly `mode`
    // (not filtered by umask), and reserves `size` bytes up front where the OS can
    // (posix_fallocate on Linux), so a full file system is an error here and not a SIGBUS later.
    // On any failure nothing is left behind.
    static SegmentFile create(const std::string& name, uint64_t size, uint32_t mode);
    // Creates `name` exclusively with exactly `content` in it, so that no process ever finds the
    // name with other bytes (Linux: an unnamed O_TMPFILE file in /dev/shm, written, then linked
    // under the name; elsewhere, or without /proc, create() and write, with a short window of
    // zeros that readers wait out). Throws AlreadyExists if the name is taken.
    static SegmentFile create_with(const std::string& name, const std::vector<uint8_t>& content, uint32_t mode);
    // Opens an existing object read-only, or (for the owner) read-write. Never blocks and never
    // follows a symbolic link: a name that is not a regular file (FIFO, directory, socket, device
    // node, symlink) is refused with Error(Corrupt) saying what it is, before anything is read.
    static SegmentFile open_readonly(const std::string& name);
    static SegmentFile open_readwrite(const std::string& name);

    SegmentFile(SegmentFile&& other) noexcept;
    SegmentFile& operator=(SegmentFile&&) = delete;
    SegmentFile(const SegmentFile&) = delete;
    ~SegmentFile();

    SegmentStat stat() const;
    // Maps `size` bytes (read-write only for files opened writable). A zero size gives a region
    // with a null address. Nothing is populated ahead (see populate_for_write).
    std::shared_ptr<MappedRegion> map(uint64_t size, bool writable);
    // A copy of the first `size` bytes (for small objects such as metadata): pread where the OS
    // allows reading a shared-memory object (Linux), else a temporary mapping. Throws Corrupt if
    // the object is shorter.
    std::vector<uint8_t> read_all(uint64_t size);
    // Writes `size` bytes at `offset` (pwrite on Linux, else through a temporary mapping). Only
    // for files opened writable.
    void write_at(uint64_t offset, const void* bytes, uint64_t size);
    const std::string& name() const { return name_; }

private:
    SegmentFile(std::string name, intptr_t handle, bool writable);
    std::string name_;
    intptr_t handle_;
    bool writable_;
};

// Removes the name; memory stays alive while anyone maps it. Returns false if it did not exist.
// (Windows has no unlink: a mapping disappears with its last handle; this returns true there.)
bool unlink_segment(const std::string& name);

// Removes the name only while it still refers to the object (dev, ino) the caller examined, so a
// name freed and registered again meanwhile by someone else is left alone. Returns false if the
// name is gone or now refers to another object. (Windows: no unlink; returns true.)
bool unlink_segment_if_same(const std::string& name, uint64_t dev, uint64_t ino);

// Sets up the page tables of a fresh writable mapping ahead of the first writes, in parallel
// for large ones (Linux MADV_POPULATE_WRITE; best effort, a no-op where unsupported).
void populate_for_write(void* addr, uint64_t size);

// Names of all shared-memory objects visible to this process: Linux, the entries of /dev/shm;
// macOS and the portable flavour, where shared memory cannot be listed, the entries of this
// user's index directory that memshare writes for every segment it creates (docs/FORMAT.md §8).
std::vector<std::string> list_segments();
// Whether list_segments() can see every segment: false on Windows, whose named objects cannot be
// enumerated (there the list is always empty, and `memshare ls` must say it cannot list rather
// than "no variables").
bool segments_listable();
// Lists a segment another tool made (R memshare, a test's raw segment) where listing needs the
// index directory; a no-op where /dev/shm is listed. Returns whether it added an entry.
bool index_foreign_segment(const std::string& name);
// The index directory where listing needs one (macOS, the portable flavour), made 0700 on first
// use; "" where /dev/shm is listed (and on Windows).
std::string segment_index_directory();

// The process that created segment `name`, as memshare records it in the segment's index entry
// (macOS and the portable flavour); nullopt without an index, for an entry memshare did not make
// (R's, a foreign one), or for an entry that is not exactly such a record (never trusted further).
// Lets the sweep judge a segment whose creator was killed before it wrote the owner trailer.
struct SegmentCreator {
    int64_t pid = 0;
    uint64_t start_time = 0;
    uint32_t uid = 0;
};
std::optional<SegmentCreator> segment_creator(const std::string& name);

// The memory page size this build works with (sysconf; the portable flavour is told 16 KiB).
uint64_t page_size();

// A process that maps a segment object shared and writable, or holds a descriptor to it open for
// writing: what a page's owner does from shm_open until release.
struct SegmentWriter {
    uint64_t dev = 0;
    uint64_t ino = 0;
    int64_t pid = 0;
};
// Every such (object, process) pair for objects in the shared-memory directory, among the
// processes whose /proc entries this one may read (Linux; empty on macOS and in the portable
// flavour, which have no /proc).
std::vector<SegmentWriter> segment_writers();
// Whether segment_writers can see anything here (Linux with /proc; false on macOS, Windows and in
// the portable flavour, where the sweep judges by the owner record alone).
bool segment_writers_known();

// True when the OS reports segment sizes rounded up to pages (macOS, Windows, the portable flavour).
bool segment_sizes_are_rounded();

// This process's identity as recorded in the metadata trailer.
int64_t current_pid();
uint32_t current_uid();
// Start time of process `pid` in OS-specific units (Linux: clock ticks after boot, field 22 of
// /proc/<pid>/stat; macOS: microseconds since the epoch, from sysctl KERN_PROC_PID); 0 if unknown
// (the portable flavour, which has no process table) or the process does not exist.
uint64_t process_start_time(int64_t pid);
// True if a process with this pid exists, is not a zombie (exited, not yet reaped: its mappings
// are gone) and (when start_time != 0) started at that time, so a reused pid is not taken for the
// original owner.
bool process_alive(int64_t pid, uint64_t start_time);

}  // namespace memshare

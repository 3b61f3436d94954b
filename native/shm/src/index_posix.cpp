// The per-user index directory: where macOS (and the portable flavour) find their segments,
// since POSIX shared memory cannot be listed there (docs/FORMAT.md §8, docs/SECURITY.md).
// An entry is an empty file named like its segment, made before the segment and removed after it.
#if !defined(_WIN32)

#include "posix_flavour.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "memshare/error.hpp"
#include "memshare/platform.hpp"

namespace memshare::posix_index {

namespace {

std::string base_directory() {
#if defined(MEMSHARE_PORTABLE_POSIX)
    // The test flavour only: scripts/lib/portable-posix.sh gives each run a fresh directory, so
    // that a run in a private /dev/shm neither sees nor removes (as stale) the entries of another
    // run on the host (/tmp is shared across mount namespaces), and so that what a run leaves
    // behind can be checked and then removed. Never compiled into a shipped build: there a
    // variable in the environment must not move where every process looks for segments, or two
    // processes of one user would not see each other's.
    if (const char* dir = std::getenv("MEMSHARE_INDEX_DIR"); dir != nullptr && *dir != '\0') {
        if (dir[0] != '/')
            throw Error(ErrorCode::InvalidArgument,
                        std::string("MEMSHARE_INDEX_DIR must be an absolute path, not '") + dir + "'");
        return dir;
    }
#endif
#if defined(__APPLE__)
    // The per-user temporary directory launchd makes (/var/folders/.../T/), mode 0700.
    char buf[1024];
    const size_t n = confstr(_CS_DARWIN_USER_TEMP_DIR, buf, sizeof buf);
    if (n > 0 && n <= sizeof buf) return std::string(buf) + "memshare";
#endif
    return "/tmp/memshare-" + std::to_string(geteuid());
}

Error unsafe(const std::string& dir, const std::string& what) {
    return Error(ErrorCode::PermissionDenied, "the memshare index directory " + dir + " is " + what +
                                                  "; it must be a directory of this user with mode 0700: remove it, "
                                                  "memshare makes it again");
}

// Segment names as segment_names makes them: no path separator, no leading dot, short.
bool plausible_name(const char* n) {
    const size_t len = std::strlen(n);
    return len > 0 && len <= 255 && n[0] != '.' && std::strchr(n, '/') == nullptr;
}

constexpr char kMagic[8] = {'M', 'S', 'I', 'D', 'X', '0', '0', '1'};
constexpr size_t kRecordBytes = 32;

}  // namespace

std::optional<SegmentCreator> creator(const std::string& name) {
#if defined(MEMSHARE_INDEX_EXPERIMENT_OFF)
    (void)name;
    return std::nullopt;
#else
    const int fd = open(entry_path(name).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    uint8_t rec[kRecordBytes];
    struct stat st;
    // Exactly one record, of this user: a huge, short or foreign entry is not read further.
    const bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
                    st.st_size == static_cast<off_t>(kRecordBytes) && pread(fd, rec, sizeof rec, 0) == static_cast<ssize_t>(sizeof rec);
    close(fd);
    if (!ok || std::memcmp(rec, kMagic, 8) != 0) return std::nullopt;
    SegmentCreator c;
    std::memcpy(&c.pid, rec + 8, 8);
    std::memcpy(&c.start_time, rec + 16, 8);
    std::memcpy(&c.uid, rec + 24, 4);
    if (c.pid <= 0) return std::nullopt;
    return c;
#endif
}

std::string directory() {
    static const std::string dir = base_directory();
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw os_error("cannot create the memshare index directory " + dir, errno);
    struct stat st;
    if (lstat(dir.c_str(), &st) != 0) throw os_error("cannot examine the memshare index directory " + dir, errno);
    if (S_ISLNK(st.st_mode)) throw unsafe(dir, "a symbolic link");
    if (!S_ISDIR(st.st_mode)) throw unsafe(dir, "not a directory");
    if (st.st_uid != geteuid()) throw unsafe(dir, "owned by uid " + std::to_string(st.st_uid));
    if ((st.st_mode & 077) != 0) throw unsafe(dir, "open to other users");
    return dir;
}

std::string entry_path(const std::string& name) { return directory() + "/" + name; }

namespace {

// Writes this process's creator record (32 bytes: "MSIDX001", pid, start time, uid) into `fd`.
bool write_creator_record(int fd) {
    uint8_t rec[kRecordBytes] = {};
    const int64_t pid = current_pid();
    const uint64_t start = process_start_time(pid);
    const uint32_t uid = current_uid();
    std::memcpy(rec, kMagic, 8);
    std::memcpy(rec + 8, &pid, 8);
    std::memcpy(rec + 16, &start, 8);
    std::memcpy(rec + 24, &uid, 4);
    return pwrite(fd, rec, sizeof rec, 0) == static_cast<ssize_t>(sizeof rec) && ftruncate(fd, sizeof rec) == 0;
}

// Whether segment `name` exists (an error other than "no such object" counts as existing).
bool segment_exists(const std::string& name) {
    const std::string shm = "/" + name;
#if defined(__linux__)
    const int fd = shm_open(shm.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0);  // /dev/shm may hold a FIFO
#else
    const int fd = shm_open(shm.c_str(), O_RDONLY | O_CLOEXEC, 0);  // macOS refuses the other flags
#endif
    if (fd >= 0) close(fd);
    return fd >= 0 || errno != ENOENT;
}

}  // namespace

bool add(const std::string& name, bool record_creator) {
#if defined(MEMSHARE_INDEX_EXPERIMENT_OFF)
    (void)name, (void)record_creator;
    return false;  // the index disabled, to show which tests need it (never in a shipped build)
#else
    const std::string path = entry_path(name);
    constexpr int kFlags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    int fd = open(path.c_str(), O_CREAT | O_EXCL | kFlags, 0600);
    const int err = errno;
    struct stat st;
    if (fd < 0 && err == EEXIST && record_creator && lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        // An entry without its segment, and without a creator that lives, is stale: its creator
        // was killed between the entry and its shm_open, or while writing the record (an empty
        // entry). This creator takes it over, so that the sweep can judge the segment it makes.
        // A live creator's entry stays: it is about to create its segment, or has.
        const auto old = creator(name);
        if (!segment_exists(name) && (!old || !process_alive(old->pid, old->start_time))) fd = open(path.c_str(), kFlags);
    }
    if (fd < 0) {
        if (err != EEXIST) throw os_error("cannot add '" + name + "' to the index directory", err);
        if (lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
            throw Error(ErrorCode::Corrupt, "index entry " + path + " is not a regular file: remove it by hand");
        return false;
    }
    if (record_creator) {
        if (!write_creator_record(fd)) {
            const int werr = errno;
            close(fd);
            unlink(path.c_str());
            throw os_error("cannot write the index entry of '" + name + "'", werr);
        }
    }
    close(fd);
    return true;
#endif
}

bool set_creator(const std::string& name, bool this_process) noexcept {
#if defined(MEMSHARE_INDEX_EXPERIMENT_OFF)
    (void)name, (void)this_process;
    return true;
#else
    try {
        if (!this_process) {
            // Only this process's own record goes: another creator may have won the segment and
            // recorded itself meanwhile.
            const auto old = creator(name);
            if (!old || old->pid != current_pid()) return true;
        }
        const int fd = open(entry_path(name).c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) return errno == ENOENT;  // no entry: no record to trust
        struct stat st;
        bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        if (ok) ok = this_process ? write_creator_record(fd) : ftruncate(fd, 0) == 0;
        close(fd);
        return ok;
    } catch (...) {  // the index directory unusable: no record was written
        return false;
    }
#endif
}

void remove(const std::string& name) noexcept {
    try {
        unlink(entry_path(name).c_str());
    } catch (...) {
    }
}

std::vector<std::string> list() {
    std::vector<std::string> names;
#if !defined(MEMSHARE_INDEX_EXPERIMENT_OFF)
    const std::string dir = directory();
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) throw os_error("cannot list the memshare index directory " + dir, errno);
    const int dfd = dirfd(d);
    const time_t now = time(nullptr);
    while (dirent* e = readdir(d)) {
        if (!plausible_name(e->d_name)) continue;
        struct stat st;
        // Never follows a link and never opens the entry: a symlink, FIFO or huge file is skipped
        // without being read.
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        if (!segment_exists(e->d_name)) {
            if (now - st.st_mtime > 60) unlinkat(dfd, e->d_name, 0);
            continue;
        }
        names.emplace_back(e->d_name);
    }
    closedir(d);
#endif
    return names;
}

}  // namespace memshare::posix_index

#endif  // !_WIN32

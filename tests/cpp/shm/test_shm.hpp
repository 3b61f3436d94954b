// Test helpers for suites that touch real shared memory: a unique namespace per test, raw
// segment writers (to fake R-written or hostile segments), and a fixture that fails the test and
// cleans up when a segment of its namespace is left in /dev/shm.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memshare/platform.hpp"
#include "test_bytes.hpp"

// Built with AddressSanitizer (MEMSHARE_SANITIZE)? Its runtime maps memory as the heap grows and
// needs file descriptors of its own, so exact process-wide counts of those do not hold there.
#if defined(__SANITIZE_ADDRESS__)
#define MEMSHARE_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMSHARE_TEST_SANITIZED 1
#endif
#endif
#ifndef MEMSHARE_TEST_SANITIZED
#define MEMSHARE_TEST_SANITIZED 0
#endif

namespace memshare_test {

constexpr bool kSanitized = MEMSHARE_TEST_SANITIZED != 0;

// "mst<pid>_<TestName>": unique per process and test, so parallel ctest runs never collide.
inline std::string unique_ns(const std::string& suffix = "") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? info->name() : "none";
    for (char& c : name)
        if (c == '/') c = '_';  // parameterised test names
    return "mst" + std::to_string(getpid()) + "_" + name + suffix;
}

// Every shared-memory object whose name belongs to namespace `ns` ("<ns>." prefix).
inline std::vector<std::string> segments_of(const std::string& ns) {
    std::vector<std::string> out;
    const std::string prefix = ns + ".";
    for (const auto& n : memshare::list_segments())
        if (n.compare(0, prefix.size(), prefix) == 0) out.push_back(n);
    return out;
}

inline std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

// Removes segment `name` by its name, and its index entry where there is an index (macOS, the
// portable flavour): a test that removes a segment by hand, as another tool would, must not leave
// its entry behind.
inline void unlink_raw(const std::string& name) {
    shm_unlink(("/" + name).c_str());
    const std::string dir = memshare::segment_index_directory();
    if (!dir.empty()) unlink((dir + "/" + name).c_str());
}

// Removes every segment of namespace `ns`, and every index entry of `ns`, also those whose
// segment is already gone (the listing no longer shows them).
inline void remove_segments_of(const std::string& ns) {
    for (const auto& n : segments_of(ns)) unlink_raw(n);
    const std::string dir = memshare::segment_index_directory();
    if (dir.empty()) return;
    const std::string prefix = ns + ".";
    std::vector<std::string> entries;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d))
            if (std::strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0) entries.emplace_back(e->d_name);
        closedir(d);
    }
    for (const auto& n : entries) unlink_raw(n);
}

// Creates a segment with exactly `size` bytes, the first ones being `bytes`; 0 on success,
// errno otherwise.
inline int create_raw(const std::string& name, const Bytes& bytes, uint64_t size, mode_t mode = 0600) {
    const int fd = shm_open(("/" + name).c_str(), O_CREAT | O_EXCL | O_RDWR, mode);
    if (fd < 0) return errno;
    int err = 0;
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) err = errno;
    std::size_t done = 0;
    while (err == 0 && done < bytes.size()) {
        const ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n < 0) err = errno;
        else done += static_cast<std::size_t>(n);
    }
    if (err == 0 && fchmod(fd, mode) != 0) err = errno;
    close(fd);
    if (err != 0) shm_unlink(("/" + name).c_str());
    // Where shm cannot be listed (macOS, the portable flavour), a segment another tool made is
    // found only through its index entry, as R's would be once indexed.
    if (err == 0) memshare::index_foreign_segment(name);
    return err;
}

inline int create_raw(const std::string& name, const Bytes& bytes) { return create_raw(name, bytes, bytes.size()); }

inline Bytes read_shm(const std::string& name) {
    Bytes out;
    const int fd = shm_open(("/" + name).c_str(), O_RDONLY, 0);
    if (fd < 0) return out;
    uint8_t buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
    close(fd);
    return out;
}

// The `n` bytes written to segment `name`. Where the OS rounds a segment's size up to whole pages
// (macOS, the portable flavour's 16 KiB), the object must be exactly that long and zero past `n`.
inline uint64_t rounded_size(uint64_t n) {
    if (!memshare::segment_sizes_are_rounded()) return n;
    const uint64_t page = memshare::page_size();
    return (n + page - 1) / page * page;
}
inline Bytes written_shm(const std::string& name, std::size_t n) {
    Bytes b = read_shm(name);
    if (!memshare::segment_sizes_are_rounded()) return b;
    EXPECT_EQ(b.size(), rounded_size(n)) << name;
    if (b.size() < n) return b;
    for (std::size_t i = n; i < b.size(); ++i)
        if (b[i] != 0) {
            ADD_FAILURE() << name << ": byte " << i << " past the " << n << " written is not zero";
            break;
        }
    b.resize(n);
    return b;
}

// Open file descriptors of this process.
// Mappings of this process whose file is a segment of namespace `ns` (lines of /proc/self/maps).
inline int count_mappings_of(const std::string& ns) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    int n = 0;
    while (std::getline(maps, line))
        if (line.find("/dev/shm/" + ns + ".") != std::string::npos) ++n;
    return n;
}

inline int count_fds() {
    int n = 0;
    DIR* d = opendir("/proc/self/fd");
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n - 1;  // the descriptor opendir itself holds
}

// Permission bits of /dev/shm/<name>, or -1 when it does not exist.
inline int shm_mode(const std::string& name) {
    struct stat st;
    if (stat(("/dev/shm/" + name).c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
}

// Fixture for tests that create segments: ns_ is unique, and TearDown fails the test (and
// removes the leftovers, so /dev/shm stays clean) if anything of ns_ is still there.
class ShmTest : public ::testing::Test {
protected:
    void SetUp() override {
        ns_ = unique_ns();
        ASSERT_TRUE(segments_of(ns_).empty()) << "stale segments: " << join(segments_of(ns_));
    }
    void TearDown() override {
        for (const auto& extra : extra_ns_) check_clean(extra);
        check_clean(ns_);
    }
    static void check_clean(const std::string& ns) {
        const auto left = segments_of(ns);
        EXPECT_TRUE(left.empty()) << "segments left in /dev/shm: " << join(left);
        remove_segments_of(ns);
    }
    // A second namespace that TearDown also checks.
    std::string other_ns(const std::string& suffix) {
        extra_ns_.push_back(ns_ + suffix);
        return extra_ns_.back();
    }
    std::string ns_;
    std::vector<std::string> extra_ns_;
};

}  // namespace memshare_test

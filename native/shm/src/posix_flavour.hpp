// Private to the shared-memory core: which POSIX mechanisms this build uses (docs/FORMAT.md §8).
//
// Linux (default): /dev/shm is listed, /proc gives liveness, start times and writers, O_TMPFILE
// creates a segment with its content, and a lock is a robust pthread mutex in its segment.
// macOS has none of these, and the portable flavour (-DMEMSHARE_PORTABLE_POSIX=ON, Linux only,
// for testing the macOS paths here) does without them too: segments are listed from a per-user
// index directory, liveness comes from kill(pid, 0) (plus the macOS process table on macOS), a
// segment is created then written, and a lock is an flock on a lock file.
#pragma once

#if !defined(_WIN32)
#if defined(__linux__) && !defined(MEMSHARE_PORTABLE_POSIX)
#define MEMSHARE_LINUX_EXTRAS 1
#else
#define MEMSHARE_LINUX_EXTRAS 0
#endif
#endif

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memshare/platform.hpp"

namespace memshare::posix_index {

// The index directory ("<per-user temp dir>/memshare" on macOS, "/tmp/memshare-<uid>" elsewhere),
// created 0700 on first use; throws PermissionDenied naming the fix when it is not a directory of
// this user with mode 0700 (a symbolic link, another user's, open to others).
std::string directory();
// "<directory>/<name>": the entry of segment `name` (an empty file; its content is never read).
std::string entry_path(const std::string& name);
// Creates the entry of `name`, with this process as its creator when `record_creator` (32 bytes:
// "MSIDX001", pid, start time, uid); returns whether this call created it (false: it existed).
bool add(const std::string& name, bool record_creator);
// Rewrites the creator record of an existing entry: with `this_process`, this process's (it has
// just won the segment's shm_open(O_EXCL), so whatever record was there is not its creator's);
// without, removes the record if it is this process's (its create failed: the segment exists and
// is someone else's, e.g. R's, which records no creator). A sweep removes the segments of a dead
// recorded creator, so a wrong record would delete a live segment. Returns false on failure.
bool set_creator(const std::string& name, bool this_process) noexcept;
// The creator recorded in the entry of `name` (see memshare::segment_creator).
std::optional<SegmentCreator> creator(const std::string& name);
// Removes the entry of `name` if present (never throws).
void remove(const std::string& name) noexcept;
// The names of the regular-file entries whose segment exists. Skips symbolic links, other file
// types and names no segment can have; an entry whose segment is gone is skipped, and removed
// once it is a minute old (a creator between its entry and its shm_open is younger).
std::vector<std::string> list();

}  // namespace memshare::posix_index

// Private to the shared-memory core: the one validated path by which segments are read, shared by
// views (registry.cpp) and inspection/sweep (inspect.cpp), so both refuse the same things.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memshare/metadata.hpp"
#include "memshare/naming.hpp"
#include "memshare/platform.hpp"
#include "memshare/registry.hpp"

namespace memshare::detail {

// Reads a whole metadata segment through a read-only mapping (portable: macOS shm objects do not
// support read()). Throws Error(Corrupt) for a segment too large to be metadata.
std::vector<uint8_t> read_segment(SegmentFile& file, const SegmentStat& st);

// Throws Error(PermissionDenied) when the segment belongs to another uid and options do not allow it.
void check_owner(const SegmentStat& st, const std::string& segment, const ViewOptions& options);

// Opens, owner-checks, reads and decodes a metadata segment. `stat_out`, if given, receives its stat.
Metadata load_metadata(const SegmentNames& names, const ViewOptions& options, SegmentStat* stat_out = nullptr);

}  // namespace memshare::detail

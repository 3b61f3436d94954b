// Naming policy: how a (namespace, variable) pair becomes OS shared-memory object names.
// A pure function of its inputs and the target platform, so every platform's rule is testable on
// Linux. Names are R memshare's: "<ns>.<var>" for data, "<ns>.md.<var>" for metadata, with the
// "Local\" prefix on Windows.
#pragma once

#include <string>
#include <string_view>

namespace memshare {

enum class Platform { Linux, MacOS, Windows };

Platform host_platform();
const char* platform_name(Platform p);

struct SegmentNames {
    std::string data;      // e.g. "rns.X" (Linux/macOS) or "Local\\rns.X" (Windows)
    std::string metadata;  // e.g. "rns.md.X"
};

// Longest object name the platform accepts, counted as the string passed to the OS (including
// the "Local\" prefix on Windows): Linux NAME_MAX 255, macOS PSHMNAMLEN 31, Windows MAX_PATH 260.
std::size_t max_segment_name_length(Platform p);

// Throws Error(InvalidName) naming the offending value and the rule when a part is empty, contains
// '/', '\' or NUL, or when a resulting name is longer than the platform allows.
SegmentNames segment_names(std::string_view ns, std::string_view var, Platform p = host_platform());

// Validates one part (namespace or variable) alone; `what` is "namespace" or "variable".
void validate_name_part(std::string_view value, const char* what);

}  // namespace memshare

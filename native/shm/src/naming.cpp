#include "memshare/naming.hpp"

#include "memshare/error.hpp"

namespace memshare {

Platform host_platform() {
#if defined(_WIN32)
    return Platform::Windows;
#elif defined(__APPLE__)
    return Platform::MacOS;
#else
    return Platform::Linux;
#endif
}

const char* platform_name(Platform p) {
    switch (p) {
        case Platform::Linux: return "Linux";
        case Platform::MacOS: return "macOS";
        case Platform::Windows: return "Windows";
    }
    return "unknown";
}

std::size_t max_segment_name_length(Platform p) {
    switch (p) {
        case Platform::Linux: return 255;    // NAME_MAX of the /dev/shm file name
        case Platform::MacOS: return 31;     // PSHMNAMLEN
        case Platform::Windows: return 260;  // MAX_PATH for kernel object names
    }
    return 0;
}

// Printable form of a name for messages: NUL and control characters shown as \xNN.
static std::string printable(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

void validate_name_part(std::string_view value, const char* what) {
    if (value.empty()) throw Error(ErrorCode::InvalidName, std::string(what) + " name must not be empty");
    for (char c : value) {
        const char* rule = nullptr;
        if (c == '/') rule = "must not contain '/'";
        else if (c == '\\') rule = "must not contain '\\'";
        else if (c == '\0') rule = "must not contain a NUL character";
        if (rule) throw Error(ErrorCode::InvalidName, std::string(what) + " name '" + printable(value) + "' " + rule);
    }
}

SegmentNames segment_names(std::string_view ns, std::string_view var, Platform p) {
    validate_name_part(ns, "namespace");
    validate_name_part(var, "variable");
    const std::string prefix = p == Platform::Windows ? "Local\\" : "";
    SegmentNames names{prefix + std::string(ns) + "." + std::string(var),
                       prefix + std::string(ns) + ".md." + std::string(var)};
    const std::size_t limit = max_segment_name_length(p);
    if (names.metadata.size() > limit) {
        throw Error(ErrorCode::InvalidName,
                    "segment name '" + printable(names.metadata) + "' for namespace '" + printable(ns) +
                        "', variable '" + printable(var) + "' is " + std::to_string(names.metadata.size()) +
                        " characters; " + platform_name(p) + " allows at most " + std::to_string(limit));
    }
    return names;
}

}  // namespace memshare

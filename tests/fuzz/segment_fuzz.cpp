// libFuzzer target over what a reader finds in the shared-memory directory: not only bad bytes
// (metadata_fuzz.cpp covers the codec) but any kind of file under a segment's name. Each input
// becomes a real pair of names in /dev/shm, each a regular file with fuzzed bytes, a FIFO, a
// directory or a symbolic link (to the other name, to itself, or nowhere), and every reader runs
// over it: a view, inspect, the listing of the namespace and a dry-run sweep. libFuzzer's
// -timeout turns a reader that blocks into a failure; AddressSanitizer catches reads past a file.
//
// Input framing: byte 0 = file type of the metadata name, byte 1 = of the data name (each mod 4:
// regular, FIFO, directory, symlink; for a symlink the next byte picks its target), bytes 2-3 =
// metadata length L (little-endian, clamped), then L metadata bytes, then the data bytes.
//
// Properties besides "no crash, no hang, no UB": failures are memshare::Error of the codes a
// reader may give (Corrupt, NotFound, PermissionDenied), never another exception; a view that
// succeeds maps exactly the bytes its metadata describes; nothing but the dry run touches files.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "memshare/error.hpp"
#include "memshare/inspect.hpp"
#include "memshare/registry.hpp"

using namespace memshare;

namespace {

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "segment_fuzz: %s\n", why);
    __builtin_trap();
}

enum FileType : uint8_t { kRegular = 0, kFifo = 1, kDirectory = 2, kSymlink = 3 };

std::string path_of(const std::string& name) { return "/dev/shm/" + name; }

void remove_name(const std::string& name) {
    const std::string p = path_of(name);
    if (unlink(p.c_str()) != 0) rmdir(p.c_str());
}

void make(FileType type, const std::string& name, const std::string& other, uint8_t link_choice, const uint8_t* bytes,
          std::size_t size) {
    const std::string p = path_of(name);
    switch (type) {
        case kRegular: {
            const int fd = open(p.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
            if (fd < 0) return;
            if (size > 0 && write(fd, bytes, size) < 0) {
            }
            close(fd);
            return;
        }
        case kFifo: mkfifo(p.c_str(), 0600); return;
        case kDirectory: mkdir(p.c_str(), 0700); return;
        case kSymlink: {
            const std::string targets[] = {path_of(other), p, "/dev/null", "/nonexistent"};
            if (symlink(targets[link_choice % 4].c_str(), p.c_str()) != 0) {
            }
            return;
        }
    }
}

void expect_reader_error(const Error& e) {
    if (e.code() != ErrorCode::Corrupt && e.code() != ErrorCode::NotFound && e.code() != ErrorCode::PermissionDenied &&
        e.code() != ErrorCode::Io)
        fail("a reader failed with an unexpected error code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, std::size_t size) {
    if (size < 4) return 0;
    static const std::string ns = "fz" + std::to_string(getpid());
    const std::string md = ns + ".md.X", data = ns + ".X";
    const auto md_type = static_cast<FileType>(input[0] % 4), data_type = static_cast<FileType>(input[1] % 4);
    std::size_t md_len = static_cast<std::size_t>(input[2]) | (static_cast<std::size_t>(input[3]) << 8);
    if (md_len > size - 4) md_len = size - 4;
    const uint8_t* md_bytes = input + 4;
    const uint8_t* data_bytes = md_bytes + md_len;
    const std::size_t data_len = size - 4 - md_len;
    make(md_type, md, data, md_len > 0 ? md_bytes[0] : 0, md_bytes, md_len);
    make(data_type, data, md, data_len > 0 ? data_bytes[0] : 1, data_bytes, data_len);

    Registry reg;
    try {
        Attached v = reg.acquire_view(ns, "X");
        if (v.region->size() != v.metadata.layout.data_bytes()) fail("a view maps other than what its metadata describes");
        volatile uint8_t sink = 0;
        for (uint64_t i = 0; i < v.region->size(); i += 4096) sink = sink ^ v.region->data()[i];
        reg.release_view(ns, "X", v.lease);
    } catch (const Error& e) {
        expect_reader_error(e);
    } catch (...) {
        fail("a view threw something other than memshare::Error");
    }
    try {
        (void)inspect_segment(ns, "X");
        (void)scan_segments(ns);
        SweepOptions dry;
        dry.ns = ns;
        dry.dry_run = true;
        (void)sweep(dry);
    } catch (...) {
        fail("inspect, the listing or the sweep threw");
    }
    remove_name(md);
    remove_name(data);
    return 0;
}

// Names in the shared-memory directory that are not regular files. /dev/shm is writable by every
// local user, so anyone can put a FIFO (whose plain open blocks until a writer comes), a
// directory, a socket, a symbolic link or a device node under a segment's name. Views, inspect,
// the listing and the sweep must each return promptly with a clean error (or a line saying what
// is wrong), never block, never follow the link, and never remove what they cannot judge.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/inspect.hpp"
#include "memshare/metadata.hpp"
#include "memshare/registry.hpp"
#include "test_bytes.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

using memshare::ErrorCode;
using memshare::Registry;
using memshare::SweepAction;
using memshare_test::Bytes;
using memshare_test::create_raw;
using memshare_test::doubles_le;
using memshare_test::record;

namespace {

enum class FileType { Fifo, Directory, Socket, Symlink, CharDevice };

const char* type_name(FileType t) {
    switch (t) {
        case FileType::Fifo: return "fifo";
        case FileType::Directory: return "directory";
        case FileType::Socket: return "socket";
        case FileType::Symlink: return "symlink";
        case FileType::CharDevice: return "chardevice";
    }
    return "?";
}

// Creates /dev/shm/<name> as a file of type `t`; "" on success, else why not. A socket is bound
// and left listening by a descriptor the caller closes; the symlink points at `target` (a valid
// segment, the worst case: following it would read something the name does not own).
std::string make_file(FileType t, const std::string& name, const std::string& target, int* socket_fd) {
    const std::string path = "/dev/shm/" + name;
    memshare::index_foreign_segment(name);  // listed where listing needs the index (portable flavour)
    switch (t) {
        case FileType::Fifo:
            return mkfifo(path.c_str(), 0600) == 0 ? "" : std::string("mkfifo: ") + std::strerror(errno);
        case FileType::Directory:
            return mkdir(path.c_str(), 0700) == 0 ? "" : std::string("mkdir: ") + std::strerror(errno);
        case FileType::Symlink:
            return symlink(("/dev/shm/" + target).c_str(), path.c_str()) == 0 ? "" : std::string("symlink: ") + std::strerror(errno);
        case FileType::CharDevice:
            // A copy of /dev/null. On a nodev mount opening it fails with EACCES, also clean.
            return mknod(path.c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0 ? "" : std::string("mknod: ") + std::strerror(errno);
        case FileType::Socket: {
            const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un addr{};
            addr.sun_family = AF_UNIX;
            if (path.size() >= sizeof addr.sun_path) return "socket path too long";
            std::strcpy(addr.sun_path, path.c_str());
            if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 1) != 0)
                return std::string("socket: ") + std::strerror(errno);
            *socket_fd = fd;
            return "";
        }
    }
    return "unknown type";
}

void remove_file(const std::string& name) {
    const std::string path = "/dev/shm/" + name;
    if (unlink(path.c_str()) != 0) rmdir(path.c_str());
}

// Our trailer naming a process that no longer runs: the sweep would remove a regular pair.
Bytes dead_owners_metadata() {
    memshare_test::TrailerFields f;
    f.kind = 1;
    f.pid = 999999999;  // beyond pid_max: never a running process
    f.start_time = 1;
    f.uid = geteuid();
    return memshare_test::with_trailer(record(1, 2, 0), f);
}

struct Case {
    FileType type;
    bool as_metadata;  // the odd file takes the metadata name (else the data name)
};

std::string describe(const Case& c) { return std::string(type_name(c.type)) + (c.as_metadata ? " as metadata" : " as data"); }

}  // namespace

class FileTypeTest : public memshare_test::ShmTest, public ::testing::WithParamInterface<Case> {};

TEST_P(FileTypeTest, EveryReaderReturnsPromptlyWithACleanError) {
    const Case c = GetParam();
    const std::string var = "X";
    const std::string md_name = ns_ + ".md." + var, data_name = ns_ + ".X";
    const std::string odd = c.as_metadata ? md_name : data_name;
    // The other half is a valid segment (a dead owner's, so the sweep would remove a real pair),
    // and a valid segment elsewhere is the symlink's target.
    ASSERT_EQ(create_raw(ns_ + ".target", c.as_metadata ? dead_owners_metadata() : doubles_le({1, 2})), 0);
    if (c.as_metadata) ASSERT_EQ(create_raw(data_name, doubles_le({1, 2})), 0);
    else ASSERT_EQ(create_raw(md_name, dead_owners_metadata()), 0);
    int socket_fd = -1;
    const std::string made = make_file(c.type, odd, ns_ + ".target", &socket_fd);
    if (!made.empty()) {
        memshare_test::remove_segments_of(ns_);
        GTEST_SKIP() << "cannot create a " << type_name(c.type) << " in /dev/shm here: " << made;
    }

    // In a child with an alarm: a reader that blocks fails the test instead of hanging it.
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        alarm(20);
        const auto start = std::chrono::steady_clock::now();
        auto elapsed_ok = [&] { return std::chrono::steady_clock::now() - start < std::chrono::seconds(5); };
        Registry reg;
        try {
            reg.acquire_view(ns_, var);
            msg = "view accepted";
            return 10;
        } catch (const memshare::Error& e) {
            msg = e.what();
            if (e.code() != ErrorCode::Corrupt && e.code() != ErrorCode::PermissionDenied) return 11;
            if (c.type != FileType::CharDevice && msg.find("not a shared-memory segment") == std::string::npos) return 12;
        }
        try {
            reg.read_metadata(ns_, var);
            if (c.as_metadata) {
                msg = "metadata read through a " + std::string(type_name(c.type));
                return 13;
            }
        } catch (const memshare::Error& e) {
            if (!c.as_metadata) {
                msg = std::string("metadata is valid but: ") + e.what();
                return 14;
            }
        }
        const auto inspected = memshare::inspect_segment(ns_, var);
        if (inspected.valid()) return 20;
        msg = inspected.problem;
        bool listed = false;
        for (const auto& s : memshare::scan_segments(ns_)) listed |= s.var == var && !s.valid();
        if (!listed) return 21;
        listed = false;
        for (const auto& s : memshare::scan_segments()) listed |= s.ns == ns_ && s.var == var && !s.valid();
        if (!listed) return 22;
        memshare::SweepOptions o;
        o.ns = ns_;
        for (const auto& e : memshare::sweep(o)) {
            if (e.scan.var != var) continue;
            msg = e.reason;
            if (e.action != SweepAction::UnknownOwner || !e.removed.empty()) return 30;
            if (c.type != FileType::CharDevice && e.reason.find("remove it by hand") == std::string::npos) return 31;
        }
        if (!elapsed_ok()) return 40;
        return 0;
    });
    EXPECT_TRUE(r.exited && r.code == 0) << describe(c) << ": " << r.describe();
    // Nothing was removed: the odd file and its valid partner are still there.
    struct stat st;
    EXPECT_EQ(lstat(("/dev/shm/" + odd).c_str(), &st), 0) << describe(c);
    EXPECT_EQ(memshare_test::shm_mode(c.as_metadata ? data_name : md_name), 0600) << describe(c);
    if (socket_fd >= 0) close(socket_fd);
    remove_file(odd);
    memshare_test::remove_segments_of(ns_);
}

INSTANTIATE_TEST_SUITE_P(AllTypes, FileTypeTest,
                         ::testing::Values(Case{FileType::Fifo, true}, Case{FileType::Fifo, false},
                                           Case{FileType::Directory, true}, Case{FileType::Directory, false},
                                           Case{FileType::Socket, true}, Case{FileType::Socket, false},
                                           Case{FileType::Symlink, true}, Case{FileType::Symlink, false},
                                           Case{FileType::CharDevice, true}, Case{FileType::CharDevice, false}),
                         [](const auto& info) {
                             return std::string(type_name(info.param.type)) + (info.param.as_metadata ? "_metadata" : "_data");
                         });

// A registering owner whose name is taken by such a file gets a clean error and creates nothing.
class FileTypeRegisterTest : public memshare_test::ShmTest {};

TEST_F(FileTypeRegisterTest, RegisteringOverAFifoIsRefusedCleanly) {
    ASSERT_EQ(mkfifo(("/dev/shm/" + ns_ + ".md.Y").c_str(), 0600), 0);
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        alarm(20);
        Registry reg;
        const double d = 1;
        try {
            reg.register_bytes(ns_, "Y", memshare::VariableLayout::vector(memshare::ElementType::Float64, 1), &d);
            return 1;
        } catch (const memshare::Error& e) {
            msg = e.what();
            return e.code() == ErrorCode::AlreadyExists ? 0 : 2;
        }
    });
    EXPECT_TRUE(r.exited && r.code == 0) << r.describe();
    EXPECT_EQ(memshare_test::segments_of(ns_), std::vector<std::string>{ns_ + ".md.Y"});
    remove_file(ns_ + ".md.Y");
}

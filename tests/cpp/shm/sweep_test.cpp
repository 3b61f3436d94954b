// The crash-orphan sweep, listing and inspection (inspect.hpp), with real processes: owners that
// are killed, exit without releasing, linger as zombies, or run as another user; R-written,
// corrupt and unpublished segments beside them. The sweep must remove exactly the dead owners'
// segments of this user and report everything else with the reason it was kept.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/inspect.hpp"
#include "memshare/registry.hpp"
#include "test_bytes.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::ErrorCode;
using memshare::OwnerState;
using memshare::Registry;
using memshare::SweepAction;
using memshare::SweepEntry;
using memshare::SweepOptions;
using memshare::VariableLayout;
using memshare_test::Bytes;
using memshare_test::create_raw;
using memshare_test::doubles_le;
using memshare_test::record;

namespace {

// A child process that registers `vars` (vectors 1..n, n = 3) in `ns` with `mode`, optionally as
// another uid, and then either waits to be killed or exits at once without releasing.
struct Owner {
    pid_t pid = -1;
    bool ok = false;
};

Owner start_owner(const std::string& ns, const std::vector<std::string>& vars, bool linger, uid_t as_uid = 0,
                  uint32_t mode = 0600) {
    int ready[2];
    if (pipe(ready) != 0) return {};
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        close(ready[0]);
        char ok = 'y';
        if (as_uid != 0 && (setresgid(as_uid, as_uid, as_uid) != 0 || setresuid(as_uid, as_uid, as_uid) != 0)) ok = 'u';
        Registry* reg = new Registry();  // never destroyed: the child leaves without releasing
        const double d[3] = {1, 2, 3};
        memshare::PageOptions options;
        options.mode = mode;
        try {
            for (const auto& v : vars)
                if (ok == 'y') reg->register_bytes(ns, v, VariableLayout::vector(ElementType::Float64, 3), d, options);
        } catch (...) {
            ok = 'n';
        }
        if (write(ready[1], &ok, 1) != 1) _exit(3);
        if (!linger) _exit(0);
        for (;;) pause();
    }
    close(ready[1]);
    char c = 0;
    const bool got = read(ready[0], &c, 1) == 1;
    close(ready[0]);
    return Owner{pid, got && c == 'y'};
}

void kill_and_reap(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

// A pid that belonged to a process which has exited and been reaped.
pid_t dead_pid() {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    waitpid(pid, nullptr, 0);
    return pid;
}

std::map<std::string, SweepEntry> by_var(const std::vector<SweepEntry>& entries) {
    std::map<std::string, SweepEntry> out;
    for (const auto& e : entries) out[e.scan.var] = e;
    return out;
}

std::string describe(const std::vector<SweepEntry>& entries) {
    std::string s;
    for (const auto& e : entries)
        s += e.scan.ns + "." + e.scan.var + ": " + memshare::sweep_action_name(e.action) + " (" + e.reason + ")\n";
    return s;
}

// Metadata with our trailer naming (pid, start_time) as owner and this user as creator.
Bytes our_metadata(int64_t pid, uint64_t start_time, uint32_t uid = geteuid()) {
    memshare_test::TrailerFields f;
    f.type = 0;
    f.kind = 1;  // vector
    f.pid = pid;
    f.start_time = start_time;
    f.uid = uid;
    return memshare_test::with_trailer(record(1, 2, 0), f);
}

}  // namespace

class SweepTest : public memshare_test::ShmTest {};

// What `memshare ls` relies on: where the platform says it can list (every POSIX build; Windows
// cannot, win32_platform_test.cpp), a registered variable's segments are in the listing.
TEST_F(SweepTest, ListingSeesARegisteredVariableAndSaysItCan) {
    EXPECT_TRUE(memshare::segments_listable());
    Registry reg;
    const double d[1] = {1};
    reg.register_bytes(ns_, "v", VariableLayout::vector(ElementType::Float64, 1), d);
    auto listed = memshare_test::segments_of(ns_);
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(listed, (std::vector<std::string>{ns_ + ".md.v", ns_ + ".v"})) << memshare_test::join(listed);
    reg.release_page(ns_, "v");
}

TEST_F(SweepTest, RemovesOnlyDeadOwnersSegmentsAndReportsTheRest) {
    // A killed owner of two variables, with a view open here; a live owner (this process); an
    // R-written variable; a corrupt one; an unpublished page; a lone data segment nobody maps.
    const Owner dead = start_owner(ns_, {"a", "b"}, true);
    ASSERT_TRUE(dead.ok);
    Registry reg;
    auto view = reg.acquire_view(ns_, "a");
    kill_and_reap(dead.pid);
    const double live[2] = {7, 8};
    reg.register_bytes(ns_, "live", VariableLayout::vector(ElementType::Float64, 2), live);
    ASSERT_EQ(create_raw(ns_ + ".md.r", record(1, 2, 0)), 0);
    ASSERT_EQ(create_raw(ns_ + ".r", doubles_le({1.5, 2.5})), 0);
    ASSERT_EQ(create_raw(ns_ + ".md.bad", Bytes(40, 0xab)), 0);
    ASSERT_EQ(create_raw(ns_ + ".bad", doubles_le({1})), 0);
    reg.create_page(ns_, "unpub", VariableLayout::vector(ElementType::Float64, 4));
    ASSERT_EQ(create_raw(ns_ + ".lone", doubles_le({1})), 0);  // e.g. a page killed before publish
    const auto before = memshare_test::segments_of(ns_);
    ASSERT_EQ(before.size(), 13u) << memshare_test::join(before);

    // Dry run: reports, removes nothing.
    SweepOptions dry;
    dry.ns = ns_;
    dry.dry_run = true;
    auto report = by_var(memshare::sweep(dry));
    ASSERT_EQ(report.size(), 7u);
    EXPECT_EQ(report["a"].action, SweepAction::WouldRemove) << report["a"].reason;
    EXPECT_EQ(report["b"].action, SweepAction::WouldRemove);
    EXPECT_EQ(memshare_test::segments_of(ns_), before);

    SweepOptions real;
    real.ns = ns_;
    const auto entries = memshare::sweep(real);
    report = by_var(entries);
    SCOPED_TRACE(describe(entries));
    EXPECT_EQ(report["a"].action, SweepAction::Removed);
    EXPECT_EQ(report["a"].removed, (std::vector<std::string>{ns_ + ".a", ns_ + ".md.a"}));  // owner record last
    EXPECT_NE(report["a"].reason.find(std::to_string(dead.pid)), std::string::npos);
    EXPECT_EQ(report["a"].scan.owner_state, OwnerState::Dead);
    EXPECT_EQ(report["b"].action, SweepAction::Removed);
    EXPECT_EQ(report["live"].action, SweepAction::LiveOwner);
    EXPECT_EQ(report["live"].scan.owner_state, OwnerState::Alive);
    EXPECT_EQ(report["r"].action, SweepAction::UnknownOwner);
    EXPECT_NE(report["r"].reason.find("no owner trailer"), std::string::npos);
    EXPECT_EQ(report["bad"].action, SweepAction::UnknownOwner);
    EXPECT_NE(report["bad"].reason.find("corrupt"), std::string::npos) << report["bad"].reason;
    EXPECT_EQ(report["unpub"].action, SweepAction::LiveOwner) << report["unpub"].reason;
    EXPECT_NE(report["unpub"].reason.find("not published yet"), std::string::npos);
    EXPECT_EQ(report["lone"].action, SweepAction::UnknownOwner);
    EXPECT_NE(report["lone"].reason.find("no process maps it writable"), std::string::npos) << report["lone"].reason;
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 9u) << memshare_test::join(memshare_test::segments_of(ns_));

    // The view of the swept variable still reads the dead owner's data.
    const double* d = reinterpret_cast<const double*>(view.region->data());
    EXPECT_EQ(d[0], 1);
    EXPECT_EQ(d[2], 3);
    // The names are free again.
    reg.register_bytes(ns_, "a", VariableLayout::vector(ElementType::Float64, 2), live);
    // A second sweep finds nothing more to remove.
    for (const auto& e : memshare::sweep(real)) EXPECT_NE(e.action, SweepAction::Removed) << e.scan.var;

    reg.release_all(ns_);
    memshare_test::remove_segments_of(ns_);  // the R-written and corrupt ones are the test's
}

TEST_F(SweepTest, OwnerThatExitedWithoutReleasingAndZombieOwnerAreDead) {
    const Owner exited = start_owner(ns_, {"x"}, false);
    ASSERT_TRUE(exited.ok);
    waitpid(exited.pid, nullptr, 0);
    const Owner zombie = start_owner(ns_, {"z"}, false);  // exits, not reaped yet
    ASSERT_TRUE(zombie.ok);
    // Wait until it is a zombie (it exits right after writing to the pipe).
    for (int i = 0; i < 500 && memshare::process_alive(zombie.pid, memshare::process_start_time(zombie.pid)); ++i)
        usleep(10000);
    EXPECT_FALSE(memshare::process_alive(zombie.pid, 0)) << "a zombie counts as dead";
    SweepOptions o;
    o.ns = ns_;
    auto report = by_var(memshare::sweep(o));
    EXPECT_EQ(report["x"].action, SweepAction::Removed) << report["x"].reason;
    EXPECT_EQ(report["z"].action, SweepAction::Removed) << report["z"].reason;
    waitpid(zombie.pid, nullptr, 0);
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

TEST_F(SweepTest, ReusedPidWithAnotherStartTimeIsDead) {
    // The trailer names this very pid, but with a start time that is not ours: the pid was reused.
    const uint64_t mine = memshare::process_start_time(getpid());
    ASSERT_NE(mine, 0u);
    ASSERT_EQ(create_raw(ns_ + ".md.v", our_metadata(getpid(), mine + 1)), 0);
    ASSERT_EQ(create_raw(ns_ + ".v", doubles_le({1, 2})), 0);
    ASSERT_EQ(create_raw(ns_ + ".md.w", our_metadata(getpid(), mine)), 0);
    ASSERT_EQ(create_raw(ns_ + ".w", doubles_le({1, 2})), 0);
    SweepOptions o;
    o.ns = ns_;
    auto report = by_var(memshare::sweep(o));
    EXPECT_EQ(report["v"].action, SweepAction::Removed) << report["v"].reason;
    EXPECT_EQ(report["w"].action, SweepAction::LiveOwner) << report["w"].reason;
    auto left = memshare_test::segments_of(ns_);
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<std::string>{ns_ + ".md.w", ns_ + ".w"}));
    memshare_test::remove_segments_of(ns_);
}

TEST_F(SweepTest, DeadOwnersLeftoverMetadataBlocksTheNameUntilSwept) {
    // A dead owner's metadata without data (its release, or a sweep, stopped between the two
    // names): the name stays taken, with a hint, until a sweep removes the leftover.
    ASSERT_EQ(create_raw(ns_ + ".md.p", our_metadata(dead_pid(), 1)), 0);
    Registry reg;
    try {
        reg.create_page(ns_, "p", VariableLayout::vector(ElementType::Float64, 2));
        ADD_FAILURE() << "created over a leftover";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists);
        EXPECT_NE(std::string(e.what()).find("memshare sweep " + ns_), std::string::npos) << e.what();
    }
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 1u);
    // A live process that maps a data segment writable under that metadata (an older memshare,
    // which created data before metadata) keeps both from the sweep, where writers can be seen
    // (/proc; not on macOS or in the portable flavour, where the owner record alone decides).
    ASSERT_EQ(create_raw(ns_ + ".p", doubles_le({1, 2})), 0);
    const int fd = shm_open(("/" + ns_ + ".p").c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    void* writable = mmap(nullptr, 16, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ASSERT_NE(writable, MAP_FAILED);
    SweepOptions o;
    o.ns = ns_;
    std::map<std::string, SweepEntry> report;
    if (memshare::segment_writers_known()) {
        report = by_var(memshare::sweep(o));
        EXPECT_EQ(report["p"].action, SweepAction::LiveOwner) << report["p"].reason;
        EXPECT_NE(report["p"].reason.find("writable"), std::string::npos) << report["p"].reason;
    }
    munmap(writable, 16);
    report = by_var(memshare::sweep(o));
    EXPECT_EQ(report["p"].action, SweepAction::Removed) << report["p"].reason;
    EXPECT_EQ(report["p"].removed, (std::vector<std::string>{ns_ + ".p", ns_ + ".md.p"}));
    // Alone, the leftover metadata is removed too.
    ASSERT_EQ(create_raw(ns_ + ".md.q", our_metadata(dead_pid(), 1)), 0);
    report = by_var(memshare::sweep(o));
    EXPECT_EQ(report["q"].action, SweepAction::Removed) << report["q"].reason;
    EXPECT_EQ(report["q"].removed, (std::vector<std::string>{ns_ + ".md.q"}));
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

TEST_F(SweepTest, AlreadyRegisteredOverAnOrphanPointsToSweep) {
    const Owner dead = start_owner(ns_, {"x"}, false);
    ASSERT_TRUE(dead.ok);
    waitpid(dead.pid, nullptr, 0);
    Registry reg;
    try {
        reg.create_page(ns_, "x", VariableLayout::vector(ElementType::Float64, 1));
        ADD_FAILURE() << "registered over an orphan";
    } catch (const memshare::Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists);
        EXPECT_NE(msg.find("no longer running"), std::string::npos) << msg;
        EXPECT_NE(msg.find("memshare sweep " + ns_), std::string::npos) << msg;
    }
    SweepOptions o;
    o.ns = ns_;
    memshare::sweep(o);
    const double d = 1;
    reg.register_bytes(ns_, "x", VariableLayout::vector(ElementType::Float64, 1), &d);
    reg.release_page(ns_, "x");
}

TEST_F(SweepTest, OtherUsersSegmentsAreKeptEvenWhenTheirOwnerIsDead) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to run an owner as another user";
    if (!memshare::segment_writers_known())
        GTEST_SKIP() << "the index directory is per user (macOS, portable flavour): another user's segments are not "
                        "listed, so there is nothing of theirs to keep";
    const uid_t nobody = 65534;
    const Owner other = start_owner(ns_, {"n"}, false, nobody, 0644);
    ASSERT_TRUE(other.ok);
    waitpid(other.pid, nullptr, 0);
    ASSERT_EQ(memshare_test::segments_of(ns_).size(), 2u);
    Registry reg;
    // Views refuse another user's segment unless allowed.
    try {
        reg.acquire_view(ns_, "n");
        ADD_FAILURE() << "another user's segment accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::PermissionDenied) << e.what();
        EXPECT_NE(std::string(e.what()).find("65534"), std::string::npos) << e.what();
    }
    memshare::ViewOptions allow;
    allow.allow_foreign_owner = true;
    auto v = reg.acquire_view(ns_, "n", allow);
    EXPECT_EQ(reinterpret_cast<const double*>(v.region->data())[2], 3);
    EXPECT_EQ(v.metadata.owner->uid, nobody);
    reg.release_view(ns_, "n");

    SweepOptions o;
    o.ns = ns_;
    auto report = by_var(memshare::sweep(o));
    EXPECT_EQ(report["n"].action, SweepAction::OtherUser) << report["n"].reason;
    EXPECT_NE(report["n"].reason.find("65534"), std::string::npos) << report["n"].reason;
    EXPECT_EQ(report["n"].scan.owner_state, OwnerState::Dead);
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 2u);
    memshare_test::remove_segments_of(ns_);
}

TEST_F(SweepTest, NamespaceFilterAndAllNamespaces) {
    const std::string other = other_ns("_other");
    const Owner dead = start_owner(ns_, {"x"}, false);
    const Owner dead2 = start_owner(other, {"y"}, false);
    ASSERT_TRUE(dead.ok && dead2.ok);
    waitpid(dead.pid, nullptr, 0);
    waitpid(dead2.pid, nullptr, 0);
    SweepOptions o;
    o.ns = ns_;
    EXPECT_EQ(memshare::sweep(o).size(), 1u);
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
    EXPECT_EQ(memshare_test::segments_of(other).size(), 2u);
    // Without a namespace: every namespace; the other namespace's orphan is among them. A dry run,
    // since ctest runs suites in parallel and a real sweep of everything would take other tests'
    // dead owners' segments from under them.
    SweepOptions everything;
    everything.dry_run = true;
    const auto all = memshare::sweep(everything);
    const bool found = std::any_of(all.begin(), all.end(), [&](const SweepEntry& e) {
        return e.scan.ns == other && e.scan.var == "y" && e.action == SweepAction::WouldRemove;
    });
    EXPECT_TRUE(found) << describe(all);
    EXPECT_EQ(memshare_test::segments_of(other).size(), 2u);
    o.ns = other;
    memshare::sweep(o);
    EXPECT_TRUE(memshare_test::segments_of(other).empty());
}

TEST_F(SweepTest, InvalidNamespaceIsInvalidName) {
    SweepOptions o;
    o.ns = "a/b";
    try {
        memshare::sweep(o);
        ADD_FAILURE() << "accepted";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidName);
    }
}

TEST_F(SweepTest, UnlinkIfSameLeavesAReplacedName) {
    ASSERT_EQ(create_raw(ns_ + ".x", doubles_le({1})), 0);
    memshare::SegmentFile f = memshare::SegmentFile::open_readonly(ns_ + ".x");
    const auto st = f.stat();
    ASSERT_TRUE(memshare::unlink_segment(ns_ + ".x"));
    ASSERT_EQ(create_raw(ns_ + ".x", doubles_le({2})), 0);  // someone else's, same name
    EXPECT_FALSE(memshare::unlink_segment_if_same(ns_ + ".x", st.dev, st.ino));
    EXPECT_EQ(memshare_test::read_shm(ns_ + ".x"), doubles_le({2}));
    const auto now = memshare::SegmentFile::open_readonly(ns_ + ".x").stat();
    EXPECT_TRUE(memshare::unlink_segment_if_same(ns_ + ".x", now.dev, now.ino));
    EXPECT_FALSE(memshare::unlink_segment_if_same(ns_ + ".x", now.dev, now.ino));
}

// ---------------------------------------------------------------- listing and inspection

TEST_F(SweepTest, ScanListsWhatIsThereWithOwnerAndProblems) {
    Registry reg;
    const double d[6] = {1, 2, 3, 4, 5, 6};
    memshare::PageOptions wide;
    wide.mode = 0644;
    reg.register_bytes(ns_, "X", VariableLayout::matrix(ElementType::Float64, 2, 3), d, wide);
    ASSERT_EQ(create_raw(ns_ + ".md.r", record(1, 2, 0)), 0);
    ASSERT_EQ(create_raw(ns_ + ".r", doubles_le({1}), 8), 0);  // too short for 2 doubles
    reg.create_page(ns_, "u", VariableLayout::vector(ElementType::Int32, 4));

    auto scans = memshare::scan_segments(ns_);
    ASSERT_EQ(scans.size(), 3u);
    std::map<std::string, memshare::SegmentScan> by;
    for (auto& s : scans) by[s.var] = s;
    const auto& x = by["X"];
    EXPECT_TRUE(x.valid()) << x.problem;
    ASSERT_TRUE(x.metadata);
    EXPECT_EQ(x.metadata->layout.describe(), "float64 matrix 2x3");
    EXPECT_EQ(x.owner_state, OwnerState::Alive);
    EXPECT_EQ(x.metadata->owner->pid, getpid());
    EXPECT_EQ(x.data_stat.mode, 0644u);
    EXPECT_EQ(x.data_stat.size, memshare_test::rounded_size(48));
    EXPECT_GT(x.metadata_stat.mtime_ns, 0);
    const auto& r = by["r"];
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(r.problem_code, ErrorCode::Corrupt);
    EXPECT_EQ(r.owner_state, OwnerState::Unknown);
    const auto& u = by["u"];  // not published: its metadata says so, and names its owner
    EXPECT_TRUE(u.has_data);
    EXPECT_TRUE(u.has_metadata);
    ASSERT_TRUE(u.metadata);
    EXPECT_EQ(u.metadata->state, memshare::PublishState::Filling);
    EXPECT_EQ(u.metadata->owner->pid, getpid());
    EXPECT_EQ(u.owner_state, OwnerState::Alive);
    EXPECT_EQ(u.problem_code, ErrorCode::NotFound);
    EXPECT_NE(u.problem.find("not published yet"), std::string::npos) << u.problem;
    ASSERT_EQ(create_raw(ns_ + ".lone", doubles_le({1, 2, 3})), 0);

    // Without a namespace, everything is there too, the lone data segment included.
    std::map<std::string, memshare::SegmentScan> all;
    for (const auto& s : memshare::scan_segments())
        if (s.ns == ns_) all[s.var] = s;
    EXPECT_EQ(all.size(), 4u);
    ASSERT_TRUE(all.count("lone"));
    EXPECT_TRUE(all["lone"].has_data);
    EXPECT_FALSE(all["lone"].has_metadata);
    EXPECT_EQ(all["lone"].data_stat.size, 24u);

    reg.release_all(ns_);
    memshare_test::remove_segments_of(ns_);
}

TEST_F(SweepTest, InspectValidatesListOffsetsAsAViewDoes) {
    ASSERT_EQ(create_raw(ns_ + ".md.L", memshare_test::concat({record(2, 2, 3), record(1, 1, 0), record(1, 2, 0)})), 0);
    ASSERT_EQ(create_raw(ns_ + ".L", memshare_test::concat({Bytes{0, 0, 0, 0, 0, 0, 0, 0, 9, 0,
                                                                                                   0, 0, 0, 0, 0, 0},
                                                            doubles_le({1, 2, 3})})),
              0);
    // The listing does not map data and sees nothing wrong; inspect reads the offsets and does.
    auto scans = memshare::scan_segments(ns_);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_TRUE(scans[0].valid()) << scans[0].problem;
    const auto s = memshare::inspect_segment(ns_, "L");
    EXPECT_FALSE(s.valid());
    EXPECT_NE(s.problem.find("list offset 1"), std::string::npos) << s.problem;
    const auto missing = memshare::inspect_segment(ns_, "nothing");
    EXPECT_EQ(missing.problem_code, ErrorCode::NotFound);
    memshare_test::remove_segments_of(ns_);
}

// The per-user index directory (macOS, the portable flavour): the listing trusts nothing in it.
// Only this user can write there (0700), yet a symlink, a FIFO, a huge or garbage entry, or a name
// no segment can have must neither crash nor block a reader, nor be taken for a segment.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "memshare/inspect.hpp"
#include "memshare/platform.hpp"
#include "memshare/registry.hpp"
#include "test_bytes.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

namespace {

using memshare::ElementType;
using memshare::Registry;
using memshare::VariableLayout;

class IndexDirTest : public memshare_test::ShmTest {
protected:
    void SetUp() override {
        ShmTest::SetUp();
        dir_ = memshare::segment_index_directory();
        if (dir_.empty()) GTEST_SKIP() << "this build lists /dev/shm: no index directory (the portable flavour tests it)";
    }
    std::string entry(const std::string& var) const { return dir_ + "/" + ns_ + "." + var; }
    std::string dir_;
};

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST_F(IndexDirTest, DirectoryIsOwnerOnly) {
    struct stat st;
    ASSERT_EQ(lstat(dir_.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(st.st_uid, geteuid());
}

TEST_F(IndexDirTest, EveryRegisteredSegmentIsListedWithItsCreator) {
    Registry reg;
    const double d[2] = {1, 2};
    reg.register_bytes(ns_, "v", VariableLayout::vector(ElementType::Float64, 2), d);
    const auto names = memshare_test::segments_of(ns_);
    EXPECT_TRUE(has(names, ns_ + ".v") && has(names, ns_ + ".md.v")) << memshare_test::join(names);
    const auto creator = memshare::segment_creator(ns_ + ".md.v");
    ASSERT_TRUE(creator);
    EXPECT_EQ(creator->pid, getpid());
    EXPECT_EQ(creator->uid, geteuid());
    reg.release_page(ns_, "v");
    // Released: the entries went with the segments.
    EXPECT_NE(access(entry("v").c_str(), F_OK), 0);
    EXPECT_NE(access(entry("md.v").c_str(), F_OK), 0);
}

TEST_F(IndexDirTest, HostileEntriesAreSkippedWithoutBeingRead) {
    alarm(60);  // a reader that blocks on the FIFO fails the test instead of hanging it
    // Each hostile entry has a real segment under its name, so only the entry's kind can refuse it.
    for (const char* var : {"sym", "fifo", "dir", "huge", "garbage"})
        ASSERT_EQ(memshare_test::create_raw(ns_ + "." + var, memshare_test::doubles_le({1})), 0) << var;
    for (const char* var : {"sym", "fifo", "dir", "huge", "garbage"}) unlink(entry(var).c_str());
    ASSERT_EQ(symlink("/dev/zero", entry("sym").c_str()), 0);
    ASSERT_EQ(mkfifo(entry("fifo").c_str(), 0600), 0);
    ASSERT_EQ(mkdir(entry("dir").c_str(), 0700), 0);
    {
        const int fd = open(entry("huge").c_str(), O_CREAT | O_WRONLY, 0600);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(ftruncate(fd, off_t(1) << 40), 0);  // a sparse terabyte
        close(fd);
        std::ofstream(entry("garbage")) << "MSIDX001 but then nothing a record has";
    }
    const auto names = memshare_test::segments_of(ns_);
    EXPECT_FALSE(has(names, ns_ + ".sym")) << memshare_test::join(names);
    EXPECT_FALSE(has(names, ns_ + ".fifo"));
    EXPECT_FALSE(has(names, ns_ + ".dir"));
    // Regular entries are listed; their content is never taken for a creator record.
    EXPECT_TRUE(has(names, ns_ + ".huge"));
    EXPECT_TRUE(has(names, ns_ + ".garbage"));
    EXPECT_FALSE(memshare::segment_creator(ns_ + ".huge"));
    EXPECT_FALSE(memshare::segment_creator(ns_ + ".garbage"));
    EXPECT_FALSE(memshare::segment_creator(ns_ + ".fifo"));
    // The sweep over all of it finishes, and removes nothing it cannot judge.
    memshare::SweepOptions o;
    o.ns = ns_;
    for (const auto& e : memshare::sweep(o)) EXPECT_NE(e.action, memshare::SweepAction::Removed) << e.scan.var << ": " << e.reason;
    alarm(0);
    for (const char* var : {"sym", "fifo", "huge", "garbage"}) unlink(entry(var).c_str());
    rmdir(entry("dir").c_str());
    // The entries are gone, so the listing no longer finds these segments: unlink them by name.
    for (const char* var : {"sym", "fifo", "dir", "huge", "garbage"}) shm_unlink(("/" + ns_ + "." + var).c_str());
    memshare_test::remove_segments_of(ns_);
}

// A creator killed between its entry and its shm_open leaves the entry; one killed while writing
// the entry's record leaves it empty. The next creator of that name takes such an entry over, so
// that a sweep after its own death can tell who made its segments; a live creator's entry stays.
// The entry's record must name whoever made the segment: a stale entry (empty, or a dead
// creator's) is taken over, and a live creator's too once this process wins the segment (that
// creator's own create then fails with EEXIST and leaves this record alone).
TEST_F(IndexDirTest, TheRecordNamesWhoMadeTheSegment) {
    auto plant = [&](const std::string& var, int64_t pid) {
        std::ofstream out(entry(var), std::ios::binary);
        if (pid == 0) return;  // empty
        char rec[32] = {'M', 'S', 'I', 'D', 'X', '0', '0', '1'};
        const uint32_t uid = geteuid();
        std::memcpy(rec + 8, &pid, 8);
        std::memcpy(rec + 24, &uid, 4);
        out.write(rec, sizeof rec);
    };
    const pid_t dead = fork();
    if (dead == 0) _exit(0);
    ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
    const pid_t live = fork();
    if (live == 0) {
        pause();
        _exit(0);
    }
    plant("md.empty", 0);
    plant("md.dead", dead);
    plant("md.live", live);
    ASSERT_FALSE(memshare::segment_creator(ns_ + ".md.empty"));
    Registry reg;
    const double d[1] = {1};
    for (const char* var : {"empty", "dead", "live"}) reg.register_bytes(ns_, var, VariableLayout::vector(ElementType::Float64, 1), d);
    auto creator_pid = [&](const char* var) {
        const auto c = memshare::segment_creator(ns_ + "." + var);
        return c ? c->pid : int64_t{0};
    };
    const int64_t of_empty = creator_pid("md.empty"), of_dead = creator_pid("md.dead"), of_live = creator_pid("md.live");
    kill(live, SIGKILL);
    waitpid(live, nullptr, 0);
    EXPECT_EQ(of_empty, getpid());
    EXPECT_EQ(of_dead, getpid());
    EXPECT_EQ(of_live, getpid()) << "the live process " << live << " named in the entry did not make the segment";
    for (const char* var : {"empty", "dead", "live"}) reg.release_page(ns_, var);
}

TEST_F(IndexDirTest, AnEntryWithoutItsSegmentIsNotListed) {
    std::ofstream(entry("gone"));  // a creator killed between its entry and its shm_open
    EXPECT_FALSE(has(memshare_test::segments_of(ns_), ns_ + ".gone"));
    unlink(entry("gone").c_str());
}

// R on macOS writes plain shm_open segments and no index entries. A memshare process that tries
// to register the same name fails with EEXIST; its entry must not name it as the creator, or a
// sweep after it ends takes R's live variable for a dead creator's half-written one.
TEST_F(IndexDirTest, AFailedRegistrationOverRsVariableLeavesItToR) {
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".md.v", memshare_test::record(1, 2, 0)), 0);
    ASSERT_EQ(memshare_test::create_raw(ns_ + ".v", memshare_test::doubles_le({1.5, 2.5})), 0);
    unlink(entry("v").c_str());  // as R leaves them: no entries
    unlink(entry("md.v").c_str());
    const auto child = memshare_test::run_in_child([&](std::string& msg) {
        Registry reg;
        const double d[2] = {9, 9};
        try {
            reg.register_bytes(ns_, "v", VariableLayout::vector(ElementType::Float64, 2), d);
        } catch (const memshare::Error& e) {
            msg = e.what();
            return 0;
        }
        msg = "registered over R's variable";
        return 1;
    });
    ASSERT_TRUE(child.exited && child.code == 0) << child.describe();
    EXPECT_FALSE(memshare::segment_creator(ns_ + ".md.v")) << "the failed registration left itself as the creator";
    memshare::SweepOptions sweep;
    sweep.ns = ns_;
    for (const auto& e : memshare::sweep(sweep))
        EXPECT_TRUE(e.removed.empty()) << e.scan.var << ": " << e.reason;
    for (const char* var : {"v", "md.v"}) {  // R's variable is whole
        const int fd = shm_open(("/" + ns_ + "." + var).c_str(), O_RDONLY, 0);
        EXPECT_GE(fd, 0) << var << " is gone";
        if (fd >= 0) close(fd);
    }
    // Its metadata stays listed: the failed attempt indexed it, as a view would.
    EXPECT_TRUE(has(memshare_test::segments_of(ns_), ns_ + ".md.v"));
    for (const char* var : {"v", "md.v"}) {
        shm_unlink(("/" + ns_ + "." + var).c_str());
        unlink(entry(var).c_str());
    }
}

// A creator killed after its entry leaves the entry behind; whoever creates the name next must be
// recorded as its creator, not inherit the dead one (whose death a sweep would act on).
TEST_F(IndexDirTest, ANewCreatorReplacesADeadCreatorsRecord) {
    const auto child = memshare_test::run_in_child([&](std::string&) -> int {
        Registry reg;
        const double d[2] = {1, 2};
        reg.register_bytes(ns_, "v", VariableLayout::vector(ElementType::Float64, 2), d);
        _exit(0);  // no release: the entries and their records stay
    });
    ASSERT_TRUE(child.exited && child.code == 0) << child.describe();
    const auto dead = memshare::segment_creator(ns_ + ".md.v");
    ASSERT_TRUE(dead);
    ASSERT_NE(dead->pid, getpid());
    shm_unlink(("/" + ns_ + ".v").c_str());  // the segments go, their entries stay
    shm_unlink(("/" + ns_ + ".md.v").c_str());
    Registry reg;
    const double d[2] = {3, 4};
    reg.register_bytes(ns_, "v", VariableLayout::vector(ElementType::Float64, 2), d);
    const auto now = memshare::segment_creator(ns_ + ".md.v");
    ASSERT_TRUE(now);
    EXPECT_EQ(now->pid, getpid()) << "inherited the dead creator " << dead->pid;
    reg.release_page(ns_, "v");
}

}  // namespace

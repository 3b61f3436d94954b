// Cross-process sharing with fork(): children view a parent's page zero-copy, views are
// read-only at the OS level, and a killed owner leaves other processes' views valid.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

using memshare::Attached;
using memshare::ElementType;
using memshare::ErrorCode;
using memshare::Registry;
using memshare::VariableLayout;

class ForkViewTest : public memshare_test::ShmTest {};

namespace {

constexpr uint64_t kRows = 100, kCols = 50;

double value_at(uint64_t i) { return static_cast<double>(i) * 0.5 - 7; }

// Child side: view ns.X, check everything, return 0 or the number of the failed check.
int child_check_view(const std::string& ns, pid_t parent, std::string& msg) {
    Registry* reg = new Registry();  // the child's own registry; never touches the parent's
    Attached v;
    try {
        v = reg->acquire_view(ns, "X");
    } catch (const memshare::Error& e) {
        msg = e.what();
        return 2;
    }
    const auto& l = v.metadata.layout;
    if (l.kind != memshare::Kind::Matrix || l.type != ElementType::Float64 || l.array.nrow != kRows ||
        l.array.ncol != kCols) {
        msg = "layout " + l.describe();
        return 3;
    }
    if (!v.metadata.owner || v.metadata.owner->pid != parent) {
        msg = "owner pid " + std::to_string(v.metadata.owner ? v.metadata.owner->pid : -1);
        return 4;
    }
    if (!memshare::process_alive(v.metadata.owner->pid, v.metadata.owner->start_time)) {
        msg = "owner reported dead";
        return 5;
    }
    const double* d = reinterpret_cast<const double*>(v.region->data());
    for (uint64_t i = 0; i < kRows * kCols; ++i)
        if (d[i] != value_at(i)) {
            msg = "value " + std::to_string(i) + " is " + std::to_string(d[i]);
            return 6;
        }
    reg->release_view(ns, "X");
    if (!reg->view_list().empty()) return 7;
    delete reg;
    return 0;
}

Attached create_filled_page(Registry& reg, const std::string& ns) {
    Attached page = reg.create_page(ns, "X", VariableLayout::matrix(ElementType::Float64, kRows, kCols));
    double* d = reinterpret_cast<double*>(page.region->data());
    for (uint64_t i = 0; i < kRows * kCols; ++i) d[i] = value_at(i);
    reg.publish(ns, "X");
    return page;
}

}  // namespace

TEST_F(ForkViewTest, ChildViewsParentsPage) {
    Registry reg;
    create_filled_page(reg, ns_);
    const pid_t parent = getpid();
    const std::string ns = ns_;
    const auto r = memshare_test::run_in_child([&](std::string& msg) { return child_check_view(ns, parent, msg); });
    EXPECT_TRUE(r.exited && r.code == 0) << r.describe();
    // The child's release did not disturb the parent's page.
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 2u);
    reg.release_page(ns_, "X");
    EXPECT_TRUE(memshare_test::segments_of(ns_).empty());
}

TEST_F(ForkViewTest, SeveralChildrenViewConcurrently) {
    Registry reg;
    create_filled_page(reg, ns_);
    const pid_t parent = getpid();
    const std::string ns = ns_;
    std::vector<pid_t> kids;
    for (int k = 0; k < 4; ++k) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            std::string msg;
            _exit(child_check_view(ns, parent, msg));
        }
        kids.push_back(pid);
    }
    for (pid_t pid : kids) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }
    reg.release_page(ns_, "X");
}

TEST_F(ForkViewTest, ChildSeesParentsWritesAfterPublish) {
    Registry reg;
    Attached page = create_filled_page(reg, ns_);
    double* d = reinterpret_cast<double*>(page.region->data());
    d[0] = 12345;  // the owner keeps writing in place; views share the memory
    const std::string ns = ns_;
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        Registry child;
        const double got = reinterpret_cast<const double*>(child.acquire_view(ns, "X").region->data())[0];
        msg = std::to_string(got);
        return got == 12345 ? 0 : 1;
    });
    EXPECT_TRUE(r.exited && r.code == 0) << r.describe();
    reg.release_page(ns_, "X");
}

TEST_F(ForkViewTest, ViewIsReadOnlyAtOsLevel) {
    Registry reg;
    create_filled_page(reg, ns_);
    const std::string ns = ns_;
    const auto r = memshare_test::run_in_child([&](std::string&) {
        const rlimit no_core{0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        signal(SIGSEGV, SIG_DFL);  // sanitizers install their own handler
        Registry* child = new Registry();
        Attached v = child->acquire_view(ns, "X");
        volatile uint8_t* p = v.region->data();
        p[0] = 0xff;  // must fault: the mapping is PROT_READ
        return 0;
    });
    EXPECT_FALSE(r.exited) << r.describe();
    EXPECT_EQ(r.signal, SIGSEGV) << r.describe();
    Attached check = reg.acquire_view(ns_, "X");
    EXPECT_EQ(reinterpret_cast<const double*>(check.region->data())[0], value_at(0));
    reg.release_all(ns_);
}

TEST_F(ForkViewTest, KilledOwnerLeavesViewsValid) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const std::string ns = ns_;
    const pid_t owner = fork();
    ASSERT_GE(owner, 0);
    if (owner == 0) {
        close(ready[0]);
        Registry* reg = new Registry();
        char ok = 'n';
        try {
            create_filled_page(*reg, ns);
            ok = 'y';
        } catch (...) {
        }
        if (write(ready[1], &ok, 1) != 1) _exit(3);
        for (;;) pause();  // until killed
    }
    close(ready[1]);
    char ok = 0;
    ASSERT_EQ(read(ready[0], &ok, 1), 1);
    close(ready[0]);
    if (ok != 'y') {
        kill(owner, SIGKILL);
        waitpid(owner, nullptr, 0);
        FAIL() << "owner could not create its page";
    }

    Registry reg;
    Attached view = reg.acquire_view(ns_, "X");
    ASSERT_TRUE(view.metadata.owner);
    EXPECT_EQ(view.metadata.owner->pid, owner);
    EXPECT_TRUE(memshare::process_alive(owner, view.metadata.owner->start_time));

    ASSERT_EQ(kill(owner, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(owner, &status, 0), owner);
    ASSERT_TRUE(WIFSIGNALED(status));

    // The view still reads the data after the owner's death.
    const double* d = reinterpret_cast<const double*>(view.region->data());
    EXPECT_EQ(d[0], value_at(0));
    EXPECT_EQ(d[kRows * kCols - 1], value_at(kRows * kCols - 1));
    EXPECT_FALSE(memshare::process_alive(owner, view.metadata.owner->start_time));
    // The orphaned names remain; registering over them says their holder is dead.
    EXPECT_EQ(memshare_test::segments_of(ns_).size(), 2u);
    try {
        reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Float64, 1));
        ADD_FAILURE() << "registered over an orphan";
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists);
        EXPECT_NE(std::string(e.what()).find("no longer running"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(std::to_string(owner)), std::string::npos) << e.what();
    }
    // Clean up the orphan as a sweep would; the view stays readable.
    EXPECT_TRUE(memshare::unlink_segment(ns_ + ".md.X"));
    EXPECT_TRUE(memshare::unlink_segment(ns_ + ".X"));
    EXPECT_FALSE(memshare::unlink_segment(ns_ + ".X"));
    EXPECT_EQ(d[1], value_at(1));
    reg.release_view(ns_, "X");
}

// A full /dev/shm: in a forked child with its own mount namespace and a 1 MiB tmpfs over
// /dev/shm, registering more than fits must be a clean OutOfSpace error that leaves nothing
// behind (R memshare dies of SIGBUS here). Needs CAP_SYS_ADMIN; skipped without it.
#include <gtest/gtest.h>

#include <sched.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_fork.hpp"
#include "test_shm.hpp"

using memshare::ElementType;
using memshare::ErrorCode;
using memshare::Registry;
using memshare::VariableLayout;

namespace {

constexpr int kSkip = 77;

// In the child: private mount namespace with a `size` tmpfs on /dev/shm. Returns 0 or kSkip.
int isolate_dev_shm(const char* size, std::string& msg) {
    if (unshare(CLONE_NEWNS) != 0) {
        msg = std::string("unshare(CLONE_NEWNS) failed: ") + std::strerror(errno);
        return kSkip;
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        msg = std::string("making mounts private failed: ") + std::strerror(errno);
        return kSkip;
    }
    const std::string options = std::string("size=") + size + ",mode=1777";
    if (mount("tmpfs", "/dev/shm", "tmpfs", 0, options.c_str()) != 0) {
        msg = std::string("mounting a tmpfs on /dev/shm failed: ") + std::strerror(errno);
        return kSkip;
    }
    if (!memshare::list_segments().empty()) {
        msg = "fresh tmpfs not empty";
        return 1;
    }
    return 0;
}

std::string listing() { return "[" + memshare_test::join(memshare::list_segments()) + "]"; }

void report(const memshare_test::ChildResult& r) {
    if (r.exited && r.code == kSkip) GTEST_SKIP() << r.message;
    EXPECT_TRUE(r.exited && r.code == 0) << r.describe();
}

}  // namespace

TEST(OutOfSpace, TooLargePageIsCleanErrorAndLeavesNothing) {
    const std::string ns = memshare_test::unique_ns();
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        if (int rc = isolate_dev_shm("1m", msg)) return rc;
        Registry reg;
        try {
            reg.create_page(ns, "big", VariableLayout::vector(ElementType::Float64, 512 * 1024));  // 4 MiB
            msg = "4 MiB page created on a 1 MiB tmpfs";
            return 10;
        } catch (const memshare::Error& e) {
            msg = e.what();
            if (e.code() != ErrorCode::OutOfSpace) return 11;
            if (msg.find("'big'") == std::string::npos || msg.find(ns) == std::string::npos) return 12;
            if (msg.find("No space left") == std::string::npos) return 13;
        }
        if (!memshare::list_segments().empty()) {
            msg = "left behind: " + listing();
            return 14;
        }
        if (!reg.page_list().empty()) return 15;
        // register_bytes takes the same path.
        std::vector<double> data(512 * 1024, 1.0);
        try {
            reg.register_bytes(ns, "big2", VariableLayout::vector(ElementType::Float64, data.size()), data.data());
            return 16;
        } catch (const memshare::Error& e) {
            msg = e.what();
            if (e.code() != ErrorCode::OutOfSpace) return 17;
        }
        if (!memshare::list_segments().empty()) {
            msg = "left behind: " + listing();
            return 18;
        }
        return 0;
    });
    report(r);
}

TEST(OutOfSpace, PageThatFitsSucceeds) {
    const std::string ns = memshare_test::unique_ns();
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        if (int rc = isolate_dev_shm("1m", msg)) return rc;
        Registry reg;
        const auto layout = VariableLayout::vector(ElementType::Float64, 64 * 1024);  // 512 KiB
        try {
            auto page = reg.create_page(ns, "half", layout);
            double* d = reinterpret_cast<double*>(page.region->data());
            for (std::size_t i = 0; i < 64 * 1024; ++i) d[i] = static_cast<double>(i);
            reg.publish(ns, "half");
            auto view = reg.acquire_view(ns, "half");
            const double* v = reinterpret_cast<const double*>(view.region->data());
            if (v[0] != 0 || v[64 * 1024 - 1] != 64 * 1024 - 1) return 20;
            if (memshare::list_segments().size() != 2) {
                msg = listing();
                return 21;
            }
            // A second 512 KiB page no longer fits (metadata and the first page use some room).
            try {
                reg.create_page(ns, "more", layout);
                msg = "second 512 KiB page fitted";
                return 22;
            } catch (const memshare::Error& e) {
                if (e.code() != ErrorCode::OutOfSpace) {
                    msg = e.what();
                    return 23;
                }
            }
            if (memshare::list_segments().size() != 2) {
                msg = "after failed page: " + listing();
                return 24;
            }
            reg.release_view(ns, "half");
            reg.release_page(ns, "half");
        } catch (const memshare::Error& e) {
            msg = e.what();
            return 25;
        }
        if (!memshare::list_segments().empty()) {
            msg = "left behind: " + listing();
            return 26;
        }
        return 0;
    });
    report(r);
}

TEST(OutOfSpace, AFullFileSystemRefusesThePageAndPublishingNeedsNoSpace) {
    const std::string ns = memshare_test::unique_ns();
    const auto r = memshare_test::run_in_child([&](std::string& msg) {
        if (int rc = isolate_dev_shm("1m", msg)) return rc;
        Registry reg;
        // Data of the whole 1 MiB after the metadata's page: refused, and the owner record it
        // created first is taken back.
        try {
            reg.create_page(ns, "full", VariableLayout::vector(ElementType::Float64, 128 * 1024));
            msg = "1 MiB of data fitted beside its metadata in a 1 MiB tmpfs";
            return 30;
        } catch (const memshare::Error& e) {
            msg = e.what();
            if (e.code() != ErrorCode::OutOfSpace) return 31;
        }
        if (!memshare::list_segments().empty() || !reg.page_list().empty()) {
            msg = "left behind: " + listing();
            return 32;
        }
        // A page that fits, then a filler that takes every byte left: publishing still works,
        // since it only flips a byte the metadata already holds.
        auto page = reg.create_page(ns, "fits", VariableLayout::vector(ElementType::Float64, 1024));
        reinterpret_cast<double*>(page.region->data())[1023] = 42;
        const int filler = memshare_test::create_raw(ns + ".filler", {}, 0);
        if (filler != 0) return 33;
        const int fd = shm_open(("/" + ns + ".filler").c_str(), O_RDWR, 0);
        for (off_t chunk = 1 << 20; chunk >= 4096; chunk /= 2)
            while (fd >= 0) {
                struct stat st;
                fstat(fd, &st);
                if (posix_fallocate(fd, st.st_size, chunk) != 0) break;
            }
        if (fd >= 0) close(fd);
        try {
            reg.publish(ns, "fits");
            auto view = reg.acquire_view(ns, "fits");
            if (reinterpret_cast<const double*>(view.region->data())[1023] != 42) return 34;
            reg.release_view(ns, "fits");
        } catch (const memshare::Error& e) {
            msg = std::string("publish on a full tmpfs: ") + e.what();
            return 35;
        }
        // With no byte left, a new page fails at its metadata, and nothing of it stays.
        try {
            reg.create_page(ns, "none", VariableLayout::vector(ElementType::Float64, 1));
            msg = "a page was created on a full tmpfs";
            return 36;
        } catch (const memshare::Error& e) {
            msg = e.what();
            if (e.code() != ErrorCode::OutOfSpace) return 37;
        }
        reg.release_page(ns, "fits");
        memshare_test::unlink_raw(ns + ".filler");
        if (!memshare::list_segments().empty() || !reg.page_list().empty()) {
            msg = "left behind: " + listing();
            return 38;
        }
        return 0;
    });
    report(r);
}

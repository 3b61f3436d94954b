// The Win32 platform layer (platform_win32.cpp) for real: built by the windows-x86_64 cross build
// (cmake/toolchains/windows-x86_64.cmake) and run under Wine by scripts/cross. Covers the
// "Local\" naming, create/view/release of raw segments and through the Registry, read-only
// views, and a segment over 4 GiB (size split into high/low DWORDs) where the host allows.
// Compiled to nothing on other platforms.
#if defined(_WIN32)

#include <gtest/gtest.h>

#include <windows.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/naming.hpp"
#include "memshare/platform.hpp"
#include "memshare/registry.hpp"

using memshare::ElementType;
using memshare::Error;
using memshare::ErrorCode;
using memshare::Registry;
using memshare::SegmentFile;
using memshare::VariableLayout;

namespace {

std::string unique_ns() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return "mswin" + std::to_string(GetCurrentProcessId()) + "_" + (info ? info->name() : "none");
}

bool mapping_exists(const std::string& name) {
    HANDLE h = OpenFileMappingA(FILE_MAP_READ, FALSE, name.c_str());
    if (h == nullptr) return false;
    CloseHandle(h);
    return true;
}

}  // namespace

TEST(Win32Platform, HostIsWindows) { EXPECT_EQ(memshare::host_platform(), memshare::Platform::Windows); }

TEST(Win32Platform, NamesCarryTheLocalPrefix) {
    const auto names = memshare::segment_names("rns", "X");
    EXPECT_EQ(names.data, "Local\\rns.X");
    EXPECT_EQ(names.data.rfind("Local\\", 0), 0u);
}

TEST(Win32Platform, CreateViewRelease) {
    const std::string name = "Local\\" + unique_ns() + ".X";
    {
        SegmentFile seg = SegmentFile::create(name, 10000, 0600);
        EXPECT_TRUE(mapping_exists(name));
        auto page = seg.map(10000, true);
        ASSERT_NE(page->data(), nullptr);
        for (int i = 0; i < 10000; ++i) page->data()[i] = static_cast<uint8_t>(i * 7);

        SegmentFile ro = SegmentFile::open_readonly(name);
        EXPECT_GE(ro.stat().size, 10000u);  // whole pages
        auto view = ro.map(10000, false);
        ASSERT_NE(view->data(), nullptr);
        EXPECT_NE(view->data(), page->data());
        for (int i = 0; i < 10000; ++i) ASSERT_EQ(view->data()[i], static_cast<uint8_t>(i * 7)) << i;
        page->data()[5] = 0xAB;
        EXPECT_EQ(view->data()[5], 0xAB) << "views share the pages, no copy";
    }
    // All handles closed (views unmapped, handles closed): the object is gone.
    EXPECT_FALSE(mapping_exists(name));
}

// Named objects cannot be enumerated: the listing is empty while a segment exists, and the
// platform says it cannot list, which `memshare ls` reports instead of "no memshare variables".
TEST(Win32Platform, ListingIsEmptyAndSaysSo) {
    const std::string name = "Local\\" + unique_ns() + ".L";
    SegmentFile seg = SegmentFile::create(name, 100, 0600);
    EXPECT_TRUE(mapping_exists(name));
    EXPECT_TRUE(memshare::list_segments().empty());
    EXPECT_FALSE(memshare::segments_listable());
}

TEST(Win32Platform, CreateTwiceIsAlreadyExists) {
    const std::string name = "Local\\" + unique_ns() + ".X";
    SegmentFile seg = SegmentFile::create(name, 4096, 0600);
    try {
        SegmentFile::create(name, 4096, 0600);
        FAIL() << "second create succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::AlreadyExists) << e.what();
    }
}

TEST(Win32Platform, OpenMissingIsNotFound) {
    try {
        SegmentFile::open_readonly("Local\\" + unique_ns() + ".missing");
        FAIL() << "opened a missing segment";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotFound) << e.what();
    }
}

TEST(Win32Platform, ReadOnlyViewIsReadOnly) {
    const std::string name = "Local\\" + unique_ns() + ".X";
    SegmentFile seg = SegmentFile::create(name, 4096, 0600);
    SegmentFile ro = SegmentFile::open_readonly(name);
    EXPECT_THROW(ro.map(4096, true), Error) << "read-only segment mapped writable";
    auto view = ro.map(4096, false);
    MEMORY_BASIC_INFORMATION info;
    ASSERT_NE(VirtualQuery(view->data(), &info, sizeof info), 0u);
    EXPECT_EQ(info.Protect & 0xff, static_cast<DWORD>(PAGE_READONLY)) << "protect " << info.Protect;
}

TEST(Win32Platform, RetiredRegionReadsZeros) {
    const std::string name = "Local\\" + unique_ns() + ".X";
    SegmentFile seg = SegmentFile::create(name, 8192, 0600);
    auto page = seg.map(8192, true);
    std::memset(page->data(), 0x5A, 8192);
    SegmentFile ro = SegmentFile::open_readonly(name);
    auto view = ro.map(8192, false);
    const volatile uint8_t* p = view->data();
    EXPECT_EQ(p[100], 0x5A);
    view->retire();
    EXPECT_TRUE(view->retired());
    if (view->data() != nullptr) {
        EXPECT_EQ(p[100], 0) << "retired view must read zeros, not the segment";
    }
}

TEST(Win32Platform, RegistryRegisterViewRelease) {
    const std::string ns = unique_ns();
    Registry reg;
    std::vector<double> values(1000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.5 * static_cast<double>(i);
    reg.register_bytes(ns, "X", VariableLayout::matrix(ElementType::Float64, 100, 10), values.data());
    const auto names = memshare::segment_names(ns, "X");
    EXPECT_TRUE(mapping_exists(names.data));
    EXPECT_TRUE(mapping_exists(names.metadata)) << "the published metadata must outlive publish()";

    auto v = reg.acquire_view(ns, "X");
    ASSERT_NE(v.region, nullptr);
    const double* d = reinterpret_cast<const double*>(v.region->data());
    for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(d[i], values[i]) << i;
    EXPECT_EQ(reg.view_list(ns).size(), 1u);
    reg.release_view(ns, "X");
    EXPECT_TRUE(reg.view_list(ns).empty());
    reg.release_page(ns, "X");
    EXPECT_TRUE(reg.page_list(ns).empty());
    EXPECT_FALSE(mapping_exists(names.data));
    EXPECT_FALSE(mapping_exists(names.metadata));
    EXPECT_THROW(reg.acquire_view(ns, "X"), Error);
}

// Over 4 GiB: the size passes CreateFileMapping as high and low DWORDs. Skipped when the host
// (or Wine) cannot commit that much.
TEST(Win32Platform, SegmentOver4GiB) {
    const uint64_t size = (5ull << 30) + 4096;
    const std::string name = "Local\\" + unique_ns() + ".big";
    MEMORYSTATUSEX ms;
    ms.dwLength = sizeof ms;
    if (GlobalMemoryStatusEx(&ms) && ms.ullAvailPageFile < size + (1ull << 30))
        GTEST_SKIP() << "host commit limit too small for " << size << " bytes (available " << ms.ullAvailPageFile << ")";
    try {
        SegmentFile seg = SegmentFile::create(name, size, 0600);
        auto page = seg.map(size, true);
        page->data()[0] = 1;
        page->data()[(4ull << 30) + 17] = 42;  // past the 4 GiB boundary
        page->data()[size - 1] = 99;
        SegmentFile ro = SegmentFile::open_readonly(name);
        EXPECT_GE(ro.stat().size, size);
        auto view = ro.map(size, false);
        EXPECT_EQ(view->data()[0], 1);
        EXPECT_EQ(view->data()[(4ull << 30) + 17], 42);
        EXPECT_EQ(view->data()[size - 1], 99);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::OutOfSpace) GTEST_SKIP() << "host cannot commit " << size << " bytes: " << e.what();
        throw;
    }
    EXPECT_FALSE(mapping_exists(name));
}

#endif  // _WIN32

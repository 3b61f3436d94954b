// Registry over real shared memory: pages, publishing, views, reference counting, release.
// Every test uses its own namespace and must leave nothing of it in /dev/shm (ShmTest checks).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/registry.hpp"
#include "test_layout.hpp"
#include "test_shm.hpp"

using memshare::ArrayShape;
using memshare::Attached;
using memshare::ElementType;
using memshare::ErrorCode;
using memshare::Kind;
using memshare::Registry;
using memshare::VariableLayout;
using memshare_test::LayoutEq;
using memshare_test::segments_of;

namespace {

template <typename F>
std::string error_of(F&& f, ErrorCode expected) {
    try {
        f();
    } catch (const memshare::Error& e) {
        EXPECT_EQ(e.code(), expected) << memshare::error_code_name(e.code()) << ": " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no error; expected " << memshare::error_code_name(expected);
    return "";
}

std::vector<double> read_doubles(const Attached& a, std::size_t offset_bytes, std::size_t n) {
    std::vector<double> v(n);
    if (n) std::memcpy(v.data(), a.region->data() + offset_bytes, n * 8);
    return v;
}

}  // namespace

class RegistryTest : public memshare_test::ShmTest {};

TEST_F(RegistryTest, CreateFillPublishThenViewReadsData) {
    Registry reg;
    const auto layout = VariableLayout::matrix(ElementType::Float64, 2, 3);
    Attached page = reg.create_page(ns_, "X", layout);
    ASSERT_NE(page.region, nullptr);
    ASSERT_EQ(page.region->size(), 48u);
    EXPECT_TRUE(page.region->writable());
    // A fresh page is zero-filled.
    for (uint64_t i = 0; i < 48; ++i) ASSERT_EQ(page.region->data()[i], 0) << i;
    const double values[6] = {1, 2, 3, 4, 5, 6};
    std::memcpy(page.region->data(), values, sizeof values);
    reg.publish(ns_, "X");
    auto names = segments_of(ns_);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{ns_ + ".X", ns_ + ".md.X"}));

    Attached view = reg.acquire_view(ns_, "X");
    EXPECT_TRUE(LayoutEq(view.metadata.layout, layout));
    ASSERT_TRUE(view.metadata.owner);
    EXPECT_EQ(view.metadata.owner->pid, static_cast<int64_t>(getpid()));
    EXPECT_EQ(view.metadata.owner->uid, static_cast<uint32_t>(geteuid()));
    EXPECT_EQ(view.metadata.owner->start_time, memshare::process_start_time(getpid()));
    EXPECT_FALSE(view.region->writable());
    EXPECT_NE(view.region->data(), page.region->data());  // its own read-only mapping
    EXPECT_EQ(read_doubles(view, 0, 6), (std::vector<double>{1, 2, 3, 4, 5, 6}));
    // Writes of the owner are seen through the view (same memory, zero-copy).
    reinterpret_cast<double*>(page.region->data())[5] = 60;
    EXPECT_EQ(read_doubles(view, 40, 1)[0], 60);

    reg.release_view(ns_, "X");
    reg.release_page(ns_, "X");
    EXPECT_TRUE(segments_of(ns_).empty());
}

TEST_F(RegistryTest, RegisterBytesMetadataSegmentIsRCompatible) {
    Registry reg;
    const double values[2] = {1.5, 2.5};
    reg.register_bytes(ns_, "y", VariableLayout::vector(ElementType::Float64, 2), values);
    // What R reads: the first 24 bytes of "<ns>.md.y" and the 16 bytes of "<ns>.y".
    const auto md = memshare_test::written_shm(ns_ + ".md.y", 24 + 48);
    ASSERT_EQ(md.size(), 24u + 48u);
    EXPECT_EQ(memshare_test::Bytes(md.begin(), md.begin() + 24), memshare_test::record(1, 2, 0));
    EXPECT_EQ(memshare_test::written_shm(ns_ + ".y", 16), memshare_test::doubles_le({1.5, 2.5}));
    reg.release_page(ns_, "y");
}

TEST_F(RegistryTest, ViewBeforePublishIsNotFound) {
    Registry reg;
    reg.create_page(ns_, "X", VariableLayout::vector(ElementType::Int32, 4));
    std::string msg = error_of([&] { reg.acquire_view(ns_, "X"); }, ErrorCode::NotFound);
    EXPECT_NE(msg.find(ns_), std::string::npos) << msg;
    EXPECT_NE(msg.find("'X'"), std::string::npos) << msg;
    error_of([&] { reg.read_metadata(ns_, "X"); }, ErrorCode::NotFound);
    // A second registry (another process's view of things) cannot see it either.
    Registry other;
    error_of([&] { other.acquire_view(ns_, "X"); }, ErrorCode::NotFound);

    auto pages = reg.page_list(ns_);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_FALSE(pages[0].published);
    reg.publish(ns_, "X");
    EXPECT_TRUE(reg.page_list(ns_)[0].published);
    EXPECT_NO_THROW(other.acquire_view(ns_, "X"));
    other.release_view(ns_, "X");
    reg.publish(ns_, "X");  // idempotent
    reg.release_page(ns_, "X");
}

TEST_F(RegistryTest, ViewOfUnknownVariableIsNotFound) {
    Registry reg;
    const std::string msg = error_of([&] { reg.acquire_view(ns_, "nothing"); }, ErrorCode::NotFound);
    EXPECT_NE(msg.find("'nothing'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(ns_), std::string::npos) << msg;
    EXPECT_TRUE(reg.view_list().empty());
}

TEST_F(RegistryTest, DuplicateRegistrationIsAlreadyExists) {
    Registry reg;
    const auto layout = VariableLayout::vector(ElementType::Float64, 3);
    reg.create_page(ns_, "X", layout);
    std::string msg = error_of([&] { reg.create_page(ns_, "X", layout); }, ErrorCode::AlreadyExists);
    EXPECT_NE(msg.find(ns_), std::string::npos) << msg;
    reg.publish(ns_, "X");
    // Another registry (as another process would) hits the OS-level exclusive create, and is told
    // the holder is alive.
    Registry other;
    msg = error_of([&] { other.create_page(ns_, "X", layout); }, ErrorCode::AlreadyExists);
    EXPECT_NE(msg.find("running process " + std::to_string(getpid())), std::string::npos) << msg;
    EXPECT_TRUE(other.page_list().empty());
    // The failed attempts did not disturb the original.
    EXPECT_EQ(segments_of(ns_).size(), 2u);
    reg.release_page(ns_, "X");
}

TEST_F(RegistryTest, ReleasePageThenViewIsNotFound) {
    Registry reg;
    const int32_t v[3] = {1, 2, 3};
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Int32, 3), v);
    reg.release_page(ns_, "X");
    EXPECT_TRUE(segments_of(ns_).empty());
    error_of([&] { reg.acquire_view(ns_, "X"); }, ErrorCode::NotFound);
    error_of([&] { reg.release_page(ns_, "X"); }, ErrorCode::NotFound);
    EXPECT_TRUE(reg.page_list().empty());
    // The name is free again.
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Int32, 3), v);
    reg.release_page(ns_, "X");
}

TEST_F(RegistryTest, ViewRefcountingSharesOneMapping) {
    Registry reg;
    const double values[4] = {1, 2, 3, 4};
    reg.register_bytes(ns_, "X", VariableLayout::matrix(ElementType::Float64, 2, 2), values);
    Attached a = reg.acquire_view(ns_, "X");
    Attached b = reg.acquire_view(ns_, "X");
    EXPECT_EQ(a.region.get(), b.region.get());
    EXPECT_EQ(a.region->data(), b.region->data());
    auto views = reg.view_list(ns_);
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].key.ns, ns_);
    EXPECT_EQ(views[0].key.var, "X");
    EXPECT_EQ(views[0].ref_count, 2u);
    EXPECT_EQ(views[0].data_bytes, 32u);
    EXPECT_TRUE(LayoutEq(views[0].layout, VariableLayout::matrix(ElementType::Float64, 2, 2)));

    reg.release_view(ns_, "X");
    views = reg.view_list(ns_);
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].ref_count, 1u);
    EXPECT_FALSE(a.region->retired());
    EXPECT_EQ(read_doubles(b, 0, 4), (std::vector<double>{1, 2, 3, 4}));

    // A third acquire joins the same mapping.
    Attached c = reg.acquire_view(ns_, "X");
    EXPECT_EQ(c.region.get(), a.region.get());
    EXPECT_EQ(reg.view_list(ns_)[0].ref_count, 2u);
    reg.release_view(ns_, "X");
    reg.release_view(ns_, "X");
    EXPECT_TRUE(reg.view_list(ns_).empty());
    EXPECT_TRUE(a.region->retired());
    error_of([&] { reg.release_view(ns_, "X"); }, ErrorCode::NotFound);

    // After the last release a new acquire makes a new mapping.
    Attached d = reg.acquire_view(ns_, "X");
    EXPECT_NE(d.region.get(), a.region.get());
    EXPECT_EQ(reg.release_view_all(ns_, "X"), 1u);
    EXPECT_EQ(reg.release_view_all(ns_, "X"), 0u);
    reg.release_page(ns_, "X");
}

TEST_F(RegistryTest, ReleaseViewAllDropsEveryReference) {
    Registry reg;
    const int8_t v[5] = {1, 2, 3, 4, 5};
    reg.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Int8, 5), v);
    Attached a = reg.acquire_view(ns_, "X");
    reg.acquire_view(ns_, "X");
    reg.acquire_view(ns_, "X");
    EXPECT_EQ(reg.release_view_all(ns_, "X"), 3u);
    EXPECT_TRUE(a.region->retired());
    EXPECT_TRUE(reg.view_list().empty());
    reg.release_page(ns_, "X");
}

TEST_F(RegistryTest, ReleaseViewOfUnknownIsNotFound) {
    Registry reg;
    std::string msg = error_of([&] { reg.release_view(ns_, "ghost"); }, ErrorCode::NotFound);
    EXPECT_NE(msg.find("'ghost'"), std::string::npos) << msg;
    // Owning a page is not holding a view of it.
    const double d = 1;
    reg.register_bytes(ns_, "P", VariableLayout::vector(ElementType::Float64, 1), &d);
    error_of([&] { reg.release_view(ns_, "P"); }, ErrorCode::NotFound);
    error_of([&] { reg.release_page(ns_, "ghost"); }, ErrorCode::NotFound);
    error_of([&] { reg.publish(ns_, "ghost"); }, ErrorCode::NotFound);
    reg.release_page(ns_, "P");
}

TEST_F(RegistryTest, PageListAndViewListContents) {
    Registry reg;
    const std::string ns2 = other_ns("_b");
    const double d[6] = {};
    reg.register_bytes(ns_, "A", VariableLayout::matrix(ElementType::Float64, 2, 3), d);
    reg.create_page(ns_, "B", VariableLayout::vector(ElementType::Int64, 4));
    reg.register_bytes(ns2, "C", VariableLayout::vector(ElementType::Float32, 3), d);
    reg.acquire_view(ns_, "A");
    reg.acquire_view(ns2, "C");

    auto pages = reg.page_list(ns_);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].key.var, "A");
    EXPECT_EQ(pages[0].data_bytes, 48u);
    EXPECT_EQ(pages[0].ref_count, 1u);
    EXPECT_TRUE(pages[0].published);
    EXPECT_EQ(pages[1].key.var, "B");
    EXPECT_EQ(pages[1].data_bytes, 32u);
    EXPECT_FALSE(pages[1].published);
    EXPECT_TRUE(LayoutEq(pages[1].layout, VariableLayout::vector(ElementType::Int64, 4)));
    EXPECT_EQ(reg.page_list().size(), 3u);
    ASSERT_EQ(reg.page_list(ns2).size(), 1u);
    EXPECT_EQ(reg.page_list(ns2)[0].data_bytes, 12u);
    EXPECT_TRUE(reg.page_list(std::string("no-such-ns")).empty());

    auto views = reg.view_list(ns2);
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].key.var, "C");
    EXPECT_EQ(views[0].ref_count, 1u);
    EXPECT_EQ(views[0].layout.type, ElementType::Float32);
    EXPECT_EQ(reg.view_list().size(), 2u);

    EXPECT_EQ(reg.release_all(), 5u);
    EXPECT_TRUE(reg.page_list().empty());
    EXPECT_TRUE(reg.view_list().empty());
    EXPECT_TRUE(segments_of(ns_).empty());
    EXPECT_TRUE(segments_of(ns2).empty());
}

TEST_F(RegistryTest, ReleaseAllOfOneNamespace) {
    Registry reg;
    const std::string ns2 = other_ns("_b");
    const double d[2] = {7, 8};
    for (const char* var : {"a", "b", "c"}) reg.register_bytes(ns_, var, VariableLayout::vector(ElementType::Float64, 2), d);
    reg.register_bytes(ns2, "keep", VariableLayout::vector(ElementType::Float64, 2), d);
    Attached va = reg.acquire_view(ns_, "a");
    reg.acquire_view(ns_, "a");  // two references count as one view entry
    Attached vk = reg.acquire_view(ns2, "keep");

    EXPECT_EQ(reg.release_all(ns_), 4u);  // 3 pages + 1 view
    EXPECT_TRUE(segments_of(ns_).empty());
    EXPECT_TRUE(reg.page_list(ns_).empty());
    EXPECT_TRUE(reg.view_list(ns_).empty());
    EXPECT_TRUE(va.region->retired());
    // The other namespace is untouched.
    EXPECT_EQ(segments_of(ns2).size(), 2u);
    EXPECT_FALSE(vk.region->retired());
    EXPECT_EQ(read_doubles(vk, 0, 2), (std::vector<double>{7, 8}));
    EXPECT_EQ(reg.release_all(ns_), 0u);
    EXPECT_EQ(reg.release_all(ns2), 2u);
    EXPECT_TRUE(segments_of(ns2).empty());
}

TEST_F(RegistryTest, DestructorReleasesEverything) {
    {
        Registry reg;
        const double d = 3;
        reg.register_bytes(ns_, "a", VariableLayout::vector(ElementType::Float64, 1), &d);
        reg.create_page(ns_, "b", VariableLayout::vector(ElementType::Float64, 1));
        reg.acquire_view(ns_, "a");
        EXPECT_EQ(segments_of(ns_).size(), 4u);  // the unpublished page has its owner record too
    }
    EXPECT_TRUE(segments_of(ns_).empty());
}

TEST_F(RegistryTest, ListPageRoundTripWithROffsetTable) {
    Registry reg;
    const auto layout = VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Matrix, 2, 3}, ArrayShape{Kind::Vector, 2, 1}});
    const double values[8] = {1, 2, 3, 4, 5, 6, 1.5, 2.5};
    reg.register_bytes(ns_, "L", layout, values);
    // The data segment is exactly R's: offsets 0 and 6 (in doubles), then the packed values.
    const auto expected = memshare_test::concat(
        {memshare_test::Bytes{0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0},
         memshare_test::doubles_le({1, 2, 3, 4, 5, 6, 1.5, 2.5})});
    EXPECT_EQ(memshare_test::written_shm(ns_ + ".L", expected.size()), expected);

    Attached view = reg.acquire_view(ns_, "L");
    EXPECT_TRUE(LayoutEq(view.metadata.layout, layout));
    const auto offsets = view.metadata.layout.element_byte_offsets();
    ASSERT_EQ(offsets.size(), 2u);
    EXPECT_EQ(read_doubles(view, offsets[0], 6), (std::vector<double>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(read_doubles(view, offsets[1], 2), (std::vector<double>{1.5, 2.5}));
    reg.release_view(ns_, "L");
    reg.release_page(ns_, "L");
}

TEST_F(RegistryTest, EveryElementTypeRoundTrips) {
    Registry reg;
    for (ElementType t : memshare_test::kAllTypes) {
        const std::string var = std::string("v_") + memshare::element_type_name(t);
        const auto layout = VariableLayout::matrix(t, 3, 2);
        std::vector<uint8_t> bytes(layout.data_bytes());
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 1);
        reg.register_bytes(ns_, var, layout, bytes.data());
        Attached view = reg.acquire_view(ns_, var);
        EXPECT_TRUE(LayoutEq(view.metadata.layout, layout)) << var;
        ASSERT_EQ(view.region->size(), bytes.size());
        EXPECT_EQ(std::memcmp(view.region->data(), bytes.data(), bytes.size()), 0) << var;
        // And what a reader that only reads metadata sees.
        EXPECT_TRUE(LayoutEq(reg.read_metadata(ns_, var).layout, layout)) << var;
    }
    EXPECT_EQ(reg.release_all(ns_), 10u);
}

TEST_F(RegistryTest, EmptyVariablesRoundTrip) {
    Registry reg;
    reg.register_bytes(ns_, "v0", VariableLayout::vector(ElementType::Float64, 0), nullptr);
    reg.register_bytes(ns_, "l0", VariableLayout::list(ElementType::Int32, {}), nullptr);
    reg.register_bytes(ns_, "l00",
                       VariableLayout::list(ElementType::Float64, {ArrayShape{Kind::Vector, 0, 1}, ArrayShape{Kind::Vector, 0, 1}}),
                       nullptr);
    Attached v0 = reg.acquire_view(ns_, "v0");
    EXPECT_EQ(v0.region->size(), 0u);
    EXPECT_EQ(v0.metadata.layout.array.nrow, 0u);
    Attached l0 = reg.acquire_view(ns_, "l0");
    EXPECT_EQ(l0.metadata.layout.kind, Kind::List);
    EXPECT_TRUE(l0.metadata.layout.elements.empty());
    Attached l00 = reg.acquire_view(ns_, "l00");
    EXPECT_EQ(l00.region->size(), 16u);
    EXPECT_EQ(memshare_test::written_shm(ns_ + ".l00", 16), memshare_test::Bytes(16, 0));
    EXPECT_EQ(reg.release_all(ns_), 6u);
}

TEST_F(RegistryTest, InvalidNamesCreateNothing) {
    Registry reg;
    const auto layout = VariableLayout::vector(ElementType::Float64, 1);
    error_of([&] { reg.create_page(ns_, "a/b", layout); }, ErrorCode::InvalidName);
    error_of([&] { reg.create_page(ns_, "", layout); }, ErrorCode::InvalidName);
    error_of([&] { reg.create_page("", "X", layout); }, ErrorCode::InvalidName);
    error_of([&] { reg.acquire_view(ns_, "a\\b"); }, ErrorCode::InvalidName);
    error_of([&] { reg.create_page(ns_, std::string(300, 'x'), layout); }, ErrorCode::InvalidName);
    // A registry for macOS applies the 31-character rule before any system call.
    Registry mac(memshare::Platform::MacOS);
    error_of([&] { mac.create_page(ns_, std::string(40, 'x'), layout); }, ErrorCode::InvalidName);
    EXPECT_TRUE(reg.page_list().empty());
    EXPECT_TRUE(segments_of(ns_).empty());
}

TEST_F(RegistryTest, OverflowingLayoutRejectedBeforeCreating) {
    Registry reg;
    // A layout too big to exist is the caller's mistake, not a corrupt segment.
    error_of([&] { reg.create_page(ns_, "huge", VariableLayout::vector(ElementType::Float64, uint64_t{1} << 62)); },
             ErrorCode::InvalidArgument);
    EXPECT_TRUE(segments_of(ns_).empty());
}

TEST_F(RegistryTest, ViewSurvivesReleaseOfPage) {
    // POSIX unlink semantics: releasing the page removes the names, not the memory of views.
    Registry owner, reader;
    const double d[3] = {4, 5, 6};
    owner.register_bytes(ns_, "X", VariableLayout::vector(ElementType::Float64, 3), d);
    Attached view = reader.acquire_view(ns_, "X");
    owner.release_page(ns_, "X");
    EXPECT_TRUE(segments_of(ns_).empty());
    EXPECT_FALSE(view.region->retired());
    EXPECT_EQ(read_doubles(view, 0, 3), (std::vector<double>{4, 5, 6}));
    error_of([&] { reader.acquire_view(ns_, "Y"); }, ErrorCode::NotFound);
    reader.release_view(ns_, "X");
}

// Writable views of a page being filled (Registry::acquire_writer): another registry (as another
// process of this user would) writes into the owner's unpublished page; once published, the
// variable is refused, so views stay the only way in and they are read-only.
TEST_F(RegistryTest, WriterFillsAnUnpublishedPageAndIsRefusedOncePublished) {
    Registry owner, worker;
    Attached page = owner.create_page(ns_, "Z", VariableLayout::matrix(ElementType::Float64, 2, 2));
    Attached w = worker.acquire_writer(ns_, "Z");
    EXPECT_TRUE(w.region->writable());
    EXPECT_NE(w.region->data(), page.region->data());  // its own mapping of the same memory
    reinterpret_cast<double*>(w.region->data())[3] = 7.25;
    EXPECT_EQ(reinterpret_cast<const double*>(page.region->data())[3], 7.25);
    worker.release_writer(ns_, "Z", w.lease);
    // A retired writer's stale address no longer reaches the page.
    reinterpret_cast<double*>(w.region->data())[2] = 99;
    EXPECT_EQ(reinterpret_cast<const double*>(page.region->data())[2], 0);
    error_of([&] { worker.release_writer(ns_, "Z", w.lease); }, ErrorCode::NotFound);

    owner.publish(ns_, "Z");
    const std::string msg = error_of([&] { worker.acquire_writer(ns_, "Z"); }, ErrorCode::PermissionDenied);
    EXPECT_NE(msg.find("published"), std::string::npos) << msg;
    owner.release_page(ns_, "Z");
    error_of([&] { worker.acquire_writer(ns_, "Z"); }, ErrorCode::NotFound);
}

TEST_F(RegistryTest, ReleaseAllDropsWriters) {
    Registry owner, worker;
    owner.create_page(ns_, "Z", VariableLayout::vector(ElementType::Float64, 3));
    Attached w = worker.acquire_writer(ns_, "Z");
    EXPECT_EQ(worker.release_all(ns_), 1u);
    EXPECT_TRUE(w.region->retired());
    owner.release_page(ns_, "Z");
}

#include "memshare/registry.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <random>
#include <thread>

#include "memshare/error.hpp"
#include "segment_io.hpp"

namespace memshare {

namespace {

std::string describe(const VariableKey& key) { return "variable '" + key.var + "' in namespace '" + key.ns + "'"; }

// Re-throws an Error with the namespace and variable in front of its message.
[[noreturn]] void rethrow_for(const VariableKey& key, const Error& e) {
    throw Error(e.code(), describe(key) + ": " + e.what(), e.os_error());
}

}  // namespace

namespace detail {

std::vector<uint8_t> read_segment(SegmentFile& file, const SegmentStat& st) {
    if (st.size > (1u << 30)) throw Error(ErrorCode::Corrupt, "corrupt metadata: segment is " + std::to_string(st.size) + " bytes");
    return file.read_all(st.size);
}

void check_owner(const SegmentStat& st, const std::string& segment, const ViewOptions& options) {
    if (!options.allow_foreign_owner && host_platform() != Platform::Windows && st.uid != current_uid())
        throw Error(ErrorCode::PermissionDenied, "segment '" + segment + "' is owned by uid " + std::to_string(st.uid) +
                                                     ", not by this user (uid " + std::to_string(current_uid()) +
                                                     "); allow foreign owners to read it anyway");
}

namespace {

// The owner creates a metadata segment at its full size, then copies the bytes in, so a reader
// that opens it in between sees zeros: all of it, or our trailer's 48 bytes. Zeros would read as
// an empty R matrix (R's segments have no trailer). Where segment sizes are exact, R writes its
// records and nothing more, so zeros in the place of the trailer mean "still being written".
bool looks_half_written(const std::vector<uint8_t>& bytes) {
    auto zero = [](auto from, auto to) { return std::all_of(from, to, [](uint8_t b) { return b == 0; }); };
    if (zero(bytes.begin(), bytes.end())) return true;
    return !segment_sizes_are_rounded() && bytes.size() >= kRecordBytes + kTrailerBytes &&
           zero(bytes.end() - kTrailerBytes, bytes.end());
}

}  // namespace

Metadata load_metadata(const SegmentNames& names, const ViewOptions& options, SegmentStat* stat_out) {
    // A segment caught half-written (zeros, or a trailer whose checksum does not match yet) is
    // read again for up to ~50 ms before its content counts: the owner's copy takes microseconds
    // unless its thread is descheduled.
    for (int attempt = 0;; ++attempt) {
        SegmentFile file = SegmentFile::open_readonly(names.metadata);
        const SegmentStat st = file.stat();
        if (stat_out != nullptr) *stat_out = st;
        check_owner(st, names.metadata, options);
        const std::vector<uint8_t> bytes = read_segment(file, st);
        const bool last = attempt >= 25;
        if (!last && looks_half_written(bytes)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        try {
            return decode_metadata(bytes.data(), bytes.size());
        } catch (const Error& e) {
            if (last || e.code() != ErrorCode::Corrupt) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
}

}  // namespace detail

namespace {

using detail::check_owner;
using detail::load_metadata;

// When a name is taken, say whether its holder is a dead process (a crash orphan) and how to
// free it.
std::string holder_hint(const std::string& ns, const SegmentNames& names) {
    try {
        const Metadata md = load_metadata(names, ViewOptions{true});
        if (md.owner && !process_alive(md.owner->pid, md.owner->start_time))
            return "; it is held by process " + std::to_string(md.owner->pid) +
                   ", which is no longer running: its segments are crash orphans; run `memshare sweep " + ns +
                   "` (or Memshare.sweep(\"" + ns + "\")) to remove them, or remove '" + names.data + "' and '" +
                   names.metadata + "' from the shared-memory directory";
        if (md.owner && md.state == PublishState::Filling)
            return "; running process " + std::to_string(md.owner->pid) + " is registering it (not published yet)";
        if (md.owner) return "; it is held by running process " + std::to_string(md.owner->pid);
        return "; it was written without our trailer (by R memshare or another tool), so its owner is unknown";
    } catch (const Error&) {
    }
    return "";
}

// Views see only published pages.
void refuse_unpublished(const Metadata& md) {
    if (md.state == PublishState::Published) return;
    const std::string who = md.owner ? "process " + std::to_string(md.owner->pid) : "its owner";
    throw Error(ErrorCode::NotFound, "not published yet (" + who + " is still writing its data)");
}

// A name that does not exist (as opposed to a page that is not published yet).
bool absent(const Error& e) { return e.code() == ErrorCode::NotFound && e.os_error() != 0; }

// When the data name is taken but no metadata exists: nothing records whose it is.
std::string lone_data_hint(const std::string& ns, const SegmentNames& names) {
    return "a data segment '" + names.data + "' exists without metadata. R memshare may be registering it right now; "
           "otherwise it was left by a crashed R session, an older memshare or another program (`memshare ls " + ns +
           "` shows it; remove it by hand if nobody is writing it)";
}

// Tells two registrations of one name apart (with the owner's pid and start time). It needs to
// differ, not to be secret: seeded from the clock and this library's address (ASLR) rather than
// std::random_device, whose libstdc++ code would tie the library to glibc 2.36 (arc4random).
uint32_t random_nonce() {
    static std::mutex m;
    static std::mt19937 gen = [] {
        const auto now = static_cast<uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
        const auto here = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&m));
        std::seed_seq seed{static_cast<uint32_t>(now), static_cast<uint32_t>(now >> 32), static_cast<uint32_t>(here),
                           static_cast<uint32_t>(here >> 32), static_cast<uint32_t>(current_pid())};
        return std::mt19937(seed);
    }();
    std::lock_guard<std::mutex> lock(m);
    return static_cast<uint32_t>(gen());
}

}  // namespace

Registry& Registry::process() {
    // Never destroyed: the JVM may still call in from a shutdown hook while static destructors run.
    static Registry* registry = new Registry();
    return *registry;
}

Registry::~Registry() {
    try {
        release_all();
    } catch (...) {
    }
}

void Registry::remove_created(const std::string& name, CreatedSegment& created) {
    if (!created.exists) return;
    created.exists = false;
    try {
        unlink_segment_if_same(name, created.dev, created.ino);  // Windows: nothing to unlink
    } catch (const Error&) {
        // Best effort: an outside process may have removed or replaced it already.
    }
}

Attached Registry::create_page(const std::string& ns, const std::string& var, const VariableLayout& layout,
                               const PageOptions& options) {
    const VariableKey key{ns, var};
    const SegmentNames names = segment_names(ns, var, platform_);
    try {
        uint64_t bytes = 0;
        try {
            bytes = layout.data_bytes();
        } catch (const Error& e) {
            throw Error(ErrorCode::InvalidArgument, std::string("cannot register ") + e.what());
        }
        const OwnerInfo owner{current_pid(), process_start_time(current_pid()), current_uid(), random_nonce()};
        const std::vector<uint8_t> claim = encode_metadata(layout, owner, PublishState::Filling);
        {
            // Reserve the key, then create outside the lock: reserving space for a large page
            // takes long, and views and other pages must not wait for it.
            std::lock_guard<std::mutex> lock(mutex_);
            if (shutting_down_) throw Error(ErrorCode::InvalidArgument, "the process is shutting down");
            if (pages_.count(key)) throw Error(ErrorCode::AlreadyExists, "already registered by this process");
            pages_[key] = PageEntry{layout, names, options, nullptr, false, 0, {}, {}, nullptr};
        }
        // Records an object just created; false when the process began shutting down meanwhile
        // (the caller then removes what it created).
        auto record = [&](CreatedSegment PageEntry::*which, const SegmentFile& file) {
            const SegmentStat st = file.stat();
            std::lock_guard<std::mutex> lock(mutex_);
            (pages_[key].*which) = CreatedSegment{true, st.dev, st.ino};
            return !shutting_down_;
        };
        // Undoes the creation: the data first, the metadata (the owner record) last.
        auto undo = [&] {
            CreatedSegment md, data;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                md = pages_[key].metadata;
                data = pages_[key].data;
                pages_.erase(key);
            }
            remove_created(names.data, data);
            remove_created(names.metadata, md);
        };
        std::shared_ptr<MappedRegion> region, metadata_region;
        try {
            // The owner record first: from the moment anything of this page exists, a sweep can
            // tell whose it is and whether that process still runs.
            bool go_on = false;
            try {
                // Closed before the data is created: the core holds one descriptor at a time.
                SegmentFile md = SegmentFile::create_with(names.metadata, claim, options.mode);
                go_on = record(&PageEntry::metadata, md);
                if (host_platform() == Platform::Windows) metadata_region = md.map(claim.size(), false);
            } catch (const Error& e) {
                if (e.code() == ErrorCode::AlreadyExists)
                    throw Error(e.code(), std::string("already registered") + holder_hint(ns, names), e.os_error());
                throw;
            }
            if (!go_on) throw Error(ErrorCode::InvalidArgument, "the process is shutting down");
            std::optional<SegmentFile> data;
            try {
                data.emplace(SegmentFile::create(names.data, bytes, options.mode));
            } catch (const Error& e) {
                if (e.code() == ErrorCode::AlreadyExists)
                    throw Error(e.code(), "already registered: " + lone_data_hint(ns, names), e.os_error());
                throw;
            }
            if (!record(&PageEntry::data, *data)) throw Error(ErrorCode::InvalidArgument, "the process is shutting down");
            region = data->map(bytes, true);
            // The owner is about to write every page: set up its page tables now, on all cores.
            if (bytes > 0) populate_for_write(region->data(), bytes);
        } catch (...) {
            undo();
            throw;
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (shutting_down_) {
            lock.unlock();
            undo();
            region->retire();
            throw Error(ErrorCode::InvalidArgument, "the process is shutting down");
        }
        PageEntry& entry = pages_[key];
        entry.region = region;
        entry.metadata_region = metadata_region;
        entry.lease = next_lease_locked();
        return Attached{key, entry.lease, Metadata{layout, owner, kFormatVersion}, region};
    } catch (const Error& e) {
        rethrow_for(key, e);
    }
}

void Registry::publish(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end() || !it->second.region || (lease != 0 && it->second.lease != lease))
        throw Error(ErrorCode::NotFound, describe(key) + ": no such page in this process");
    PageEntry& page = it->second;
    if (page.published) return;
    try {
        if (page.layout.kind == Kind::List) {
            // R's offset table: one uint64 per element, counted in values from the packed data.
            uint64_t at = 0;
            for (std::size_t i = 0; i < page.layout.elements.size(); ++i) {
                std::memcpy(page.region->data() + 8 * i, &at, 8);
                at += page.layout.elements[i].length();
            }
        }
        // Every write to the data happens before the state byte changes.
        std::atomic_thread_fence(std::memory_order_release);
        SegmentFile md = SegmentFile::open_readwrite(page.names.metadata);
        const SegmentStat st = md.stat();
        if (st.dev != page.metadata.dev || st.ino != page.metadata.ino)
            throw Error(ErrorCode::NotFound, "its metadata segment '" + page.names.metadata +
                                                 "' was removed or replaced by another process before it was published");
        const uint8_t published = static_cast<uint8_t>(PublishState::Published);
        md.write_at(kStateByteOffset, &published, 1);
        page.published = true;
    } catch (const Error& e) {
        rethrow_for(key, e);
    }
}

Attached Registry::register_bytes(const std::string& ns, const std::string& var, const VariableLayout& layout,
                                  const void* bytes, const PageOptions& options) {
    Attached page = create_page(ns, var, layout, options);
    try {
        const uint64_t header = layout.kind == Kind::List ? 8 * layout.elements.size() : 0;
        if (page.region->size() > header) std::memcpy(page.region->data() + header, bytes, page.region->size() - header);
        publish(ns, var, page.lease);
    } catch (...) {
        release_page(ns, var, page.lease);
        throw;
    }
    return page;
}

void Registry::release_page_locked(std::map<VariableKey, PageEntry>::iterator it) {
    PageEntry& page = it->second;
    // Data first: a view that finds the metadata but not the data reports "not registered", and
    // a crash in between leaves only the metadata, whose owner record lets a sweep remove it.
    remove_created(page.names.data, page.data);
    remove_created(page.names.metadata, page.metadata);
    page.region->retire();
    pages_.erase(it);
}

void Registry::release_page(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end() || !it->second.region || (lease != 0 && it->second.lease != lease)) throw Error(ErrorCode::NotFound, describe(key) + ": not registered by this process");
    release_page_locked(it);
}

Registry::ViewEntry Registry::map_view(Metadata md, SegmentFile& data, const SegmentStat& st) {
    // Check the size before mapping: mapping past the end of a short segment is what turns into
    // SIGBUS on first touch.
    check_data_size(md, st.size, segment_sizes_are_rounded());
    auto region = data.map(md.layout.data_bytes(), false);
    check_list_offsets(md, region->data());
    return ViewEntry{std::move(md), std::move(region), st.dev, st.ino, {}};
}

Attached Registry::lease_view_locked(const VariableKey& key, ViewEntry& entry) {
    const uint64_t lease = next_lease_locked();
    entry.leases.insert(lease);
    return Attached{key, lease, entry.metadata, entry.region};
}

Attached Registry::acquire_view(const std::string& ns, const std::string& var, const ViewOptions& options) {
    const VariableKey key{ns, var};
    // Same object: same data segment (device and inode, where the OS has them) and byte-identical
    // metadata (which holds a per-registration nonce, for the OSes without inodes).
    auto same_object = [](const ViewEntry& e, uint64_t dev, uint64_t ino, uint64_t fingerprint) {
        return e.dev == dev && e.ino == ino && e.metadata.fingerprint == fingerprint;
    };
    try {
        // The file-system work happens outside the lock, so a slow open never blocks other views.
        const SegmentNames names = segment_names(ns, var, platform_);
        // The owner may release the variable and register it again between our reading its
        // metadata and opening its data: then the data is not what the metadata describes (same
        // byte size, other shape), or not there yet. Reading the metadata again after the data
        // is mapped catches that, since every registration's metadata differs (owner pid, start
        // time and a nonce in the trailer); the data's descriptor is closed by then, so the core
        // never holds more than one.
        auto unchanged = [&](const Metadata& md) { return load_metadata(names, options).fingerprint == md.fingerprint; };
        for (int attempt = 0;; ++attempt) {
            Metadata md = load_metadata(names, options);  // validated, owner checked
            refuse_unpublished(md);
            std::optional<ViewEntry> fresh;
            bool mapped = true;
            try {
                SegmentFile data = SegmentFile::open_readonly(names.data);
                const SegmentStat current = data.stat();
                check_owner(current, names.data, options);
                {
                    // A mapping of this very object (inode and metadata) was checked when made.
                    std::lock_guard<std::mutex> lock(mutex_);
                    auto found = views_.find(key);
                    if (found != views_.end())
                        for (auto& e : found->second)
                            if (same_object(e, current.dev, current.ino, md.fingerprint)) return lease_view_locked(key, e);
                }
                fresh.emplace(map_view(md, data, current));
            } catch (const Error& e) {
                // Data gone or the wrong size: the answer only if the metadata is still the same.
                if ((e.code() != ErrorCode::NotFound && e.code() != ErrorCode::Corrupt) || unchanged(md)) throw;
                mapped = false;
            }
            if (!mapped || !unchanged(md)) {
                if (attempt == 3)
                    throw Error(ErrorCode::Io, "it kept being registered again while this process attached to it; try again");
                continue;
            }
            std::lock_guard<std::mutex> lock(mutex_);
            ViewEntries& entries = views_[key];
            for (auto& e : entries)  // another thread attached the same object meanwhile: share it
                if (same_object(e, fresh->dev, fresh->ino, fresh->metadata.fingerprint)) return lease_view_locked(key, e);
            entries.push_back(std::move(*fresh));
            return lease_view_locked(key, entries.back());
        }
    } catch (const Error& e) {
        if (absent(e)) throw Error(ErrorCode::NotFound, describe(key) + ": not registered", e.os_error());
        rethrow_for(key, e);
    }
}

Attached Registry::acquire_writer(const std::string& ns, const std::string& var) {
    const VariableKey key{ns, var};
    try {
        const SegmentNames names = segment_names(ns, var, platform_);
        const Metadata md = load_metadata(names, ViewOptions{});  // validated; this user's
        if (md.state != PublishState::Filling || !md.owner)
            throw Error(ErrorCode::PermissionDenied,
                        "it is published; only a page that is still being filled can be attached writable");
        if (md.owner->uid != current_uid())
            throw Error(ErrorCode::PermissionDenied, "it was created by uid " + std::to_string(md.owner->uid) +
                                                         ", not by this user (uid " + std::to_string(current_uid()) + ")");
        if (!process_alive(md.owner->pid, md.owner->start_time))
            throw Error(ErrorCode::PermissionDenied, "its owner, process " + std::to_string(md.owner->pid) +
                                                         ", is no longer running (a crash orphan is never filled)");
        SegmentFile data = SegmentFile::open_readwrite(names.data);
        const SegmentStat st = data.stat();
        check_owner(st, names.data, ViewOptions{});
        check_data_size(md, st.size, segment_sizes_are_rounded());
        auto region = data.map(md.layout.data_bytes(), true);
        // Page tables set up in bulk, as for the owner: measured on a 10,000 x 10,000 output, two
        // workers that fault their pages in one write at a time took twice as long, although
        // this also maps the parts other workers write.
        if (md.layout.data_bytes() > 0) populate_for_write(region->data(), md.layout.data_bytes());
        // Released and registered again between the metadata and the data: not the page we checked.
        if (load_metadata(names, ViewOptions{}).fingerprint != md.fingerprint) {
            region->retire();
            throw Error(ErrorCode::Io, "it was registered again while this process attached to it; try again");
        }
        std::lock_guard<std::mutex> lock(mutex_);
        const uint64_t lease = next_lease_locked();
        Attached a{key, lease, md, std::move(region)};
        writers_.emplace(lease, a);
        return a;
    } catch (const Error& e) {
        if (absent(e)) throw Error(ErrorCode::NotFound, describe(key) + ": not registered", e.os_error());
        rethrow_for(key, e);
    }
}

void Registry::release_writer(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = writers_.find(lease);
    if (it == writers_.end() || it->second.key.ns != ns || it->second.key.var != var)
        throw Error(ErrorCode::NotFound, describe(key) + ": no writable mapping of it is held by this process");
    it->second.region->retire();
    writers_.erase(it);
}

void Registry::release_view(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = views_.find(key);
    if (it != views_.end()) {
        ViewEntries& entries = it->second;
        for (auto e = entries.begin(); e != entries.end(); ++e) {
            auto held = lease == 0 ? (e->leases.empty() ? e->leases.end() : e->leases.begin()) : e->leases.find(lease);
            if (held == e->leases.end()) continue;
            e->leases.erase(held);
            if (e->leases.empty()) {
                e->region->retire();
                entries.erase(e);
                if (entries.empty()) views_.erase(it);
            }
            return;
        }
    }
    throw Error(ErrorCode::NotFound, describe(key) + ": no view of it is held by this process");
}

uint64_t Registry::release_view_all(const std::string& ns, const std::string& var) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = views_.find(VariableKey{ns, var});
    if (it == views_.end()) return 0;
    uint64_t refs = 0;
    for (auto& e : it->second) {
        refs += e.leases.size();
        e.region->retire();
    }
    views_.erase(it);
    return refs;
}

Metadata Registry::read_metadata(const std::string& ns, const std::string& var, const ViewOptions& options) {
    const VariableKey key{ns, var};
    try {
        Metadata md = load_metadata(segment_names(ns, var, platform_), options);
        refuse_unpublished(md);
        return md;
    } catch (const Error& e) {
        if (absent(e)) throw Error(ErrorCode::NotFound, describe(key) + ": not registered", e.os_error());
        rethrow_for(key, e);
    }
}

std::vector<VariableEntry> Registry::page_list(const std::optional<std::string>& ns) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<VariableEntry> out;
    for (const auto& [key, page] : pages_)
        if (page.region && (!ns || key.ns == *ns)) out.push_back(VariableEntry{key, page.layout, page.layout.data_bytes(), 1, page.published});
    return out;
}

std::vector<VariableEntry> Registry::view_list(const std::optional<std::string>& ns) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<VariableEntry> out;
    for (const auto& [key, entries] : views_)
        for (const auto& view : entries)
            if (!ns || key.ns == *ns)
                out.push_back(VariableEntry{key, view.metadata.layout, view.metadata.layout.data_bytes(), view.leases.size(), true});
    return out;
}

void Registry::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shutting_down_ = true;
        // Pages still being created by another thread: free their data now; create_page sees the
        // flag when it records its next step and removes the rest (if the process ends first, the
        // metadata left names a dead owner, which a sweep removes).
        for (auto& [key, page] : pages_)
            if (!page.region) remove_created(page.names.data, page.data);
    }
    release_all();
}

std::size_t Registry::release_all(const std::optional<std::string>& ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t released = 0;
    for (auto it = views_.begin(); it != views_.end();) {
        if (ns && it->first.ns != *ns) {
            ++it;
            continue;
        }
        for (auto& e : it->second) e.region->retire();
        released += it->second.size();
        it = views_.erase(it);
    }
    for (auto it = writers_.begin(); it != writers_.end();) {
        if (ns && it->second.key.ns != *ns) {
            ++it;
            continue;
        }
        it->second.region->retire();
        ++released;
        it = writers_.erase(it);
    }
    for (auto it = pages_.begin(); it != pages_.end();) {
        auto next = std::next(it);
        if (it->second.region && (!ns || it->first.ns == *ns)) {
            release_page_locked(it);
            ++released;
        }
        it = next;
    }
    return released;
}

}  // namespace memshare

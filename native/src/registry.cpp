#include "memshare/registry.hpp"

#include <cstring>

#include "memshare/error.hpp"

namespace memshare {

namespace {

std::string describe(const VariableKey& key) { return "variable '" + key.var + "' in namespace '" + key.ns + "'"; }

// Re-throws an Error with the namespace and variable in front of its message.
[[noreturn]] void rethrow_for(const VariableKey& key, const Error& e) {
    throw Error(e.code(), describe(key) + ": " + e.what(), e.os_error());
}

// Reads a whole metadata segment through a read-only mapping (portable: macOS shm objects do
// not support read()).
std::vector<uint8_t> read_segment(SegmentFile& file, const SegmentStat& st) {
    if (st.size > (1u << 30)) throw Error(ErrorCode::Corrupt, "corrupt metadata: segment is " + std::to_string(st.size) + " bytes");
    auto region = file.map(st.size, false);
    return std::vector<uint8_t>(region->data(), region->data() + st.size);
}

void check_owner(const SegmentStat& st, const std::string& segment, const ViewOptions& options) {
    if (!options.allow_foreign_owner && host_platform() != Platform::Windows && st.uid != current_uid())
        throw Error(ErrorCode::PermissionDenied, "segment '" + segment + "' is owned by uid " + std::to_string(st.uid) +
                                                     ", not by this user (uid " + std::to_string(current_uid()) +
                                                     "); allow foreign owners to read it anyway");
}

Metadata load_metadata(const SegmentNames& names, const ViewOptions& options) {
    SegmentFile file = SegmentFile::open_readonly(names.metadata);
    const SegmentStat st = file.stat();
    check_owner(st, names.metadata, options);
    const std::vector<uint8_t> bytes = read_segment(file, st);
    return decode_metadata(bytes.data(), bytes.size());
}

// When a name is taken, say whether its holder is a dead process (a crash orphan).
std::string holder_hint(const SegmentNames& names) {
    try {
        const Metadata md = load_metadata(names, ViewOptions{true});
        if (md.owner && !process_alive(md.owner->pid, md.owner->start_time))
            return "; it is held by process " + std::to_string(md.owner->pid) +
                   ", which is no longer running: run a sweep to remove its orphaned segments";
        if (md.owner) return "; it is held by running process " + std::to_string(md.owner->pid);
    } catch (const Error&) {
    }
    return "";
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
        std::lock_guard<std::mutex> lock(mutex_);
        if (pages_.count(key)) throw Error(ErrorCode::AlreadyExists, "already registered by this process");
        std::shared_ptr<MappedRegion> region;
        try {
            SegmentFile file = SegmentFile::create(names.data, bytes, options.mode);
            try {
                region = file.map(bytes, true);
            } catch (...) {
                unlink_segment(names.data);
                throw;
            }
        } catch (const Error& e) {
            if (e.code() == ErrorCode::AlreadyExists)
                throw Error(e.code(), std::string("already registered") + holder_hint(names), e.os_error());
            throw;
        }
        const uint64_t lease = next_lease_locked();
        pages_[key] = PageEntry{layout, names, options, region, false, lease};
        return Attached{key, lease, Metadata{layout, OwnerInfo{}, kFormatVersion}, region};
    } catch (const Error& e) {
        rethrow_for(key, e);
    }
}

void Registry::publish(const std::string& ns, const std::string& var) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end()) throw Error(ErrorCode::NotFound, describe(key) + ": no such page in this process");
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
        const OwnerInfo owner{current_pid(), process_start_time(current_pid()), current_uid()};
        const std::vector<uint8_t> md = encode_metadata(page.layout, owner);
        SegmentFile file = SegmentFile::create(page.names.metadata, md.size(), page.options.mode);
        try {
            auto region = file.map(md.size(), true);
            std::memcpy(region->data(), md.data(), md.size());
        } catch (...) {
            unlink_segment(page.names.metadata);
            throw;
        }
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
        publish(ns, var);
    } catch (...) {
        release_page(ns, var);
        throw;
    }
    return page;
}

void Registry::release_page_locked(std::map<VariableKey, PageEntry>::iterator it) {
    PageEntry& page = it->second;
    // Best effort on both names: an outside process may already have removed them.
    try {
        if (page.published) unlink_segment(page.names.metadata);
    } catch (const Error&) {
    }
    try {
        unlink_segment(page.names.data);
    } catch (const Error&) {
    }
    page.region->retire();
    pages_.erase(it);
}

void Registry::release_page(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end() || (lease != 0 && it->second.lease != lease)) throw Error(ErrorCode::NotFound, describe(key) + ": not registered by this process");
    release_page_locked(it);
}

Attached Registry::open_view(const VariableKey& key, const ViewOptions& options) {
    const SegmentNames names = segment_names(key.ns, key.var, platform_);
    Metadata md = load_metadata(names, options);
    SegmentFile data = SegmentFile::open_readonly(names.data);
    const SegmentStat st = data.stat();
    check_owner(st, names.data, options);
    // Check the size before mapping: mapping past the end of a short segment is what turns into
    // SIGBUS on first touch.
    check_data_size(md, st.size, segment_sizes_are_rounded());
    auto region = data.map(md.layout.data_bytes(), false);
    check_list_offsets(md, region->data());
    return Attached{key, 0, std::move(md), std::move(region)};
}

Attached Registry::acquire_view(const std::string& ns, const std::string& var, const ViewOptions& options) {
    const VariableKey key{ns, var};
    try {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = views_.find(key);
        if (it == views_.end()) {
            Attached fresh = open_view(key, options);
            it = views_.emplace(key, ViewEntry{fresh.metadata, fresh.region, {}}).first;
        }
        const uint64_t lease = next_lease_locked();
        it->second.leases.insert(lease);
        return Attached{key, lease, it->second.metadata, it->second.region};
    } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) throw Error(ErrorCode::NotFound, describe(key) + ": not registered", e.os_error());
        rethrow_for(key, e);
    }
}

void Registry::release_view(const std::string& ns, const std::string& var, uint64_t lease) {
    const VariableKey key{ns, var};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = views_.find(key);
    const bool held = it != views_.end() && (lease == 0 || it->second.leases.count(lease) == 1);
    if (!held) throw Error(ErrorCode::NotFound, describe(key) + ": no view of it is held by this process");
    auto& leases = it->second.leases;
    leases.erase(lease == 0 ? std::prev(leases.end()) : leases.find(lease));  // never empty here
    if (leases.empty()) {
        it->second.region->retire();
        views_.erase(it);
    }
}

uint64_t Registry::release_view_all(const std::string& ns, const std::string& var) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = views_.find(VariableKey{ns, var});
    if (it == views_.end()) return 0;
    const uint64_t refs = it->second.leases.size();
    it->second.region->retire();
    views_.erase(it);
    return refs;
}

Metadata Registry::read_metadata(const std::string& ns, const std::string& var, const ViewOptions& options) {
    const VariableKey key{ns, var};
    try {
        return load_metadata(segment_names(ns, var, platform_), options);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) throw Error(ErrorCode::NotFound, describe(key) + ": not registered", e.os_error());
        rethrow_for(key, e);
    }
}

std::vector<VariableEntry> Registry::page_list(const std::optional<std::string>& ns) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<VariableEntry> out;
    for (const auto& [key, page] : pages_)
        if (!ns || key.ns == *ns) out.push_back(VariableEntry{key, page.layout, page.layout.data_bytes(), 1, page.published});
    return out;
}

std::vector<VariableEntry> Registry::view_list(const std::optional<std::string>& ns) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<VariableEntry> out;
    for (const auto& [key, view] : views_)
        if (!ns || key.ns == *ns)
            out.push_back(VariableEntry{key, view.metadata.layout, view.metadata.layout.data_bytes(), view.leases.size(), true});
    return out;
}

std::size_t Registry::release_all(const std::optional<std::string>& ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t released = 0;
    for (auto it = views_.begin(); it != views_.end();) {
        if (ns && it->first.ns != *ns) {
            ++it;
            continue;
        }
        it->second.region->retire();
        it = views_.erase(it);
        ++released;
    }
    for (auto it = pages_.begin(); it != pages_.end();) {
        auto next = std::next(it);
        if (!ns || it->first.ns == *ns) {
            release_page_locked(it);
            ++released;
        }
        it = next;
    }
    return released;
}

}  // namespace memshare

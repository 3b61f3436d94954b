// The per-process registry of pages (variables this process owns) and views (read-only
// mappings of variables anyone owns). Thread-safe. Views of one variable share one mapping,
// reference-counted; the mapping is retired when the count reaches zero.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "memshare/metadata.hpp"
#include "memshare/naming.hpp"
#include "memshare/platform.hpp"

namespace memshare {

struct VariableKey {
    std::string ns;
    std::string var;
    bool operator<(const VariableKey& o) const { return ns != o.ns ? ns < o.ns : var < o.var; }
};

struct PageOptions {
    uint32_t mode = 0600;  // permission bits of both segments; wider only when asked
};

struct ViewOptions {
    bool allow_foreign_owner = false;  // accept segments owned by another uid
};

// A page or view as seen by callers: what it is and the memory that holds it. Callers may keep
// `region` alive past release (it is retired, not unmapped; see MappedRegion::retire).
struct Attached {
    VariableKey key;
    uint64_t lease = 0;  // identifies this page or this one view reference; never reused in a process
    Metadata metadata;
    std::shared_ptr<MappedRegion> region;
};

// One row of page_list()/view_list().
struct VariableEntry {
    VariableKey key;
    VariableLayout layout;
    uint64_t data_bytes = 0;
    uint64_t ref_count = 0;  // views: open handles; pages: 1
    bool published = true;   // pages: metadata written, visible to views
};

class Registry {
public:
    explicit Registry(Platform platform = host_platform()) : platform_(platform) {}
    ~Registry();  // releases everything (pages are unlinked)
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // The registry the JNI layer uses: one per process.
    static Registry& process();

    // Creates the metadata segment in the filling state (already naming this process as owner,
    // so a crash from here on leaves segments a sweep removes), then the data segment (reserved
    // and zero-filled, mapped read-write). Views cannot attach until publish(), so a page can be
    // filled in place first. Throws AlreadyExists if the name is taken (the message says when the
    // holder is a dead process whose orphan a sweep would remove), OutOfSpace, InvalidName.
    Attached create_page(const std::string& ns, const std::string& var, const VariableLayout& layout,
                         const PageOptions& options = {});
    // Marks the metadata segment published (one byte). List pages get their offset table written
    // into the data segment first. With a nonzero lease, only if the page is still the one that
    // lease was given for.
    void publish(const std::string& ns, const std::string& var, uint64_t lease = 0);
    // create_page + copy `bytes` (data_bytes() long, list offset table excluded) + publish.
    Attached register_bytes(const std::string& ns, const std::string& var, const VariableLayout& layout,
                            const void* bytes, const PageOptions& options = {});
    // Unlinks both names (data first: the metadata, which names the owner, goes last) and retires
    // this process's mapping. Throws NotFound. With a nonzero
    // lease, releases only if the page is still the one that lease was given for, so a stale
    // handle can never release a later registration of the same name.
    void release_page(const std::string& ns, const std::string& var, uint64_t lease = 0);

    // Attaches (or shares the existing) read-only mapping of a variable, after validating the
    // metadata against the data segment. An existing mapping is shared only while the name still
    // refers to the same segment object. Each successful call must be paired with release_view.
    Attached acquire_view(const std::string& ns, const std::string& var, const ViewOptions& options = {});
    // Drops one reference (the one `lease` names, or any if it is 0); the last one retires the
    // mapping. Throws NotFound if no such reference is held.
    void release_view(const std::string& ns, const std::string& var, uint64_t lease = 0);
    // Drops every reference to the view; returns how many there were (0 if none).
    uint64_t release_view_all(const std::string& ns, const std::string& var);

    // Maps, read-write, a page another process (or this one) allocated and has not published yet,
    // so that cooperating processes of the same user fill it in place (each its own part: task
    // partitioning, docs/APPLY.md). Opt-in and narrow: only a page still in the filling state,
    // whose metadata and data segments belong to this user, whose trailer names this user and a
    // live owner. A published variable is refused (its views stay read-only for everyone), as are
    // R's segments (no trailer, so never filling), other users' and dead owners' pages. Never
    // shared with views; each call maps anew and must be paired with release_writer.
    Attached acquire_writer(const std::string& ns, const std::string& var);
    // Retires the writable mapping `lease` names (stale buffers then write to private memory).
    // Throws NotFound if this process holds no such mapping.
    void release_writer(const std::string& ns, const std::string& var, uint64_t lease);

    // Reads and validates the metadata of a variable without mapping its data. Throws NotFound
    // for a page that is not published yet.
    Metadata read_metadata(const std::string& ns, const std::string& var, const ViewOptions& options = {});

    std::vector<VariableEntry> page_list(const std::optional<std::string>& ns = std::nullopt) const;
    std::vector<VariableEntry> view_list(const std::optional<std::string>& ns = std::nullopt) const;

    // Releases every page and view (of one namespace, or all). Returns how many were released.
    std::size_t release_all(const std::optional<std::string>& ns = std::nullopt);

    // For process exit: releases everything, removes the data of pages other threads are still
    // creating (their creators remove the rest when they see the flag, or a sweep does if the
    // process ends first), and refuses new pages from then on.
    void shutdown();

    Platform platform() const { return platform_; }

private:
    // An object this process created (POSIX dev and inode; 0 on Windows): a page removes a name
    // only while it still refers to what the page created.
    struct CreatedSegment {
        bool exists = false;
        uint64_t dev = 0, ino = 0;
    };
    struct PageEntry {
        VariableLayout layout;
        SegmentNames names;
        PageOptions options;
        std::shared_ptr<MappedRegion> region;  // null while create_page is still creating it
        bool published = false;
        uint64_t lease = 0;
        CreatedSegment metadata, data;
        // Windows only: a mapping of the metadata segment (its handle keeps the named object
        // alive; a Win32 file mapping disappears with its last handle). Always null on POSIX.
        std::shared_ptr<MappedRegion> metadata_region;
    };
    struct ViewEntry {
        Metadata metadata;
        std::shared_ptr<MappedRegion> region;
        uint64_t dev = 0, ino = 0;  // which data segment object this maps
        std::set<uint64_t> leases;  // one per reference handed out
    };
    // Views of one name: normally one entry; more when the name was released and registered
    // again while views of the earlier object were still open.
    using ViewEntries = std::vector<ViewEntry>;

    // Maps a data segment after checking it against its (already validated) metadata.
    static ViewEntry map_view(Metadata md, SegmentFile& data, const SegmentStat& st);
    Attached lease_view_locked(const VariableKey& key, ViewEntry& entry);
    void release_page_locked(std::map<VariableKey, PageEntry>::iterator it);
    static void remove_created(const std::string& name, CreatedSegment& created);

    uint64_t next_lease_locked() { return ++last_lease_; }

    Platform platform_;
    uint64_t last_lease_ = 0;
    bool shutting_down_ = false;
    mutable std::mutex mutex_;
    std::map<VariableKey, PageEntry> pages_;
    std::map<VariableKey, ViewEntries> views_;
    std::map<uint64_t, Attached> writers_;  // by lease
};

}  // namespace memshare

#include "memshare/inspect.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "segment_io.hpp"

namespace memshare {

const char* owner_state_name(OwnerState s) {
    switch (s) {
        case OwnerState::Alive: return "alive";
        case OwnerState::Dead: return "dead";
        case OwnerState::Unknown: return "unknown";
    }
    return "unknown";
}

const char* sweep_action_name(SweepAction a) {
    switch (a) {
        case SweepAction::Removed: return "removed";
        case SweepAction::WouldRemove: return "would remove";
        case SweepAction::LiveOwner: return "kept: live owner";
        case SweepAction::OtherUser: return "kept: other user";
        case SweepAction::UnknownOwner: return "kept: unknown owner";
        case SweepAction::Failed: return "failed";
    }
    return "unknown";
}

namespace {

using Key = std::pair<std::string, std::string>;

struct Group {
    bool data = false;
    bool metadata = false;
};

// The names R's naming would give (ns, var), or nothing if they break the naming rules.
std::optional<SegmentNames> names_for(const std::string& ns, const std::string& var) {
    try {
        return segment_names(ns, var);
    } catch (const Error&) {
        return std::nullopt;
    }
}

// Groups directory entries into variables. A metadata name "<ns>.md.<var>" may split at several
// ".md." occurrences; the split whose data segment exists wins, else the first valid one.
std::map<Key, Group> group_names(const std::vector<std::string>& listing, const std::optional<std::string>& filter) {
    std::vector<std::string> names = listing;
    std::sort(names.begin(), names.end());
    const std::set<std::string> all(names.begin(), names.end());
    std::set<std::string> used;
    std::map<Key, Group> groups;
    static const std::string md = ".md.";
    for (const auto& n : names) {
        if (used.count(n)) continue;  // already the data segment of another variable
        std::optional<Key> first, paired;
        for (std::size_t p = n.find(md); p != std::string::npos; p = n.find(md, p + 1)) {
            if (p == 0 || p + md.size() >= n.size()) continue;
            Key k{n.substr(0, p), n.substr(p + md.size())};
            const auto sn = names_for(k.first, k.second);
            if (!sn || sn->metadata != n) continue;
            if (!first) first = k;
            if (all.count(sn->data) && !used.count(sn->data)) {
                paired = k;
                break;
            }
        }
        const std::optional<Key> choice = paired ? paired : first;
        if (!choice) continue;
        Group& g = groups[*choice];
        g.metadata = true;
        used.insert(n);
        if (paired) {
            g.data = true;
            used.insert(names_for(choice->first, choice->second)->data);
        }
    }
    // Lone data segments, so that a leak is never invisible: R memshare's pages between its data
    // and its metadata, leftovers of crashed R sessions or older versions of memshare, or another
    // program's objects named "a.b". With a namespace, those of that namespace; without one,
    // every dotted name, split at its first dot (glibc's named semaphores, "sem.<name>", aside).
    for (const auto& n : names) {
        if (used.count(n)) continue;
        std::string ns, var;
        if (filter) {
            const std::string prefix = *filter + ".";
            if (n.compare(0, prefix.size(), prefix) != 0) continue;
            ns = *filter;
            var = n.substr(prefix.size());
        } else {
            const auto dot = n.find('.');
            if (dot == std::string::npos || n.compare(0, 4, "sem.") == 0) continue;
            ns = n.substr(0, dot);
            var = n.substr(dot + 1);
        }
        const auto sn = names_for(ns, var);
        if (!sn || sn->data != n || groups.count(Key{ns, var})) continue;
        groups[Key{ns, var}].data = true;
    }
    if (filter) {
        for (auto it = groups.begin(); it != groups.end();) it = it->first.first == *filter ? std::next(it) : groups.erase(it);
    }
    return groups;
}

// Reads what the directory holds for one variable. `full`: also map the data read-only to check
// a list's offset table, as a view does.
SegmentScan examine(const std::string& ns, const std::string& var, bool has_data, bool has_metadata, bool full) {
    SegmentScan s;
    s.ns = ns;
    s.var = var;
    s.names = segment_names(ns, var);
    s.has_data = has_data;
    s.has_metadata = has_metadata;
    auto note = [&s](ErrorCode code, const std::string& what) {
        if (s.problem.empty()) {
            s.problem = what;
            s.problem_code = code;
        }
    };

    std::optional<SegmentFile> data;
    if (s.has_data) {
        try {
            data.emplace(SegmentFile::open_readonly(s.names.data));
            s.data_stat = data->stat();
            s.data_stat_known = true;
        } catch (const Error& e) {
            if (e.code() == ErrorCode::NotFound) s.has_data = false;  // removed since the listing
            else note(e.code(), e.what());
            if (e.code() == ErrorCode::Corrupt) s.not_a_segment = e.what();  // open refuses only non-regular files
        }
    }
    if (s.has_metadata) {
        try {
            SegmentFile file = SegmentFile::open_readonly(s.names.metadata);
            s.metadata_stat = file.stat();
            s.metadata_stat_known = true;
            const std::vector<uint8_t> bytes = detail::read_segment(file, s.metadata_stat);
            s.metadata = decode_metadata(bytes.data(), bytes.size());
            if (s.metadata->state == PublishState::Filling)
                note(ErrorCode::NotFound, "not published yet: process " + std::to_string(s.metadata->owner->pid) +
                                              " created it and is writing its data, or died doing so");
            if (s.metadata->owner)
                s.owner_state = process_alive(s.metadata->owner->pid, s.metadata->owner->start_time) ? OwnerState::Alive
                                                                                                     : OwnerState::Dead;
        } catch (const Error& e) {
            if (e.code() == ErrorCode::NotFound) s.has_metadata = false;
            else note(e.code(), e.what());
            if (e.code() == ErrorCode::Corrupt && !s.metadata_stat_known && s.not_a_segment.empty())
                s.not_a_segment = e.what();
        }
    }
    // A lone segment named like a lock and starting with the lock magic is a lock, not a variable.
    if (!s.has_metadata && data && s.data_stat_known && s.var.compare(0, kLockInfix.size() - 1, kLockInfix.substr(1)) == 0) {
        try {
            const auto bytes = data->read_all(std::min<uint64_t>(s.data_stat.size, kLockSegmentBytes));
            if (has_lock_magic(bytes.data(), bytes.size())) {
                s.lock = decode_lock_header(bytes.data(), bytes.size());
                s.owner_state = process_alive(s.lock->creator_pid, s.lock->creator_start_time) ? OwnerState::Alive : OwnerState::Dead;
                return s;
            }
        } catch (const Error& e) {
            note(e.code(), e.what());
        }
    }
    if (!s.has_metadata && !s.has_data) {
        note(ErrorCode::NotFound, "no segment '" + s.names.data + "' or '" + s.names.metadata + "'");
    } else if (!s.has_metadata) {
        note(ErrorCode::NotFound, "no metadata segment '" + s.names.metadata +
                                      "': R memshare between writing its data and its metadata, a leftover of a "
                                      "crashed R session or an older memshare, or not a memshare variable");
    } else if (s.metadata && !s.has_data) {
        note(ErrorCode::NotFound, "the data segment '" + s.names.data + "' is missing");
    }
    if (s.metadata && data && s.data_stat_known) {
        try {
            check_data_size(*s.metadata, s.data_stat.size, segment_sizes_are_rounded());
            if (full && s.metadata->layout.kind == Kind::List) {
                auto region = data->map(s.metadata->layout.data_bytes(), false);
                check_list_offsets(*s.metadata, region->data());
            }
        } catch (const Error& e) {
            note(e.code(), e.what());
        }
    }
    return s;
}

// A lock belongs to the processes that have it open; it is removed when none is left (every open
// handle holds its use file's shared flock; remove_lock_if_unused needs the exclusive one, and
// takes its mutex while it removes). Its creator's pid is on record for `ls`, not for judging:
// the creator may be gone while others still use it.
void judge_lock(SweepEntry& e, bool dry_run, uint32_t me) {
    const SegmentScan& s = e.scan;
    if (s.data_stat.uid != me) {
        e.action = SweepAction::OtherUser;
        e.reason = "lock owned by uid " + std::to_string(s.data_stat.uid) + ", not this user (uid " + std::to_string(me) + ")";
        return;
    }
    auto in_use = [&e](int64_t pid) {
        e.action = SweepAction::LiveOwner;
        e.reason = pid > 0 ? "lock in use: process " + std::to_string(pid) + " has it open or holds it" : "lock in use: a process has it open";
    };
    try {
        const auto user = remove_lock_if_unused(s.names.data, s.data_stat, dry_run);
        if (user && *user != 0) return in_use(*user);
        if (dry_run) {
            e.action = SweepAction::WouldRemove;
            e.reason = "lock that no process has open";
            return;
        }
        e.action = SweepAction::Removed;
        e.reason = "lock that no process has open";
        if (user) e.removed.push_back(s.names.data);
        else e.reason += "; it was already gone or replaced";
    } catch (const Error& err) {
        e.action = SweepAction::Failed;
        e.reason = std::string("cannot remove lock: ") + err.what();
    }
}

}  // namespace

std::vector<SegmentScan> scan_segments(const std::optional<std::string>& ns) {
    if (ns) validate_name_part(*ns, "namespace");
    std::vector<SegmentScan> out;
    for (const auto& [key, g] : group_names(list_segments(), ns))
        out.push_back(examine(key.first, key.second, g.data, g.metadata, false));
    return out;
}

SegmentScan inspect_segment(const std::string& ns, const std::string& var) {
    segment_names(ns, var);  // throws InvalidName
    return examine(ns, var, true, true, true);
}

std::vector<SweepEntry> sweep(const SweepOptions& options) {
    const uint32_t me = current_uid();
    std::vector<SweepEntry> out;
    std::optional<std::vector<SegmentWriter>> writers;  // read once, only if something is to be removed
    for (SegmentScan& scan : scan_segments(options.ns)) {
        SweepEntry e;
        e.scan = std::move(scan);
        const SegmentScan& s = e.scan;
        const auto& owner = s.metadata ? s.metadata->owner : std::nullopt;
        auto writer_of = [&](const SegmentStat& st) -> int64_t {
            if (!writers) writers = segment_writers();
            for (const auto& w : *writers)
                if (w.dev == st.dev && w.ino == st.ino) return w.pid;
            return 0;
        };
        // The segments of a dead owner go (a dry run only says so).
        auto remove_dead = [&options](SweepEntry& e, const std::string& died) {
            const SegmentScan& s = e.scan;
            e.action = options.dry_run ? SweepAction::WouldRemove : SweepAction::Removed;
            e.reason = died;
            if (options.dry_run) return;
            try {
                // Data first, the owner record last: a sweep that stops half way (killed, or
                // failing) leaves metadata that the next sweep judges again, never lone data.
                if (s.data_stat_known && unlink_segment_if_same(s.names.data, s.data_stat.dev, s.data_stat.ino))
                    e.removed.push_back(s.names.data);
                if (s.metadata_stat_known && unlink_segment_if_same(s.names.metadata, s.metadata_stat.dev, s.metadata_stat.ino))
                    e.removed.push_back(s.names.metadata);
                if (e.removed.empty()) e.reason += "; its segments were already gone or replaced";
            } catch (const Error& err) {
                e.action = SweepAction::Failed;
                e.reason = std::string("cannot remove: ") + err.what();
            }
        };
        if (s.lock) {
            judge_lock(e, options.dry_run, me);
        } else if (!s.not_a_segment.empty()) {
            e.action = SweepAction::UnknownOwner;
            e.reason = s.not_a_segment + "; not ours to judge: remove it by hand";
        } else if (!s.has_metadata) {
            // No owner record at all (R's page between its data and metadata, or a leftover). Say whether someone is still filling it.
            const int64_t writer = s.data_stat_known ? writer_of(s.data_stat) : 0;
            if (writer != 0) {
                e.action = SweepAction::LiveOwner;
                e.reason = "not published yet: process " + std::to_string(writer) + " maps it writable";
            } else {
                e.action = SweepAction::UnknownOwner;
                e.reason = "no metadata segment, and no process maps it writable: a leftover of a crashed R session "
                           "or an older memshare, or not a memshare variable (check it, then remove it by hand)";
            }
        } else if (const auto creator = !s.metadata || !owner ? segment_creator(s.names.metadata) : std::nullopt;
                   creator && creator->uid == me && !process_alive(creator->pid, creator->start_time)) {
            // macOS and the portable flavour write a segment after creating it: a creator killed in
            // between leaves zeros where the trailer goes. Its index entry still names it.
            remove_dead(e, "creator process " + std::to_string(creator->pid) + " died before writing its owner record");
        } else if (!s.metadata) {
            e.action = SweepAction::UnknownOwner;
            e.reason = "metadata unreadable: " + s.problem;
        } else if (!owner) {
            e.action = SweepAction::UnknownOwner;
            e.reason = "no owner trailer (written by R memshare or another tool)";
        } else if ((s.metadata_stat_known && s.metadata_stat.uid != me) || owner->uid != me ||
                   (s.data_stat_known && s.data_stat.uid != me) || (s.has_data && !s.data_stat_known)) {
            e.action = SweepAction::OtherUser;
            const uint32_t uid = s.metadata_stat_known && s.metadata_stat.uid != me ? s.metadata_stat.uid
                                 : owner->uid != me                                  ? owner->uid
                                                                                     : s.data_stat.uid;
            e.reason = s.has_data && !s.data_stat_known ? "data segment unreadable: " + s.problem
                                                        : "owned by uid " + std::to_string(uid) + ", not this user (uid " +
                                                              std::to_string(me) + ")";
        } else if (s.owner_state == OwnerState::Alive) {
            e.action = SweepAction::LiveOwner;
            e.reason = "owner process " + std::to_string(owner->pid) + " is running";
            if (s.metadata->state == PublishState::Filling) e.reason += "; not published yet";
        } else {
            const std::string died = "owner process " + std::to_string(owner->pid) +
                                     (s.metadata->state == PublishState::Filling ? " died before publishing it"
                                                                                 : " is no longer running");
            // The trailer's owner is dead. Still keep it if some process maps the data writable or
            // holds it open for writing: that is a live owner the trailer does not name (a new
            // page under a dead owner's leftover metadata, or an owner in another pid namespace).
            const int64_t writer = s.data_stat_known ? writer_of(s.data_stat) : 0;
            if (writer != 0) {
                e.action = SweepAction::LiveOwner;
                e.reason = "the trailer's owner " + std::to_string(owner->pid) + " is gone, but process " +
                           std::to_string(writer) + " maps the data segment writable";
            } else {
                remove_dead(e, died);
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace memshare

// JNI glue for org.memshare.internal.NativeInspect: listing, inspection and sweep of the
// shared-memory directory. Converts arguments, calls the core (inspect.hpp), fills NativeSegment
// objects (java_classes.hpp). No logic of its own.
#include "org_memshare_internal_NativeInspect.h"

#include <optional>
#include <string>
#include <vector>

#include "contract.hpp"
#include "jni_support.hpp"
#include "memshare/inspect.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {

// Throws JavaPending when the JVM could not allocate.
jobject make_segment(JNIEnv* env, const SegmentScan& s, const SweepEntry* sweep) {
    using F = SegmentField;
    ObjectWriter<F> f(env, segment_class());
    f.str(F::Namespace, s.ns);
    f.str(F::Variable, s.var);
    f.str(F::DataName, s.names.data);
    f.str(F::MetadataName, s.names.metadata);
    f.boolean(F::HasData, s.has_data);
    f.boolean(F::HasMetadata, s.has_metadata);
    auto stat = [&f](bool known, const SegmentStat& st, F known_field, F size, F uid, F mode, F mtime) {
        f.boolean(known_field, known);
        if (!known) return;
        f.wide(size, static_cast<int64_t>(st.size));
        f.integer(uid, st.uid);
        f.integer(mode, st.mode);
        f.wide(mtime, st.mtime_ns);
    };
    stat(s.data_stat_known, s.data_stat, F::DataStatKnown, F::DataSize, F::DataUid, F::DataMode, F::DataMtimeNanos);
    stat(s.metadata_stat_known, s.metadata_stat, F::MetadataStatKnown, F::MetadataSize, F::MetadataUid, F::MetadataMode,
         F::MetadataMtimeNanos);
    f.boolean(F::Decoded, s.metadata.has_value());
    if (s.metadata) {
        const VariableLayout& l = s.metadata->layout;
        f.integer(F::Kind, contract::code(l.kind));
        f.integer(F::ElementType, contract::code(l.type));
        f.wide(F::Nrow, static_cast<int64_t>(l.kind == Kind::List ? 0 : l.array.nrow));
        f.wide(F::Ncol, static_cast<int64_t>(l.kind == Kind::List ? 0 : l.array.ncol));
        f.longs(F::ElementShapes, contract::shape_triples(l));
        f.wide(F::LayoutBytes, static_cast<int64_t>(l.data_bytes()));
        f.boolean(F::HasTrailer, s.metadata->owner.has_value());
        f.integer(F::FormatVersion, s.metadata->format_version);
        f.integer(F::PublishState, contract::code(s.metadata->state));
        if (s.metadata->owner) {
            f.wide(F::OwnerPid, s.metadata->owner->pid);
            f.wide(F::OwnerStartTime, static_cast<int64_t>(s.metadata->owner->start_time));
            f.wide(F::OwnerUid, s.metadata->owner->uid);
        }
    }
    f.boolean(F::IsLock, s.lock.has_value());
    if (s.lock) {  // an interprocess lock: its creator stands for the owner
        f.boolean(F::LockReady, s.lock->ready);
        f.wide(F::LockHolderPid, s.lock->holder_pid);
        f.wide(F::OwnerPid, s.lock->creator_pid);
        f.wide(F::OwnerStartTime, static_cast<int64_t>(s.lock->creator_start_time));
        f.wide(F::OwnerUid, s.lock->creator_uid);
    }
    f.integer(F::OwnerState, contract::code(s.owner_state));
    if (!s.valid()) {
        f.str(F::Problem, s.problem);
        f.integer(F::ProblemCode, contract::code(s.problem_code));
    }
    if (sweep != nullptr) {
        f.integer(F::Action, contract::code(sweep->action));
        f.str(F::Reason, sweep->reason);
        f.strings(F::Removed, sweep->removed);
    }
    return f.release();
}

// Converts scans (and sweep entries, when given) into a NativeSegment[]; throws JavaPending.
jobjectArray make_array(JNIEnv* env, const std::vector<SegmentScan>* scans, const std::vector<SweepEntry>* entries) {
    const std::size_t n = scans ? scans->size() : entries->size();
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(n), segment_class().cls, nullptr);
    if (out == nullptr) throw JavaPending{};
    try {
        for (std::size_t i = 0; i < n; ++i) {
            jobject item = scans ? make_segment(env, (*scans)[i], nullptr) : make_segment(env, (*entries)[i].scan, &(*entries)[i]);
            env->SetObjectArrayElement(out, static_cast<jsize>(i), item);
            env->DeleteLocalRef(item);
        }
    } catch (...) {
        env->DeleteLocalRef(out);
        throw;
    }
    return out;
}

std::optional<std::string> optional_ns(JNIEnv* env, jstring ns) {
    if (ns == nullptr) return std::nullopt;
    return to_utf8(env, ns, "namespace");
}

}  // namespace

JNIEXPORT jobjectArray JNICALL Java_org_memshare_internal_NativeInspect_scan(JNIEnv* env, jclass, jstring jns) {
    Subject s;
    return guarded<jobjectArray>(env, s, nullptr, [&]() -> jobjectArray {
        const auto ns = optional_ns(env, jns);
        if (ns) s.ns = *ns;
        const std::vector<SegmentScan> scans = scan_segments(ns);
        return make_array(env, &scans, nullptr);
    });
}

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeInspect_inspect(JNIEnv* env, jclass, jstring jns, jstring jvar) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&]() -> jobject {
        s.read(env, jns, jvar);
        return make_segment(env, inspect_segment(s.ns, s.var), nullptr);
    });
}

JNIEXPORT jobjectArray JNICALL Java_org_memshare_internal_NativeInspect_sweep(JNIEnv* env, jclass, jstring jns,
                                                                           jboolean dry_run) {
    Subject s;
    return guarded<jobjectArray>(env, s, nullptr, [&]() -> jobjectArray {
        SweepOptions options;
        options.ns = optional_ns(env, jns);
        if (options.ns) s.ns = *options.ns;
        options.dry_run = dry_run == JNI_TRUE;
        const std::vector<SweepEntry> entries = sweep(options);
        return make_array(env, nullptr, &entries);
    });
}

JNIEXPORT jboolean JNICALL Java_org_memshare_internal_NativeInspect_listingSupported(JNIEnv* env, jclass) {
    Subject s;
    return guarded<jboolean>(env, s, JNI_FALSE, [&] { return static_cast<jboolean>(segments_listable() ? JNI_TRUE : JNI_FALSE); });
}

JNIEXPORT jint JNICALL Java_org_memshare_internal_NativeInspect_currentUid(JNIEnv* env, jclass) {
    Subject s;
    return guarded<jint>(env, s, 0, [&] { return static_cast<jint>(current_uid()); });
}

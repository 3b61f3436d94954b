// JNI glue for org.memshare.internal.NativeInspect: listing, inspection and sweep of the
// shared-memory directory. Converts arguments, calls the core (inspect.hpp), fills NativeSegment
// objects field by field. No logic of its own.
#include "org_memshare_internal_NativeInspect.h"

#include <optional>
#include <string>
#include <vector>

#include "jni_support.hpp"
#include "memshare/inspect.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {

constexpr const char* kSegmentClass = "org/memshare/internal/NativeSegment";

// A pending Java exception (out of memory, missing class) stops the conversion here.
struct JavaPending {};

void check(JNIEnv* env) {
    if (env->ExceptionCheck()) throw JavaPending{};
}

class Filler {
public:
    Filler(JNIEnv* env, jclass cls, jobject obj) : env_(env), cls_(cls), obj_(obj) {}

    void str(const char* name, const std::string& value) {
        jstring s = to_jstring(env_, value);
        if (s == nullptr) throw JavaPending{};
        env_->SetObjectField(obj_, field(name, "Ljava/lang/String;"), s);
        env_->DeleteLocalRef(s);
    }
    void boolean(const char* name, bool v) { env_->SetBooleanField(obj_, field(name, "Z"), v ? JNI_TRUE : JNI_FALSE); }
    void integer(const char* name, int64_t v) { env_->SetIntField(obj_, field(name, "I"), static_cast<jint>(v)); }
    void wide(const char* name, int64_t v) { env_->SetLongField(obj_, field(name, "J"), static_cast<jlong>(v)); }
    void longs(const char* name, const std::vector<jlong>& v) {
        jlongArray a = env_->NewLongArray(static_cast<jsize>(v.size()));
        if (a == nullptr) throw JavaPending{};
        if (!v.empty()) env_->SetLongArrayRegion(a, 0, static_cast<jsize>(v.size()), v.data());
        env_->SetObjectField(obj_, field(name, "[J"), a);
        env_->DeleteLocalRef(a);
    }
    void strings(const char* name, const std::vector<std::string>& v) {
        jclass string_class = env_->FindClass("java/lang/String");
        if (string_class == nullptr) throw JavaPending{};
        jobjectArray a = env_->NewObjectArray(static_cast<jsize>(v.size()), string_class, nullptr);
        env_->DeleteLocalRef(string_class);
        if (a == nullptr) throw JavaPending{};
        for (std::size_t i = 0; i < v.size(); ++i) {
            jstring s = to_jstring(env_, v[i]);
            if (s == nullptr) throw JavaPending{};
            env_->SetObjectArrayElement(a, static_cast<jsize>(i), s);
            env_->DeleteLocalRef(s);
        }
        env_->SetObjectField(obj_, field(name, "[Ljava/lang/String;"), a);
        env_->DeleteLocalRef(a);
    }

private:
    jfieldID field(const char* name, const char* sig) {
        jfieldID id = env_->GetFieldID(cls_, name, sig);
        if (id == nullptr) throw JavaPending{};  // NoSuchFieldError pending: Java and C++ disagree
        return id;
    }
    JNIEnv* env_;
    jclass cls_;
    jobject obj_;
};

jobject make_segment(JNIEnv* env, jclass cls, const SegmentScan& s, const SweepEntry* sweep) {
    jmethodID ctor = env->GetMethodID(cls, "<init>", "()V");
    if (ctor == nullptr) throw JavaPending{};
    jobject obj = env->NewObject(cls, ctor);
    if (obj == nullptr) throw JavaPending{};
    try {
        Filler f(env, cls, obj);
        f.str("namespace", s.ns);
        f.str("variable", s.var);
        f.str("dataName", s.names.data);
        f.str("metadataName", s.names.metadata);
        f.boolean("hasData", s.has_data);
        f.boolean("hasMetadata", s.has_metadata);
        f.boolean("dataStatKnown", s.data_stat_known);
        if (s.data_stat_known) {
            f.wide("dataSize", static_cast<int64_t>(s.data_stat.size));
            f.integer("dataUid", s.data_stat.uid);
            f.integer("dataMode", s.data_stat.mode);
            f.wide("dataMtimeNanos", s.data_stat.mtime_ns);
        }
        f.boolean("metadataStatKnown", s.metadata_stat_known);
        if (s.metadata_stat_known) {
            f.wide("metadataSize", static_cast<int64_t>(s.metadata_stat.size));
            f.integer("metadataUid", s.metadata_stat.uid);
            f.integer("metadataMode", s.metadata_stat.mode);
            f.wide("metadataMtimeNanos", s.metadata_stat.mtime_ns);
        }
        f.boolean("decoded", s.metadata.has_value());
        if (s.metadata) {
            const VariableLayout& l = s.metadata->layout;
            f.integer("kind", static_cast<int>(l.kind));
            f.integer("elementType", static_cast<int>(l.type));
            f.wide("nrow", static_cast<int64_t>(l.kind == Kind::List ? 0 : l.array.nrow));
            f.wide("ncol", static_cast<int64_t>(l.kind == Kind::List ? 0 : l.array.ncol));
            std::vector<jlong> shapes;
            for (const auto& e : l.elements) {
                shapes.push_back(static_cast<jlong>(e.kind));
                shapes.push_back(static_cast<jlong>(e.nrow));
                shapes.push_back(static_cast<jlong>(e.ncol));
            }
            f.longs("elementShapes", shapes);
            f.wide("layoutBytes", static_cast<int64_t>(l.data_bytes()));
            f.boolean("hasTrailer", s.metadata->owner.has_value());
            f.integer("formatVersion", s.metadata->format_version);
            if (s.metadata->owner) {
                f.wide("ownerPid", s.metadata->owner->pid);
                f.wide("ownerStartTime", static_cast<int64_t>(s.metadata->owner->start_time));
                f.wide("ownerUid", s.metadata->owner->uid);
            }
        }
        f.integer("ownerState", static_cast<int>(s.owner_state));
        if (!s.valid()) {
            f.str("problem", s.problem);
            f.integer("problemCode", static_cast<int>(s.problem_code));
        }
        if (sweep != nullptr) {
            f.integer("action", static_cast<int>(sweep->action));
            f.str("reason", sweep->reason);
            f.strings("removed", sweep->removed);
        }
    } catch (...) {
        env->DeleteLocalRef(obj);
        throw;
    }
    return obj;
}

// Converts scans (and sweep entries, when given) into a NativeSegment[]; null with an exception pending on failure.
jobjectArray make_array(JNIEnv* env, const std::vector<SegmentScan>* scans, const std::vector<SweepEntry>* entries) {
    jclass cls = env->FindClass(kSegmentClass);
    if (cls == nullptr) return nullptr;
    const std::size_t n = scans ? scans->size() : entries->size();
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(n), cls, nullptr);
    try {
        if (out == nullptr) throw JavaPending{};
        for (std::size_t i = 0; i < n; ++i) {
            jobject item = scans ? make_segment(env, cls, (*scans)[i], nullptr)
                                 : make_segment(env, cls, (*entries)[i].scan, &(*entries)[i]);
            env->SetObjectArrayElement(out, static_cast<jsize>(i), item);
            env->DeleteLocalRef(item);
            check(env);
        }
    } catch (const JavaPending&) {
        env->DeleteLocalRef(cls);
        return nullptr;
    }
    env->DeleteLocalRef(cls);
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
        const SegmentScan scan = inspect_segment(s.ns, s.var);
        jclass cls = env->FindClass(kSegmentClass);
        if (cls == nullptr) return nullptr;
        jobject out = nullptr;
        try {
            out = make_segment(env, cls, scan, nullptr);
        } catch (const JavaPending&) {
        }
        env->DeleteLocalRef(cls);
        return out;
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

JNIEXPORT jint JNICALL Java_org_memshare_internal_NativeInspect_currentUid(JNIEnv* env, jclass) {
    Subject s;
    return guarded<jint>(env, s, 0, [&] { return static_cast<jint>(current_uid()); });
}

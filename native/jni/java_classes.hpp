// The one way the glue builds Java objects: plain-data classes (org.memshare.internal.
// NativeAttachment, NativeSegment) made with their no-arg constructor and filled field by field.
// Each class's fields are listed once, below, in the order of its field enum (static_asserted).
// The class (a global ref), constructor and field IDs are looked up once in JNI_OnLoad, where a
// field missing on the Java side fails the load naming it, and dropped in JNI_OnUnload; the
// entry points never look anything up by name.
#pragma once

#include <jni.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "contract.hpp"

namespace memshare::jni {

// A Java exception is pending (out of memory while building a result): unwinds to guarded(),
// which returns the fallback so Java sees that exception.
struct JavaPending {};

enum class JType { Boolean, Int, Long, String, LongArray, StringArray };

struct FieldSpec {
    int index;  // the field enum's value; must equal the row's position
    const char* name;
    JType type;
};

template <typename F>
constexpr int field(F f) {
    return static_cast<int>(f);
}

constexpr int key_of(const FieldSpec& f) { return f.index; }  // for contract::indexed_rows

// --- org.memshare.internal.NativeAttachment -------------------------------------------------

enum class AttachmentField {
    Namespace, Variable, Lease, Pin, SizeBytes, Kind, ElementType, Nrow, Ncol, ElementShapes, ElementOffsets, OwnerPid,
    References, Count
};
inline constexpr FieldSpec kAttachmentFields[] = {
    {field(AttachmentField::Namespace), "namespace", JType::String},
    {field(AttachmentField::Variable), "variable", JType::String},
    {field(AttachmentField::Lease), "lease", JType::Long},
    {field(AttachmentField::Pin), "pin", JType::Long},
    {field(AttachmentField::SizeBytes), "sizeBytes", JType::Long},
    {field(AttachmentField::Kind), "kind", JType::Int},
    {field(AttachmentField::ElementType), "elementType", JType::Int},
    {field(AttachmentField::Nrow), "nrow", JType::Long},
    {field(AttachmentField::Ncol), "ncol", JType::Long},
    {field(AttachmentField::ElementShapes), "elementShapes", JType::LongArray},
    {field(AttachmentField::ElementOffsets), "elementOffsets", JType::LongArray},
    {field(AttachmentField::OwnerPid), "ownerPid", JType::Long},
    {field(AttachmentField::References), "references", JType::Long},
};
static_assert(contract::indexed_rows(kAttachmentFields, field(AttachmentField::Count)));

// --- org.memshare.internal.NativeSegment ----------------------------------------------------

enum class SegmentField {
    Namespace, Variable, DataName, MetadataName, HasData, HasMetadata, DataStatKnown, DataSize, DataUid, DataMode,
    DataMtimeNanos, MetadataStatKnown, MetadataSize, MetadataUid, MetadataMode, MetadataMtimeNanos, Decoded, Kind,
    ElementType, Nrow, Ncol, ElementShapes, LayoutBytes, HasTrailer, FormatVersion, PublishState, OwnerPid, OwnerStartTime,
    OwnerUid, OwnerState, Problem, ProblemCode, Action, Reason, Removed, IsLock, LockReady, LockHolderPid, Count
};
inline constexpr FieldSpec kSegmentFields[] = {
    {field(SegmentField::Namespace), "namespace", JType::String},
    {field(SegmentField::Variable), "variable", JType::String},
    {field(SegmentField::DataName), "dataName", JType::String},
    {field(SegmentField::MetadataName), "metadataName", JType::String},
    {field(SegmentField::HasData), "hasData", JType::Boolean},
    {field(SegmentField::HasMetadata), "hasMetadata", JType::Boolean},
    {field(SegmentField::DataStatKnown), "dataStatKnown", JType::Boolean},
    {field(SegmentField::DataSize), "dataSize", JType::Long},
    {field(SegmentField::DataUid), "dataUid", JType::Int},
    {field(SegmentField::DataMode), "dataMode", JType::Int},
    {field(SegmentField::DataMtimeNanos), "dataMtimeNanos", JType::Long},
    {field(SegmentField::MetadataStatKnown), "metadataStatKnown", JType::Boolean},
    {field(SegmentField::MetadataSize), "metadataSize", JType::Long},
    {field(SegmentField::MetadataUid), "metadataUid", JType::Int},
    {field(SegmentField::MetadataMode), "metadataMode", JType::Int},
    {field(SegmentField::MetadataMtimeNanos), "metadataMtimeNanos", JType::Long},
    {field(SegmentField::Decoded), "decoded", JType::Boolean},
    {field(SegmentField::Kind), "kind", JType::Int},
    {field(SegmentField::ElementType), "elementType", JType::Int},
    {field(SegmentField::Nrow), "nrow", JType::Long},
    {field(SegmentField::Ncol), "ncol", JType::Long},
    {field(SegmentField::ElementShapes), "elementShapes", JType::LongArray},
    {field(SegmentField::LayoutBytes), "layoutBytes", JType::Long},
    {field(SegmentField::HasTrailer), "hasTrailer", JType::Boolean},
    {field(SegmentField::FormatVersion), "formatVersion", JType::Int},
    {field(SegmentField::PublishState), "publishState", JType::Int},
    {field(SegmentField::OwnerPid), "ownerPid", JType::Long},
    {field(SegmentField::OwnerStartTime), "ownerStartTime", JType::Long},
    {field(SegmentField::OwnerUid), "ownerUid", JType::Long},
    {field(SegmentField::OwnerState), "ownerState", JType::Int},
    {field(SegmentField::Problem), "problem", JType::String},
    {field(SegmentField::ProblemCode), "problemCode", JType::Int},
    {field(SegmentField::Action), "action", JType::Int},
    {field(SegmentField::Reason), "reason", JType::String},
    {field(SegmentField::Removed), "removed", JType::StringArray},
    {field(SegmentField::IsLock), "isLock", JType::Boolean},
    {field(SegmentField::LockReady), "lockReady", JType::Boolean},
    {field(SegmentField::LockHolderPid), "lockHolderPid", JType::Long},
};
static_assert(contract::indexed_rows(kSegmentFields, field(SegmentField::Count)));

// --- binding --------------------------------------------------------------------------------

// One bound class: filled in by JNI_OnLoad, cleared by JNI_OnUnload.
struct DataClass {
    const char* name;  // JNI form
    const FieldSpec* fields;
    std::size_t count;
    jclass cls = nullptr;
    jmethodID ctor = nullptr;
    std::vector<jfieldID> ids;
};

DataClass& attachment_class();
DataClass& segment_class();

// Builds java/lang/String[] and java strings for ObjectWriter (jni_support.cpp).
jclass string_class();
jstring to_jstring(JNIEnv* env, const std::string& s);

// A new instance of a bound class, filled field by field; owns the local reference until
// release(). Every method throws JavaPending when the JVM could not allocate.
template <typename F>
class ObjectWriter {
public:
    ObjectWriter(JNIEnv* env, const DataClass& c) : env_(env), class_(c), obj_(env->NewObject(c.cls, c.ctor)) {
        if (obj_ == nullptr) throw JavaPending{};
    }
    ~ObjectWriter() {
        if (obj_ != nullptr) env_->DeleteLocalRef(obj_);
    }
    ObjectWriter(const ObjectWriter&) = delete;
    ObjectWriter& operator=(const ObjectWriter&) = delete;

    void boolean(F f, bool v) { env_->SetBooleanField(obj_, id(f, JType::Boolean), v ? JNI_TRUE : JNI_FALSE); }
    void integer(F f, int64_t v) { env_->SetIntField(obj_, id(f, JType::Int), static_cast<jint>(v)); }
    void wide(F f, int64_t v) { env_->SetLongField(obj_, id(f, JType::Long), static_cast<jlong>(v)); }
    void str(F f, const std::string& v) {
        const jfieldID fid = id(f, JType::String);
        set_local(fid, to_jstring(env_, v));
    }
    template <typename T>
    void longs(F f, const std::vector<T>& v) {
        const jfieldID fid = id(f, JType::LongArray);
        std::vector<jlong> values(v.begin(), v.end());
        jlongArray a = env_->NewLongArray(static_cast<jsize>(values.size()));
        if (a != nullptr && !values.empty()) env_->SetLongArrayRegion(a, 0, static_cast<jsize>(values.size()), values.data());
        set_local(fid, a);
    }
    void strings(F f, const std::vector<std::string>& v) {
        const jfieldID fid = id(f, JType::StringArray);
        jobjectArray a = env_->NewObjectArray(static_cast<jsize>(v.size()), string_class(), nullptr);
        if (a == nullptr) throw JavaPending{};
        for (std::size_t i = 0; i < v.size(); ++i) {
            jstring s = to_jstring(env_, v[i]);
            if (s == nullptr) {
                env_->DeleteLocalRef(a);
                throw JavaPending{};
            }
            env_->SetObjectArrayElement(a, static_cast<jsize>(i), s);
            env_->DeleteLocalRef(s);
        }
        set_local(fid, a);
    }

    // The filled object; the caller owns the local reference.
    jobject release() {
        jobject o = obj_;
        obj_ = nullptr;
        return o;
    }

private:
    jfieldID id(F f, JType type) const {
        const auto i = static_cast<std::size_t>(f);
        // A setter of the wrong type is a glue bug; -Xcheck:jni would abort the JVM on it.
        if (i >= class_.count || class_.fields[i].type != type)
            throw std::logic_error(std::string("JNI glue sets field ") + class_.name + "." +
                                   (i < class_.count ? class_.fields[i].name : "?") + " with the wrong type");
        return class_.ids[i];
    }
    void set_local(jfieldID fid, jobject value) {
        if (value == nullptr) throw JavaPending{};
        env_->SetObjectField(obj_, fid, value);
        env_->DeleteLocalRef(value);
    }

    JNIEnv* env_;
    const DataClass& class_;
    jobject obj_;
};

}  // namespace memshare::jni

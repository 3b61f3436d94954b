// JNI glue for org.memshare.internal.NativeRegistry: converts arguments, calls the core's
// Registry, converts results. No logic of its own.
#include "org_memshare_internal_NativeRegistry.h"

#include <memory>
#include <optional>
#include <vector>

#include "jni_support.hpp"
#include "memshare/registry.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {

Registry& registry() { return Registry::process(); }

std::optional<std::string> optional_ns(JNIEnv* env, jstring ns) {
    if (ns == nullptr) return std::nullopt;
    return to_utf8(env, ns, "namespace");
}

// Builds a NativeAttachment. `pin` (may be null) is handed to Java only if construction succeeds.
jobject make_attachment(JNIEnv* env, const VariableKey& key, uint64_t lease, std::unique_ptr<std::shared_ptr<MappedRegion>> pin,
                        const VariableLayout& layout, const std::optional<OwnerInfo>& owner, uint64_t refs) {
    std::vector<jlong> shapes;
    for (const auto& e : layout.elements) {
        shapes.push_back(static_cast<jlong>(e.kind));
        shapes.push_back(static_cast<jlong>(e.nrow));
        shapes.push_back(static_cast<jlong>(e.ncol));
    }
    jlongArray jshapes = env->NewLongArray(static_cast<jsize>(shapes.size()));
    if (jshapes == nullptr) return nullptr;
    env->SetLongArrayRegion(jshapes, 0, static_cast<jsize>(shapes.size()), shapes.data());
    jstring jns = to_jstring(env, key.ns);
    jstring jvar = jns ? to_jstring(env, key.var) : nullptr;
    if (jvar == nullptr) return nullptr;
    const jobject obj = env->NewObject(
        attachment_class(), attachment_constructor(), jns, jvar, static_cast<jlong>(lease),
        reinterpret_cast<jlong>(pin.get()), static_cast<jlong>(layout.data_bytes()), static_cast<jint>(layout.kind),
        static_cast<jint>(layout.type), static_cast<jlong>(layout.array.nrow), static_cast<jlong>(layout.array.ncol), jshapes,
        static_cast<jlong>(owner ? owner->pid : 0), static_cast<jlong>(refs));
    env->DeleteLocalRef(jshapes);
    env->DeleteLocalRef(jns);
    env->DeleteLocalRef(jvar);
    if (obj != nullptr) pin.release();  // now owned by Java, freed by NativeMemory.unpin
    return obj;
}

std::unique_ptr<std::shared_ptr<MappedRegion>> pin_of(const Attached& a) {
    return std::make_unique<std::shared_ptr<MappedRegion>>(a.region);
}

jobjectArray make_list(JNIEnv* env, const std::vector<VariableEntry>& entries) {
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(entries.size()), attachment_class(), nullptr);
    if (out == nullptr) return nullptr;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        jobject item = make_attachment(env, e.key, 0, nullptr, e.layout, std::nullopt, e.ref_count);
        if (item == nullptr) return nullptr;
        env->SetObjectArrayElement(out, static_cast<jsize>(i), item);
        env->DeleteLocalRef(item);
    }
    return out;
}

}  // namespace

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeRegistry_createPage(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                              jint kind, jint type, jlong nrow, jlong ncol,
                                                                              jlongArray jshapes, jint mode) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&]() -> jobject {
        s.read(env, jns, jvar);
        const ElementType et = element_type_from_code(type);
        if (nrow < 0 || ncol < 0) throw Error(ErrorCode::InvalidArgument, "negative dimension");
        VariableLayout layout;
        if (kind == static_cast<jint>(Kind::List)) {
            const jsize n = jshapes ? env->GetArrayLength(jshapes) : 0;
            std::vector<jlong> t(static_cast<std::size_t>(n));
            if (n > 0) env->GetLongArrayRegion(jshapes, 0, n, t.data());
            std::vector<ArrayShape> shapes;
            for (jsize i = 0; i + 2 < n; i += 3) {
                if (t[i + 1] < 0 || t[i + 2] < 0) throw Error(ErrorCode::InvalidArgument, "negative dimension");
                shapes.push_back(ArrayShape{t[i] == 0 ? Kind::Matrix : Kind::Vector, static_cast<uint64_t>(t[i + 1]),
                                            static_cast<uint64_t>(t[i + 2])});
            }
            layout = VariableLayout::list(et, std::move(shapes));
        } else if (kind == static_cast<jint>(Kind::Matrix)) {
            layout = VariableLayout::matrix(et, static_cast<uint64_t>(nrow), static_cast<uint64_t>(ncol));
        } else {
            layout = VariableLayout::vector(et, static_cast<uint64_t>(nrow));
        }
        Attached a = registry().create_page(s.ns, s.var, layout, PageOptions{static_cast<uint32_t>(mode)});
        jobject obj = make_attachment(env, a.key, a.lease, pin_of(a), a.metadata.layout, std::nullopt, 1);
        if (obj == nullptr) registry().release_page(s.ns, s.var, a.lease);  // Java exception pending
        return obj;
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeRegistry_publish(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                        jlong lease) {
    Subject s;
    guarded_void(env, s, [&] {
        s.read(env, jns, jvar);
        registry().publish(s.ns, s.var, static_cast<uint64_t>(lease));
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeRegistry_shutdown(JNIEnv* env, jclass) {
    Subject s;
    guarded_void(env, s, [&] { registry().shutdown(); });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeRegistry_releasePage(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                            jlong lease) {
    Subject s;
    guarded_void(env, s, [&] {
        s.read(env, jns, jvar);
        registry().release_page(s.ns, s.var, static_cast<uint64_t>(lease));
    });
}

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeRegistry_acquireView(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                               jboolean allow_foreign) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&]() -> jobject {
        s.read(env, jns, jvar);
        Attached a = registry().acquire_view(s.ns, s.var, ViewOptions{allow_foreign == JNI_TRUE});
        jobject obj = make_attachment(env, a.key, a.lease, pin_of(a), a.metadata.layout, a.metadata.owner, 1);
        if (obj == nullptr) registry().release_view(s.ns, s.var, a.lease);  // Java exception pending
        return obj;
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeRegistry_releaseView(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                            jlong lease) {
    Subject s;
    guarded_void(env, s, [&] {
        s.read(env, jns, jvar);
        registry().release_view(s.ns, s.var, static_cast<uint64_t>(lease));
    });
}

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeRegistry_readMetadata(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                                jboolean allow_foreign) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&] {
        s.read(env, jns, jvar);
        const Metadata md = registry().read_metadata(s.ns, s.var, ViewOptions{allow_foreign == JNI_TRUE});
        return make_attachment(env, VariableKey{s.ns, s.var}, 0, nullptr, md.layout, md.owner, 0);
    });
}

JNIEXPORT jobjectArray JNICALL Java_org_memshare_internal_NativeRegistry_pageList(JNIEnv* env, jclass, jstring jns) {
    Subject s;
    return guarded<jobjectArray>(env, s, nullptr, [&] { return make_list(env, registry().page_list(optional_ns(env, jns))); });
}

JNIEXPORT jobjectArray JNICALL Java_org_memshare_internal_NativeRegistry_viewList(JNIEnv* env, jclass, jstring jns) {
    Subject s;
    return guarded<jobjectArray>(env, s, nullptr, [&] { return make_list(env, registry().view_list(optional_ns(env, jns))); });
}

// JNI glue for org.memshare.internal.NativeRegistry: converts arguments, calls the core's
// Registry, converts results. No logic of its own.
#include "org_memshare_internal_NativeRegistry.h"

#include <memory>
#include <optional>
#include <vector>

#include "contract.hpp"
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

// Builds a NativeAttachment. `pin` (may be null) is handed to Java only if construction succeeds;
// throws JavaPending otherwise.
jobject make_attachment(JNIEnv* env, const VariableKey& key, uint64_t lease, std::unique_ptr<std::shared_ptr<MappedRegion>> pin,
                        const VariableLayout& layout, const std::optional<OwnerInfo>& owner, uint64_t refs) {
    using F = AttachmentField;
    ObjectWriter<F> w(env, attachment_class());
    w.str(F::Namespace, key.ns);
    w.str(F::Variable, key.var);
    w.wide(F::Lease, static_cast<int64_t>(lease));
    w.wide(F::SizeBytes, static_cast<int64_t>(layout.data_bytes()));
    w.integer(F::Kind, contract::code(layout.kind));
    w.integer(F::ElementType, contract::code(layout.type));
    w.wide(F::Nrow, static_cast<int64_t>(layout.array.nrow));
    w.wide(F::Ncol, static_cast<int64_t>(layout.array.ncol));
    w.longs(F::ElementShapes, contract::shape_triples(layout));
    // The core's offsets, so Java never recomputes the list layout.
    w.longs(F::ElementOffsets, layout.element_byte_offsets());
    w.wide(F::OwnerPid, owner ? owner->pid : 0);
    w.wide(F::References, static_cast<int64_t>(refs));
    w.wide(F::Pin, reinterpret_cast<int64_t>(pin.get()));
    jobject obj = w.release();
    pin.release();  // now owned by Java, freed by NativeMemory.unpin
    return obj;
}

std::unique_ptr<std::shared_ptr<MappedRegion>> pin_of(const Attached& a) {
    return std::make_unique<std::shared_ptr<MappedRegion>>(a.region);
}

// Hands a view or writable mapping to Java with its owner; if that fails, no handle reached Java,
// so nobody else would release it: `undo` does.
template <typename Undo>
jobject hand_over(JNIEnv* env, const Attached& a, Undo undo) {
    try {
        return make_attachment(env, a.key, a.lease, pin_of(a), a.metadata.layout, a.metadata.owner, 1);
    } catch (...) {
        undo();
        throw;
    }
}

jobjectArray make_list(JNIEnv* env, const std::vector<VariableEntry>& entries) {
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(entries.size()), attachment_class().cls, nullptr);
    if (out == nullptr) throw JavaPending{};
    try {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            jobject item = make_attachment(env, e.key, 0, nullptr, e.layout, std::nullopt, e.ref_count);
            env->SetObjectArrayElement(out, static_cast<jsize>(i), item);
            env->DeleteLocalRef(item);
        }
    } catch (...) {
        env->DeleteLocalRef(out);
        throw;
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
        const Kind k = kind_from_code(kind);
        if (k == Kind::List) {
            const jsize n = jshapes ? env->GetArrayLength(jshapes) : 0;
            std::vector<jlong> t(static_cast<std::size_t>(n));
            if (n > 0) env->GetLongArrayRegion(jshapes, 0, n, t.data());
            std::vector<ArrayShape> shapes;
            for (jsize i = 0; i + 2 < n; i += 3) {
                if (t[i + 1] < 0 || t[i + 2] < 0) throw Error(ErrorCode::InvalidArgument, "negative dimension");
                // VariableLayout::list refuses a list element that is itself a list.
                shapes.push_back(ArrayShape{kind_from_code(static_cast<int>(t[i])), static_cast<uint64_t>(t[i + 1]),
                                            static_cast<uint64_t>(t[i + 2])});
            }
            layout = VariableLayout::list(et, std::move(shapes));
        } else if (k == Kind::Matrix) {
            layout = VariableLayout::matrix(et, static_cast<uint64_t>(nrow), static_cast<uint64_t>(ncol));
        } else {
            layout = VariableLayout::vector(et, static_cast<uint64_t>(nrow));
        }
        Attached a = registry().create_page(s.ns, s.var, layout, PageOptions{static_cast<uint32_t>(mode)});
        try {
            return make_attachment(env, a.key, a.lease, pin_of(a), a.metadata.layout, std::nullopt, 1);
        } catch (...) {  // no handle reached Java: nobody else would release the page
            registry().release_page(s.ns, s.var, a.lease);
            throw;
        }
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
        return hand_over(env, a, [&] { registry().release_view(s.ns, s.var, a.lease); });
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

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeRegistry_acquireWriter(JNIEnv* env, jclass, jstring jns,
                                                                                 jstring jvar) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&]() -> jobject {
        s.read(env, jns, jvar);
        Attached a = registry().acquire_writer(s.ns, s.var);
        return hand_over(env, a, [&] { registry().release_writer(s.ns, s.var, a.lease); });
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeRegistry_releaseWriter(JNIEnv* env, jclass, jstring jns, jstring jvar,
                                                                              jlong lease) {
    Subject s;
    guarded_void(env, s, [&] {
        s.read(env, jns, jvar);
        registry().release_writer(s.ns, s.var, static_cast<uint64_t>(lease));
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

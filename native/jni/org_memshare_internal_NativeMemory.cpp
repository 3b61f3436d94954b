// JNI glue for org.memshare.internal.NativeMemory: direct buffers over pinned mappings.
#include "org_memshare_internal_NativeMemory.h"

#include <memory>

#include "jni_support.hpp"
#include "memshare/platform.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {
using Pin = std::shared_ptr<MappedRegion>;
}

JNIEXPORT jobject JNICALL Java_org_memshare_internal_NativeMemory_newBuffer(JNIEnv* env, jclass, jlong pin, jlong offset,
                                                                           jlong length) {
    Subject s;
    return guarded<jobject>(env, s, nullptr, [&]() -> jobject {
        if (pin == 0) throw Error(ErrorCode::InvalidArgument, "no mapping (null pin)");
        const MappedRegion& region = **reinterpret_cast<Pin*>(pin);
        if (offset < 0 || length < 0 || static_cast<uint64_t>(offset) > region.size() ||
            static_cast<uint64_t>(length) > region.size() - static_cast<uint64_t>(offset))
            throw Error(ErrorCode::InvalidArgument, "buffer [" + std::to_string(offset) + ", +" + std::to_string(length) +
                                                        ") outside the mapping of " + std::to_string(region.size()) + " bytes");
        return env->NewDirectByteBuffer(region.data() + offset, length);
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeMemory_unpin(JNIEnv* env, jclass, jlong pin) {
    Subject s;
    guarded_void(env, s, [&] { delete reinterpret_cast<Pin*>(pin); });
}

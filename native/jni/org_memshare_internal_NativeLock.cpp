// JNI glue for org.memshare.internal.NativeLock: the interprocess lock (memshare/lock.hpp). A
// handle is the address of the InterprocessLock; outcomes cross as LockOutcome codes (contract.hpp).
#include "org_memshare_internal_NativeLock.h"

#include "jni_support.hpp"
#include "memshare/lock.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {
InterprocessLock& lock_of(jlong handle) {
    if (handle == 0) throw Error(ErrorCode::InvalidArgument, "no lock (null handle)");
    return *reinterpret_cast<InterprocessLock*>(handle);
}
}  // namespace

JNIEXPORT jlong JNICALL Java_org_memshare_internal_NativeLock_open(JNIEnv* env, jclass, jstring jns, jstring jname, jint mode) {
    Subject s;
    return guarded<jlong>(env, s, 0, [&] {
        s.read(env, jns, jname);
        return reinterpret_cast<jlong>(InterprocessLock::open(s.ns, s.var, static_cast<uint32_t>(mode)).release());
    });
}

JNIEXPORT jint JNICALL Java_org_memshare_internal_NativeLock_lock(JNIEnv* env, jclass, jlong handle, jlong timeout) {
    Subject s;
    return guarded<jint>(env, s, 0, [&] { return static_cast<jint>(lock_of(handle).lock(timeout)); });
}

JNIEXPORT jint JNICALL Java_org_memshare_internal_NativeLock_tryLock(JNIEnv* env, jclass, jlong handle) {
    Subject s;
    return guarded<jint>(env, s, 0, [&] { return static_cast<jint>(lock_of(handle).try_lock()); });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeLock_unlock(JNIEnv* env, jclass, jlong handle) {
    Subject s;
    guarded_void(env, s, [&] { lock_of(handle).unlock(); });
}

JNIEXPORT jlong JNICALL Java_org_memshare_internal_NativeLock_value(JNIEnv* env, jclass, jlong handle) {
    Subject s;
    return guarded<jlong>(env, s, 0, [&] { return static_cast<jlong>(lock_of(handle).value()); });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeLock_setValue(JNIEnv* env, jclass, jlong handle, jlong value) {
    Subject s;
    guarded_void(env, s, [&] { lock_of(handle).set_value(value); });
}

JNIEXPORT jlong JNICALL Java_org_memshare_internal_NativeLock_add(JNIEnv* env, jclass, jlong handle, jlong delta) {
    Subject s;
    return guarded<jlong>(env, s, 0, [&] { return static_cast<jlong>(lock_of(handle).add(delta)); });
}

JNIEXPORT jboolean JNICALL Java_org_memshare_internal_NativeLock_detectsDeadOwners(JNIEnv*, jclass) {
    return InterprocessLock::detects_dead_owners() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_org_memshare_internal_NativeLock_close(JNIEnv* env, jclass, jlong handle) {
    Subject s;
    return guarded<jboolean>(env, s, JNI_FALSE, [&] {
        std::unique_ptr<InterprocessLock> lock(&lock_of(handle));
        return lock->close_and_remove_if_unused() ? JNI_TRUE : JNI_FALSE;
    });
}

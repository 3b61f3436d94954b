// JNI glue for org.memshare.internal.NativeMutualInfo: hands arrays or direct buffers to the
// core's estimator without copying.
#include "org_memshare_internal_NativeMutualInfo.h"

#include <vector>

#include "contract.hpp"
#include "jni_support.hpp"
#include "memshare/mutualinfo.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {

MutualInfoOptions options_of(jint flags) {
    MutualInfoOptions o;
    o.x_discrete = (flags & contract::kXDiscrete) != 0;
    o.y_discrete = (flags & contract::kYDiscrete) != 0;
    o.na_rm = (flags & contract::kNaRm) != 0;
    o.use_mpmi = (flags & contract::kUseMpmi) != 0;
    return o;
}

// Reads a Java double[] in place (a critical section: no copy). The estimator makes no JNI call
// and takes milliseconds per feature, so holding off the garbage collector that long is fine.
// The section ends when this object does, before any Java exception is thrown. No other JNI call
// may happen inside it, so the caller passes the length, read before the first array is pinned.
class PinnedDoubles {
public:
    PinnedDoubles(JNIEnv* env, jdoubleArray a, jsize length)
        : env_(env), array_(a), length_(static_cast<std::size_t>(length)) {
        data_ = static_cast<jdouble*>(env->GetPrimitiveArrayCritical(a, nullptr));
        if (data_ == nullptr) throw std::bad_alloc();
    }
    ~PinnedDoubles() { env_->ReleasePrimitiveArrayCritical(array_, data_, JNI_ABORT); }
    const double* data() const { return data_; }
    std::size_t length() const { return length_; }

private:
    JNIEnv* env_;
    jdoubleArray array_;
    std::size_t length_;
    jdouble* data_;
};

const double* direct(JNIEnv* env, jobject buffer, jint offset, jint length, const char* name) {
    auto* base = static_cast<const double*>(env->GetDirectBufferAddress(buffer));
    const jlong capacity = env->GetDirectBufferCapacity(buffer);
    if (base == nullptr || capacity < 0)
        throw Error(ErrorCode::InvalidArgument, std::string(name) + " is not a direct buffer");
    if (offset < 0 || length < 0 || static_cast<jlong>(offset) + length > capacity)
        throw Error(ErrorCode::InvalidArgument, std::string(name) + ": values [" + std::to_string(offset) + ", +" +
                                                    std::to_string(length) + ") outside a buffer of " +
                                                    std::to_string(capacity));
    return base + offset;
}

}  // namespace

JNIEXPORT jdouble JNICALL Java_org_memshare_internal_NativeMutualInfo_arrays(JNIEnv* env, jclass, jdoubleArray x,
                                                                            jdoubleArray y, jint flags) {
    Subject s;
    return guarded<jdouble>(env, s, 0.0, [&] {
        if (x == nullptr || y == nullptr) throw Error(ErrorCode::InvalidArgument, "x and y must not be null");
        const jsize nx = env->GetArrayLength(x), ny = env->GetArrayLength(y);
        PinnedDoubles px(env, x, nx), py(env, y, ny);
        return mutual_information(px.data(), px.length(), py.data(), py.length(), options_of(flags));
    });
}

JNIEXPORT jdouble JNICALL Java_org_memshare_internal_NativeMutualInfo_buffers(JNIEnv* env, jclass, jobject x, jint x_offset,
                                                                             jint x_length, jobject y, jint y_offset,
                                                                             jint y_length, jint flags) {
    Subject s;
    return guarded<jdouble>(env, s, 0.0, [&] {
        const double* px = direct(env, x, x_offset, x_length, "x");
        const double* py = direct(env, y, y_offset, y_length, "y");
        return mutual_information(px, static_cast<std::size_t>(x_length), py, static_cast<std::size_t>(y_length),
                                  options_of(flags));
    });
}

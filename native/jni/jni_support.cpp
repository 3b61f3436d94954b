#include "jni_support.hpp"

#include <cstring>
#include <vector>

namespace memshare::jni {

namespace {

struct ExceptionClass {
    const char* name;
    jclass cls = nullptr;
    jmethodID ctor = nullptr;  // (String ns, String var, String message, int osError)
};

// Indexed by ErrorCode.
ExceptionClass g_exceptions[] = {
    {"java/lang/IllegalArgumentException"},         // InvalidArgument (String ctor)
    {"org/memshare/InvalidNameException"},          // InvalidName
    {"org/memshare/VariableNotFoundException"},     // NotFound
    {"org/memshare/AlreadyRegisteredException"},    // AlreadyExists
    {"org/memshare/OutOfSpaceException"},           // OutOfSpace
    {"org/memshare/CorruptSegmentException"},       // Corrupt
    {"org/memshare/PermissionDeniedException"},     // PermissionDenied
    {"org/memshare/ResourceLimitException"},        // ResourceLimit
    {"org/memshare/MemshareException"},             // Io
};
jclass g_attachment = nullptr;
jmethodID g_attachment_ctor = nullptr;

jclass global_class(JNIEnv* env, const char* name) {
    jclass local = env->FindClass(name);
    if (local == nullptr) return nullptr;
    jclass global = static_cast<jclass>(env->NewGlobalRef(local));
    env->DeleteLocalRef(local);
    return global;
}

}  // namespace

void throw_java_unguarded(JNIEnv* env, const Error& err, const char* ns, const char* var);

std::string to_utf8(JNIEnv* env, jstring s, const char* what) {
    if (s == nullptr) throw Error(ErrorCode::InvalidArgument, std::string(what) + " must not be null");
    const jsize n = env->GetStringLength(s);
    std::vector<jchar> u(static_cast<std::size_t>(n));
    env->GetStringRegion(s, 0, n, u.data());
    std::string out;
    out.reserve(static_cast<std::size_t>(n));
    for (jsize i = 0; i < n; ++i) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

jstring to_jstring(JNIEnv* env, const std::string& s) {
    std::vector<jchar> u;
    u.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        uint32_t c;
        std::size_t len;
        if (b < 0x80) c = b, len = 1;
        else if ((b >> 5) == 6) c = b & 0x1F, len = 2;
        else if ((b >> 4) == 14) c = b & 0x0F, len = 3;
        else if ((b >> 3) == 30) c = b & 0x07, len = 4;
        else c = 0xFFFD, len = 1;  // not UTF-8: show the replacement character
        if (i + len > s.size()) c = 0xFFFD, len = s.size() - i;
        for (std::size_t k = 1; k < len && c != 0xFFFD; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
        if (c >= 0x10000) {
            u.push_back(static_cast<jchar>(0xD800 + ((c - 0x10000) >> 10)));
            u.push_back(static_cast<jchar>(0xDC00 + ((c - 0x10000) & 0x3FF)));
        } else {
            u.push_back(static_cast<jchar>(c));
        }
    }
    return env->NewString(u.data(), static_cast<jsize>(u.size()));
}

void throw_java(JNIEnv* env, const Error& err, const char* ns, const char* var) noexcept {
    try {
        throw_java_unguarded(env, err, ns, var);
    } catch (...) {
        // Out of memory while building the exception: an OutOfMemoryError is the honest report.
        if (!env->ExceptionCheck()) {
            jclass oom = env->FindClass("java/lang/OutOfMemoryError");
            if (oom != nullptr) env->ThrowNew(oom, "memshare: out of memory while reporting an error");
        }
    }
}

void throw_java_unguarded(JNIEnv* env, const Error& err, const char* ns, const char* var) {
    if (env->ExceptionCheck()) return;  // keep the first exception
    const ExceptionClass& ex = g_exceptions[static_cast<int>(err.code())];
    if (ex.cls == nullptr) return;
    if (ex.ctor == nullptr) {
        env->ThrowNew(ex.cls, err.what());
        return;
    }
    jstring jns = ns ? to_jstring(env, ns) : nullptr;
    if (ns && jns == nullptr) return;  // OutOfMemoryError pending
    jstring jvar = var ? to_jstring(env, var) : nullptr;
    if (var && jvar == nullptr) return;
    jstring msg = to_jstring(env, err.what());
    if (msg == nullptr) return;
    auto* obj = static_cast<jthrowable>(env->NewObject(ex.cls, ex.ctor, jns, jvar, msg, static_cast<jint>(err.os_error())));
    if (obj != nullptr) env->Throw(obj);
    env->DeleteLocalRef(msg);
    if (jns) env->DeleteLocalRef(jns);
    if (jvar) env->DeleteLocalRef(jvar);
    if (obj) env->DeleteLocalRef(obj);
}

void report_internal(JNIEnv* env, const char* what) noexcept {
    try {
        throw_java(env, Error(ErrorCode::Io, std::string("memshare internal error: ") + what));
    } catch (...) {
    }
}

jclass attachment_class() { return g_attachment; }
jmethodID attachment_constructor() { return g_attachment_ctor; }

}  // namespace memshare::jni

using namespace memshare::jni;

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    for (auto& ex : g_exceptions) {
        ex.cls = global_class(env, ex.name);
        if (ex.cls == nullptr) return JNI_ERR;
        if (std::strncmp(ex.name, "org/memshare/", 13) == 0) {
            ex.ctor = env->GetMethodID(ex.cls, "<init>", "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)V");
            if (ex.ctor == nullptr) return JNI_ERR;
        }
    }
    g_attachment = global_class(env, "org/memshare/internal/NativeAttachment");
    if (g_attachment == nullptr) return JNI_ERR;
    g_attachment_ctor = env->GetMethodID(g_attachment, "<init>",
                                         "(Ljava/lang/String;Ljava/lang/String;JJJIIJJ[JJJ)V");
    if (g_attachment_ctor == nullptr) return JNI_ERR;
    return JNI_VERSION_1_8;
}

extern "C" JNIEXPORT void JNICALL JNI_OnUnload(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return;
    for (auto& ex : g_exceptions) {
        if (ex.cls != nullptr) env->DeleteGlobalRef(ex.cls);
        ex.cls = nullptr;
        ex.ctor = nullptr;
    }
    if (g_attachment != nullptr) env->DeleteGlobalRef(g_attachment);
    g_attachment = nullptr;
    g_attachment_ctor = nullptr;
}

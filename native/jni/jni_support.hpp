// Shared JNI plumbing: string conversion, the Java objects the glue builds (java_classes.hpp), and
// the wrapper that keeps every C++ exception on this side of the boundary. JNI_OnLoad
// (jni_support.cpp) looks up and caches every class and ID, and checks contract.hpp.
#pragma once

#include <jni.h>

#include <string>

#include "java_classes.hpp"
#include "memshare/error.hpp"

namespace memshare::jni {

// Java strings <-> UTF-8. Converts through UTF-16 (not JNI's "modified UTF-8"), so a NUL or a
// supplementary character in a name reaches the naming policy as what it really is.
// to_utf8 throws Error(InvalidArgument) for a null string, naming `what`.
std::string to_utf8(JNIEnv* env, jstring s, const char* what);
jstring to_jstring(JNIEnv* env, const std::string& s);  // nullptr with an exception pending on failure

// Throws the Java exception contract.hpp maps err.code() to, with namespace and variable when known.
void throw_java(JNIEnv* env, const Error& err, const char* ns = nullptr, const char* var = nullptr) noexcept;

// Throws a MemshareException for an unexpected C++ exception; never throws itself.
void report_internal(JNIEnv* env, const char* what) noexcept;

// The variable an entry point works on, filled in by its body once the arguments are converted,
// so the Java exception can carry them.
struct Subject {
    std::string ns, var;
    // Converts the (namespace, variable) arguments; throws Error(InvalidArgument) for a null one.
    void read(JNIEnv* env, jstring jns, jstring jvar) {
        ns = to_utf8(env, jns, "namespace");
        var = to_utf8(env, jvar, "variable");
    }
};

// Runs `body`; any C++ exception becomes a pending Java exception and `fallback` is returned.
template <typename T, typename F>
T guarded(JNIEnv* env, const Subject& subject, T fallback, F&& body) {
    try {
        return body();
    } catch (const JavaPending&) {
        // the JVM's own exception (OutOfMemoryError) is pending already
    } catch (const Error& e) {
        throw_java(env, e, subject.ns.empty() ? nullptr : subject.ns.c_str(),
                   subject.var.empty() ? nullptr : subject.var.c_str());
    } catch (const std::bad_alloc&) {
        jclass oom = env->FindClass("java/lang/OutOfMemoryError");
        if (oom != nullptr) env->ThrowNew(oom, "memshare: native allocation failed");
    } catch (const std::exception& e) {
        report_internal(env, e.what());
    } catch (...) {
        report_internal(env, "unknown C++ exception");
    }
    return fallback;
}

template <typename F>
void guarded_void(JNIEnv* env, const Subject& subject, F&& body) {
    guarded<int>(env, subject, 0, [&] {
        body();
        return 0;
    });
}

}  // namespace memshare::jni

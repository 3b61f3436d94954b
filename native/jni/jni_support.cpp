// Shared JNI plumbing: what JNI_OnLoad looks up and checks (the Java side of the contract in
// contract.hpp, the exception classes, the data classes of java_classes.hpp), string conversion,
// and the Java exceptions C++ errors become.
#include "jni_support.hpp"

#include <cstring>
#include <vector>

#include "contract.hpp"

namespace memshare::jni {

namespace {

// Everything below is looked up in JNI_OnLoad, held as global refs (classes) and IDs, and
// dropped in JNI_OnUnload; entry points only read it.
struct BoundException {
    jclass cls = nullptr;
    jmethodID ctor = nullptr;  // (String ns, String var, String message, int osError); null: ThrowNew
};
BoundException g_exceptions[std::size(contract::kExceptions)];  // indexed by ErrorCode (static_asserted)
jclass g_library_exception = nullptr;                            // org.memshare.NativeLibraryException
jmethodID g_library_exception_ctor = nullptr;                    // (String message, Throwable cause)
jclass g_string = nullptr;
DataClass g_attachment{"org/memshare/internal/NativeAttachment", kAttachmentFields, std::size(kAttachmentFields), nullptr, nullptr, {}};
DataClass g_segment{"org/memshare/internal/NativeSegment", kSegmentFields, std::size(kSegmentFields), nullptr, nullptr, {}};
DataClass* const g_data_classes[] = {&g_attachment, &g_segment};

jclass global_class(JNIEnv* env, const char* name) {
    jclass local = env->FindClass(name);
    if (local == nullptr) return nullptr;
    jclass global = static_cast<jclass>(env->NewGlobalRef(local));
    env->DeleteLocalRef(local);
    return global;
}

void drop_global(JNIEnv* env, jclass& cls) {
    if (cls != nullptr) env->DeleteGlobalRef(cls);
    cls = nullptr;
}

// A failed lookup leaves NoSuchFieldError & co. pending; load-time checks report the problem in
// their own words instead, so they clear it. True if there was one.
bool clear_pending(JNIEnv* env) {
    if (!env->ExceptionCheck()) return false;
    env->ExceptionClear();
    return true;
}

// "org/memshare/SegmentInfo$OwnerState" -> "SegmentInfo.OwnerState", as a Java programmer reads it.
std::string simple_name(const char* jni_name) {
    const char* slash = std::strrchr(jni_name, '/');
    std::string out = slash ? slash + 1 : jni_name;
    for (char& c : out)
        if (c == '$') c = '.';
    return out;
}

std::string dotted(const char* jni_name) {
    std::string out = jni_name;
    for (char& c : out)
        if (c == '/') c = '.';
    return out;
}

const char* type_name(JType t) {
    switch (t) {
        case JType::Boolean: return "boolean";
        case JType::Int: return "int";
        case JType::Long: return "long";
        case JType::String: return "String";
        case JType::LongArray: return "long[]";
        case JType::StringArray: return "String[]";
    }
    return "?";
}

const char* signature(JType t) {
    switch (t) {
        case JType::Boolean: return "Z";
        case JType::Int: return "I";
        case JType::Long: return "J";
        case JType::String: return "Ljava/lang/String;";
        case JType::LongArray: return "[J";
        case JType::StringArray: return "[Ljava/lang/String;";
    }
    return "?";
}

using Problems = std::vector<std::string>;

// The Java enum's constants against the table: each listed one present with the listed value
// (in its int field `c.field`) and, for its code table, no others.
void check_enum(JNIEnv* env, jclass cls, const contract::JavaConstants& c, Problems& problems) {
    const std::string name = simple_name(c.java_class);
    const std::string what = std::strcmp(c.field, "code") == 0 ? "" : std::string(" ") + c.field;
    const jfieldID value_field = env->GetFieldID(cls, c.field, "I");
    if (clear_pending(env) || value_field == nullptr) {
        problems.push_back(name + ": no int field '" + c.field + "' in Java");
        return;
    }
    const std::string sig = std::string("L") + c.java_class + ";";
    for (std::size_t i = 0; i < c.count; ++i) {
        const contract::Constant& k = c.constants[i];
        const jfieldID fid = env->GetStaticFieldID(cls, k.java, sig.c_str());
        jobject constant = fid ? env->GetStaticObjectField(cls, fid) : nullptr;  // no fid: NoSuchFieldError pending
        if (clear_pending(env) || constant == nullptr) {
            problems.push_back(name + "." + k.java + what + ": missing in Java, native " + std::to_string(k.value));
            continue;
        }
        const jint java = env->GetIntField(constant, value_field);
        env->DeleteLocalRef(constant);
        if (java != k.value)
            problems.push_back(name + "." + k.java + what + ": Java " + std::to_string(java) + ", native " +
                               std::to_string(k.value));
    }
    if (!what.empty()) return;  // extra constants are reported once, by the code table
    // Constants Java has and the table lacks: values() and name() of each.
    const std::string values_sig = "()[" + sig;
    const jmethodID values = env->GetStaticMethodID(cls, "values", values_sig.c_str());
    const jmethodID name_of = values ? env->GetMethodID(cls, "name", "()Ljava/lang/String;") : nullptr;
    auto* all = name_of ? static_cast<jobjectArray>(env->CallStaticObjectMethod(cls, values)) : nullptr;
    if (clear_pending(env) || all == nullptr) {
        problems.push_back(name + ": not a Java enum");
        return;
    }
    const jsize n = env->GetArrayLength(all);
    for (jsize i = 0; i < n; ++i) {
        jobject constant = env->GetObjectArrayElement(all, i);
        auto* jname = static_cast<jstring>(env->CallObjectMethod(constant, name_of));
        if (clear_pending(env) || jname == nullptr) {
            env->DeleteLocalRef(constant);
            continue;
        }
        std::string java_name;
        try {
            java_name = to_utf8(env, jname, "name");
        } catch (const std::exception&) {
        }
        bool listed = false;
        for (std::size_t k = 0; k < c.count; ++k) listed = listed || java_name == c.constants[k].java;
        if (!listed)
            problems.push_back(name + "." + java_name + what + ": Java " + std::to_string(env->GetIntField(constant, value_field)) +
                               ", not in the native library");
        env->DeleteLocalRef(jname);
        env->DeleteLocalRef(constant);
    }
    env->DeleteLocalRef(all);
}

// Static int fields against the table.
void check_static_ints(JNIEnv* env, jclass cls, const contract::JavaConstants& c, Problems& problems) {
    const std::string name = simple_name(c.java_class);
    for (std::size_t i = 0; i < c.count; ++i) {
        const contract::Constant& k = c.constants[i];
        const jfieldID fid = env->GetStaticFieldID(cls, k.java, "I");
        if (clear_pending(env) || fid == nullptr) {
            problems.push_back(name + "." + k.java + ": missing in Java, native " + std::to_string(k.value));
            continue;
        }
        const jint java = env->GetStaticIntField(cls, fid);
        if (java != k.value)
            problems.push_back(name + "." + k.java + ": Java " + std::to_string(java) + ", native " + std::to_string(k.value));
    }
}

// The Java side of contract.hpp's constants, read by name.
void check_constants(JNIEnv* env, Problems& problems) {
    for (const contract::JavaConstants& c : contract::kJavaConstants) {
        jclass cls = env->FindClass(c.java_class);
        if (clear_pending(env) || cls == nullptr) {
            problems.push_back(dotted(c.java_class) + ": class not found");
            continue;
        }
        if (c.field != nullptr) check_enum(env, cls, c, problems);
        else check_static_ints(env, cls, c, problems);
        env->DeleteLocalRef(cls);
    }
}

void bind_exceptions(JNIEnv* env, Problems& problems) {
    for (std::size_t i = 0; i < std::size(contract::kExceptions); ++i) {
        const contract::ExceptionMapping& m = contract::kExceptions[i];
        const std::string what = std::string("ErrorCode ") + error_code_name(m.code) + " -> " + dotted(m.java_class);
        BoundException& b = g_exceptions[i];
        b.cls = global_class(env, m.java_class);
        if (clear_pending(env) || b.cls == nullptr) {
            problems.push_back(what + ": class not found");
            continue;
        }
        if (!m.memshare_constructor) continue;
        b.ctor = env->GetMethodID(b.cls, "<init>", "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)V");
        if (clear_pending(env) || b.ctor == nullptr)
            problems.push_back(what + ": no constructor (String namespace, String variable, String message, int osError)");
    }
}

void bind_data_classes(JNIEnv* env, Problems& problems) {
    for (DataClass* c : g_data_classes) {
        c->cls = global_class(env, c->name);
        c->ctor = c->cls ? env->GetMethodID(c->cls, "<init>", "()V") : nullptr;
        if (clear_pending(env) || c->ctor == nullptr) {
            problems.push_back(dotted(c->name) + ": class or no-argument constructor not found");
            continue;
        }
        c->ids.assign(c->count, nullptr);
        for (std::size_t i = 0; i < c->count; ++i) {
            const FieldSpec& f = c->fields[i];
            c->ids[i] = env->GetFieldID(c->cls, f.name, signature(f.type));
            if (clear_pending(env) || c->ids[i] == nullptr)
                problems.push_back(simple_name(c->name) + "." + f.name + ": no " + type_name(f.type) + " field in Java");
        }
    }
}

void unbind_all(JNIEnv* env) {
    for (auto& b : g_exceptions) {
        drop_global(env, b.cls);
        b.ctor = nullptr;
    }
    for (DataClass* c : g_data_classes) {
        drop_global(env, c->cls);
        c->ctor = nullptr;
        c->ids.clear();
    }
    drop_global(env, g_string);
    drop_global(env, g_library_exception);
    g_library_exception_ctor = nullptr;
}

// Throws NativeLibraryException(message, null).
void throw_library_exception(JNIEnv* env, const std::string& message) {
    jstring msg = to_jstring(env, message);
    if (msg == nullptr) return;  // OutOfMemoryError pending
    auto* e = static_cast<jthrowable>(env->NewObject(g_library_exception, g_library_exception_ctor, msg, nullptr));
    if (e != nullptr) env->Throw(e);
    env->DeleteLocalRef(msg);
    if (e != nullptr) env->DeleteLocalRef(e);
}

// Everything JNI_OnLoad binds and checks; true if the Java classes fit this library. Otherwise a
// NativeLibraryException naming every difference is pending (or, when even that class is
// missing, the JVM's NoClassDefFoundError) and nothing stays bound.
bool bind_and_check(JNIEnv* env) {
    g_library_exception = global_class(env, "org/memshare/NativeLibraryException");
    if (g_library_exception == nullptr) return false;
    g_library_exception_ctor = env->GetMethodID(g_library_exception, "<init>", "(Ljava/lang/String;Ljava/lang/Throwable;)V");
    g_string = g_library_exception_ctor != nullptr ? global_class(env, "java/lang/String") : nullptr;
    if (g_string == nullptr) {
        unbind_all(env);
        return false;
    }
    Problems problems;
    try {
        check_constants(env, problems);
        bind_exceptions(env, problems);
        bind_data_classes(env, problems);
    } catch (const std::exception& e) {  // out of memory building the messages
        problems.push_back(e.what());
    }
    if (problems.empty()) return true;
    std::string message =
        "memshare: the native library and the Java classes do not match (built from different sources?); fix the build "
        "so both come from one: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    throw_library_exception(env, message);
    unbind_all(env);
    return false;
}

}  // namespace

DataClass& attachment_class() { return g_attachment; }
DataClass& segment_class() { return g_segment; }
jclass string_class() { return g_string; }

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
    const auto index = static_cast<std::size_t>(err.code());
    const BoundException& ex = g_exceptions[index < std::size(g_exceptions) ? index : static_cast<std::size_t>(ErrorCode::Io)];
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

}  // namespace memshare::jni

using namespace memshare::jni;

// Refuses to load (pending NativeLibraryException, JNI_ERR) unless the Java classes match the
// contract, so a mismatched JAR fails at once with the constant named, never later with a wrong
// type code, a wrong exception or a garbled field.
extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    return bind_and_check(env) ? JNI_VERSION_1_8 : JNI_ERR;
}

extern "C" JNIEXPORT void JNICALL JNI_OnUnload(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return;
    unbind_all(env);
}

/*
 * Minimal jni_md.h for cross-compiling the JNI library for macOS with Zig from Linux, where the
 * installed JDK only ships include/linux/jni_md.h. Same definitions as the JDK's
 * include/darwin/jni_md.h (on macOS and Linux the JDK installs the one unix jni_md.h): the
 * machine-dependent JNI types and the export/call macros. JNIEXPORT must be default visibility,
 * since the library is built with -fvisibility=hidden and the JVM looks the Java_* functions up.
 */
#ifndef _JAVASOFT_JNI_MD_H_
#define _JAVASOFT_JNI_MD_H_

#ifndef JNIEXPORT
#define JNIEXPORT __attribute__((visibility("default")))
#endif
#define JNIIMPORT __attribute__((visibility("default")))
#define JNICALL

typedef int jint;
#ifdef _LP64
typedef long jlong;
#else
typedef long long jlong;
#endif
typedef signed char jbyte;

#endif /* !_JAVASOFT_JNI_MD_H_ */

/*
 * Minimal jni_md.h for cross-compiling the JNI library for Windows with mingw-w64 from Linux,
 * where the installed JDK only ships include/linux/jni_md.h. Same definitions as the JDK's
 * include/win32/jni_md.h (the machine-dependent JNI types and export/call macros).
 */
#ifndef _JAVASOFT_JNI_MD_H_
#define _JAVASOFT_JNI_MD_H_

#ifndef JNIEXPORT
#define JNIEXPORT __declspec(dllexport)
#endif
#define JNIIMPORT __declspec(dllimport)
#define JNICALL __stdcall

typedef int jint;
typedef long long jlong;
typedef signed char jbyte;

#endif /* !_JAVASOFT_JNI_MD_H_ */

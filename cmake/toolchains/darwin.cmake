# Cross build for macOS with Zig's clang (scripts/cross), included by darwin-aarch64.cmake and
# darwin-x86_64.cmake, which set MEMSHARE_DARWIN_TRIPLE_ARCH and CMAKE_SYSTEM_PROCESSOR first.
# Zig bundles the macOS libc headers and the libSystem stubs and links a Mach-O with its own lld,
# so no Apple SDK is needed. Zig is a build-time tool only, pinned in scripts/lib/zig.sh and
# installed by scripts/setup; pass its binary as -DMEMSHARE_ZIG=/path/to/zig (or in the
# environment). The result cannot run here: scripts/package checks its exports and load commands.
set(CMAKE_SYSTEM_NAME Darwin)
# The oldest macOS the library runs on: the LC_BUILD_VERSION minos that docs/BUILD.md states and
# scripts/lib/native-checks.sh reads back. 11.0 is the oldest the Zig release's headers serve, and
# the first with Apple silicon.
set(MEMSHARE_MACOS_MIN 11.0)

if(NOT MEMSHARE_ZIG AND DEFINED ENV{MEMSHARE_ZIG})
  set(MEMSHARE_ZIG "$ENV{MEMSHARE_ZIG}")
endif()
if(NOT MEMSHARE_ZIG OR NOT EXISTS "${MEMSHARE_ZIG}")
  message(FATAL_ERROR "the darwin toolchain needs Zig: -DMEMSHARE_ZIG=/path/to/zig (scripts/setup installs the pinned one, scripts/lib/zig.sh names it)")
endif()
# try_compile projects read this file again; hand them the same Zig.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MEMSHARE_ZIG MEMSHARE_DARWIN_TRIPLE_ARCH)

set(CMAKE_C_COMPILER "${MEMSHARE_ZIG}" cc)
set(CMAKE_CXX_COMPILER "${MEMSHARE_ZIG}" c++)
set(CMAKE_C_COMPILER_TARGET "${MEMSHARE_DARWIN_TRIPLE_ARCH}-macos.${MEMSHARE_MACOS_MIN}-none")
set(CMAKE_CXX_COMPILER_TARGET "${MEMSHARE_DARWIN_TRIPLE_ARCH}-macos.${MEMSHARE_MACOS_MIN}-none")
# CMake's compiler checks compile and archive, not link: a linked check would make Zig build a
# Debug libc++ for the target (minutes on a cold cache) that the Release build never uses.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# CMake's Darwin rules call ar and ranlib, which this host's binutils cannot do for Mach-O;
# LLVM's can (Debian's llvm, which scripts/setup installs for llvm-nm too).
find_program(CMAKE_AR NAMES llvm-ar llvm-ar-16 llvm-ar-15 llvm-ar-14 REQUIRED)
find_program(CMAKE_RANLIB NAMES llvm-ranlib llvm-ranlib-16 llvm-ranlib-15 llvm-ranlib-14 REQUIRED)
# No sysroot to search: only jni.h from the build machine's JDK is looked up (NO_CMAKE_FIND_ROOT_PATH).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# Cross build for macOS on Intel with Zig's clang (scripts/cross); see darwin.cmake.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MEMSHARE_DARWIN_TRIPLE_ARCH x86_64)
include("${CMAKE_CURRENT_LIST_DIR}/darwin.cmake")

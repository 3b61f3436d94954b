# Cross build for macOS on Apple silicon with Zig's clang (scripts/cross); see darwin.cmake.
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(MEMSHARE_DARWIN_TRIPLE_ARCH aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/darwin.cmake")

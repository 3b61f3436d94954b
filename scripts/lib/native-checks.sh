# Checks of one bundled native library, sourced by scripts/package.
# check_native FILE PLATFORM DECLARED_JNI FLOOR: prints one line describing the library, or what is
# wrong with it and returns 1. Checked: the architecture in its header, that it exports exactly
# the JNI functions the Java classes declare (a missing one is an UnsatisfiedLinkError on that
# platform at the first call), that it needs only libraries every system of its OS has, and the
# oldest system docs/BUILD.md promises: FLOOR is the glibc on Linux, the macOS version on darwin
# (the minos of LC_BUILD_VERSION). The Mach-O files are read with LLVM's tools (Debian's llvm).

# ELF e_machine (62 x86-64, 183 aarch64), the PE machine field (0x8664 x86-64), or the Mach-O
# cputype (0x01000007 x86-64, 0x0100000c arm64) after the 64-bit little-endian magic feedfacf.
machine_of() {  # file -> x86_64 | aarch64 | ?
  local f=$1 magic pe
  magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
  if [ "$magic" = 7f454c46 ]; then
    case $(od -An -tu2 -j18 -N2 "$f" | tr -d ' ') in 62) echo x86_64 ;; 183) echo aarch64 ;; *) echo '?' ;; esac
  elif [ "${magic:0:4}" = 4d5a ]; then
    pe=$(od -An -tu4 -j60 -N4 "$f" | tr -d ' ')
    case $(od -An -tx2 -j$((pe + 4)) -N2 "$f" | tr -d ' ') in 8664) echo x86_64 ;; *) echo '?' ;; esac
  elif [ "$magic" = cffaedfe ]; then
    case $(od -An -tx4 -j4 -N4 "$f" | tr -d ' ') in 01000007) echo x86_64 ;; 0100000c) echo aarch64 ;; *) echo '?' ;; esac
  else
    echo '?'
  fi
}

# The load commands of a Mach-O file, as llvm-objdump prints them ("cmd LC_...", then fields).
macho_commands() { llvm-objdump --macho --private-headers "$1"; }

exported_jni() {  # file platform -> the Java_* functions it exports, sorted
  case $2 in
    windows-*) x86_64-w64-mingw32-objdump -p "$1" | sed -nE 's/^\s+\[ *[0-9]+\] (Java_[A-Za-z0-9_]+)$/\1/p' ;;
    # Mach-O C symbols carry a leading underscore.
    darwin-*) llvm-nm --extern-only --defined-only --just-symbol-name "$1" | sed -nE 's/^_(Java_[A-Za-z0-9_]+)$/\1/p' ;;
    *) readelf --dyn-syms -W "$1" | awk '$7 != "UND" && $8 ~ /^Java_/ {print $8}' ;;
  esac | sort -u
}

needed_libs() {  # file platform -> the shared libraries it needs
  case $2 in
    windows-*) x86_64-w64-mingw32-objdump -p "$1" | sed -nE 's/^\s*DLL Name: (.+)$/\1/p' ;;
    # LC_LOAD_DYLIB and kin, not LC_ID_DYLIB (the library's own install name).
    darwin-*) macho_commands "$1" | awk '$1 == "cmd" {cmd = $2} $1 == "name" && cmd ~ /^LC_(LOAD|LOAD_WEAK|REEXPORT|LAZY_LOAD|LOAD_UPWARD)_DYLIB$/ {print $2}' ;;
    *) readelf -d -W "$1" | sed -nE 's/.*\(NEEDED\).*\[(.+)\]$/\1/p' ;;
  esac
}

system_libs='libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|ld-linux-[a-z0-9-]+\.so\.[0-9]|KERNEL32\.dll|msvcrt\.dll|/usr/lib/libSystem\.B\.dylib'

# The oldest macOS a Mach-O file runs on: LC_BUILD_VERSION's minos (-mmacosx-version-min), or
# LC_VERSION_MIN_MACOSX's version in older files.
macos_min() {
  macho_commands "$1" | awk '$1 == "cmd" {cmd = $2}
    (cmd == "LC_BUILD_VERSION" && $1 == "minos") || (cmd == "LC_VERSION_MIN_MACOSX" && $1 == "version") {print $2; exit}'
}

# The dylib exports the C++ runtime Zig links in statically (its linker has no
# -exported_symbols_list). That is harmless only while two-level namespace keeps each image's
# symbols to itself: a weak definition would be coalesced by dyld across images, binding the JVM's
# or another library's C++ to ours. So the Mach-O header must not have MH_WEAK_DEFINES or
# MH_BINDS_TO_WEAK, and must have TWOLEVEL.
macho_flags_problem() {
  local flags
  flags=$(llvm-objdump --macho --private-header "$1" | awk '$1 ~ /^MH_MAGIC/ {for (i = 7; i <= NF; i++) print $i}')
  grep -qx 'TWOLEVEL' <<<"$flags" || { echo "not linked with a two-level namespace"; return; }
  grep -qxE '(MH_)?(WEAK_DEFINES|BINDS_TO_WEAK)' <<<"$flags" && echo "has weak definitions or binds to them ($(paste -sd' ' <<<"$flags"))"
  true
}

check_native() {  # file platform declared-jni floor
  local f=$1 p=$2 declared=$3 floor_promised=$4 lib got exported missing extra foreign floor= problem
  lib=$p/$(basename "$f")
  got=$(machine_of "$f")
  if [ "$got" != "${p#*-}" ]; then
    echo "package: $lib is built for '$got', not ${p#*-}"; return 1
  fi
  exported=$(exported_jni "$f" "$p")
  missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
  extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
  if [ -n "$missing$extra" ]; then
    echo "package: $lib: JNI exports differ from the native methods: missing [${missing//$'\n'/ }] extra [${extra//$'\n'/ }]"
    return 1
  fi
  foreign=$(needed_libs "$f" "$p" | grep -vxE "$system_libs" || true)
  if [ -n "$foreign" ]; then
    echo "package: $lib needs libraries users may not have: ${foreign//$'\n'/ }"; return 1
  fi
  if [ "${p%%-*}" = linux ]; then
    floor=$(readelf --dyn-syms -W "$f" | grep -oE 'GLIBC_[0-9.]+' | sed 's/GLIBC_//' | sort -V | tail -1 || true)
    if [ "$(printf '%s\n' "$floor" "$floor_promised" | sort -V | tail -1)" != "$floor_promised" ]; then
      echo "package: $lib needs glibc $floor; docs/BUILD.md promises $floor_promised"; return 1
    fi
    floor=", glibc $floor"
  elif [ "${p%%-*}" = darwin ]; then
    floor=$(macos_min "$f")
    if [ -z "$floor" ] || [ "$(printf '%s\n' "$floor" "$floor_promised" | sort -V | tail -1)" != "$floor_promised" ]; then
      echo "package: $lib needs macOS ${floor:-(no LC_BUILD_VERSION)}; docs/BUILD.md promises $floor_promised"; return 1
    fi
    problem=$(macho_flags_problem "$f")
    if [ -n "$problem" ]; then echo "package: $lib $problem"; return 1; fi
    floor=", macOS $floor or newer (LC_BUILD_VERSION minos), two-level namespace, no weak definitions"
  fi
  echo "package: $lib: $(stat -c %s "$f") bytes, $got, $(echo "$exported" | grep -c . || true) JNI functions, needs $(needed_libs "$f" "$p" | paste -sd' ')$floor"
}

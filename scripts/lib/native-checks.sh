# Checks of one bundled native library, sourced by scripts/package.
# check_native FILE PLATFORM DECLARED_JNI GLIBC_FLOOR: prints one line describing the library, or
# what is wrong with it and returns 1. Checked: the architecture in its header, that it exports
# exactly the JNI functions the Java classes declare (a missing one is an UnsatisfiedLinkError on
# that platform at the first call), that it needs only libraries every system of its OS has, and
# (Linux) no glibc newer than docs/BUILD.md promises.

# ELF e_machine (62 x86-64, 183 aarch64) or the PE machine field (0x8664 x86-64).
machine_of() {  # file -> x86_64 | aarch64 | ?
  local f=$1 magic pe
  magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
  if [ "$magic" = 7f454c46 ]; then
    case $(od -An -tu2 -j18 -N2 "$f" | tr -d ' ') in 62) echo x86_64 ;; 183) echo aarch64 ;; *) echo '?' ;; esac
  elif [ "${magic:0:4}" = 4d5a ]; then
    pe=$(od -An -tu4 -j60 -N4 "$f" | tr -d ' ')
    case $(od -An -tx2 -j$((pe + 4)) -N2 "$f" | tr -d ' ') in 8664) echo x86_64 ;; *) echo '?' ;; esac
  else
    echo '?'
  fi
}

exported_jni() {  # file platform -> the Java_* functions it exports, sorted
  case $2 in
    windows-*) x86_64-w64-mingw32-objdump -p "$1" | sed -nE 's/^\s+\[ *[0-9]+\] (Java_[A-Za-z0-9_]+)$/\1/p' ;;
    *) readelf --dyn-syms -W "$1" | awk '$7 != "UND" && $8 ~ /^Java_/ {print $8}' ;;
  esac | sort -u
}

needed_libs() {  # file platform -> the shared libraries it needs
  case $2 in
    windows-*) x86_64-w64-mingw32-objdump -p "$1" | sed -nE 's/^\s*DLL Name: (.+)$/\1/p' ;;
    *) readelf -d -W "$1" | sed -nE 's/.*\(NEEDED\).*\[(.+)\]$/\1/p' ;;
  esac
}

system_libs='libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|ld-linux-[a-z0-9-]+\.so\.[0-9]|KERNEL32\.dll|msvcrt\.dll'

check_native() {  # file platform declared-jni glibc-floor
  local f=$1 p=$2 declared=$3 floor_promised=$4 lib got exported missing extra foreign floor=
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
  fi
  echo "package: $lib: $(stat -c %s "$f") bytes, $got, $(echo "$exported" | grep -c . || true) JNI functions, needs $(needed_libs "$f" "$p" | paste -sd' ')$floor"
}

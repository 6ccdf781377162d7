#!/usr/bin/env bash
# Build the dependencies Debian ships no mingw-w64 package for (cJSON, cmocka, libarchive)
# from Debian's own source packages, as static libraries for x86_64-w64-mingw32, into a
# cache folder outside the clone (CI runs in a fresh clone) keyed by the pinned versions,
# the recipe's version and the cross-compiler's:
#   tests/windows/build-deps.sh        prints the prefix (after building it when missing)
# zlib comes from Debian's libz-mingw-w64-dev (static: the toolchain names libz.a). libarchive is built with zlib only (zip
# deflate, CAB MSZIP and gzip work); xz, zstd and bzip2 have no Debian mingw package, so
# this build refuses those deliveries by name ("this build's libarchive cannot read ...").
# Environment: DI_MINGW_CACHE (default /var/cache/dumpinspect-mingw), DI_JOBS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Pinned Debian 12 (bookworm) source versions.
CJSON_VERSION=1.7.15-1+deb12u4
CMOCKA_VERSION=1.1.5-2.1
LIBARCHIVE_VERSION=3.6.2-1+deb12u5
# Bump when the build steps below change, so the cache is rebuilt.
RECIPE=3

cache=${DI_MINGW_CACHE:-/var/cache/dumpinspect-mingw}
export DI_MINGW_CACHE=$cache
key=$( (echo "$CJSON_VERSION $CMOCKA_VERSION $LIBARCHIVE_VERSION $RECIPE"; x86_64-w64-mingw32-gcc --version | head -1) |
  sha256sum | cut -c1-16)
prefix=$cache/deps-$key
if [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi
jobs=${DI_JOBS:-$(nproc 2>/dev/null || echo 2)}
# The configure checks run test programs under wine (the toolchain's emulator).
. "$here/wine-env.sh"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo

# apt-get source needs deb-src entries: mirror the configured Debian sources once (the
# deb822 debian.sources of Debian 12, or the deb lines of a classic sources.list).
if ! apt-get source --print-uris "cjson=$CJSON_VERSION" >/dev/null 2>&1; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    src=/etc/apt/sources.list.d/dumpinspect-deb-src.sources
    sed 's/^Types:.*\bdeb\b.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $sudo tee "$src" >/dev/null
  else
    src=/etc/apt/sources.list.d/dumpinspect-deb-src.list
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $sudo tee "$src" >/dev/null
  fi
  echo "added $src (deb-src mirroring the configured Debian sources)" >&2
  $sudo apt-get update -qq >&2
fi

# Installed in place (the packages' CMake files hold absolute paths); .complete marks a
# finished build, so an interrupted one is started again.
work=$(mktemp -d "${TMPDIR:-/tmp}/di-mingw-deps.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"
mkdir -p "$prefix"
cd "$work"
echo "fetching Debian sources: cjson $CJSON_VERSION, cmocka $CMOCKA_VERSION, libarchive $LIBARCHIVE_VERSION" >&2
apt-get source -qq -o APT::Sandbox::User=root --download-only "cjson=$CJSON_VERSION" "cmocka=$CMOCKA_VERSION" "libarchive=$LIBARCHIVE_VERSION" >&2
for dsc in *.dsc; do dpkg-source -x --no-check "$dsc" >/dev/null; done

configure() { # name srcdir cmake-args...
  local name=$1 dir=$2
  shift 2
  echo "building $name for mingw-w64" >&2
  cmake -S "$dir" -B "build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$here/mingw-w64.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" "$@" >"build-$name.log" 2>&1 ||
    { cat "build-$name.log" >&2; exit 1; }
}
run() { # name command...: the command's output goes to the build's log, shown on failure
  local name=$1
  shift
  "$@" >>"build-$name.log" 2>&1 || { tail -50 "build-$name.log" >&2; exit 1; }
}

configure cjson cjson-1.7.15 -DBUILD_SHARED_LIBS=OFF -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF \
  -DENABLE_CUSTOM_COMPILER_FLAGS=OFF -DCMAKE_POLICY_DEFAULT_CMP0077=NEW
run cjson cmake --build build-cjson -j "$jobs"
run cjson cmake --install build-cjson
configure cmocka cmocka-1.1.5 -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
  -DPICKY_DEVELOPER=OFF
run cmocka cmake --build build-cmocka -j "$jobs"
run cmocka cmake --install build-cmocka
# libarchive always builds its DLL too: only the static archive is built (half the work) and
# installed by hand with the two headers a reader needs.
configure libarchive libarchive-3.6.2 -DENABLE_TEST=OFF -DENABLE_TAR=OFF -DENABLE_CPIO=OFF -DENABLE_CAT=OFF \
  -DENABLE_ZLIB=ON -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF -DENABLE_BZip2=OFF -DENABLE_LZ4=OFF -DENABLE_LZO=OFF \
  -DENABLE_LIBB2=OFF -DENABLE_LIBXML2=OFF -DENABLE_EXPAT=OFF -DENABLE_OPENSSL=OFF -DENABLE_MBEDTLS=OFF \
  -DENABLE_NETTLE=OFF -DENABLE_CNG=OFF -DENABLE_ICONV=OFF -DENABLE_ACL=OFF -DENABLE_XATTR=OFF \
  -DENABLE_PCREPOSIX=OFF -DENABLE_PCRE2POSIX=OFF -DENABLE_WERROR=OFF
run libarchive cmake --build build-libarchive -j "$jobs" --target archive_static
install -D -m 644 libarchive-3.6.2/libarchive/archive.h "$prefix/include/archive.h"
install -D -m 644 libarchive-3.6.2/libarchive/archive_entry.h "$prefix/include/archive_entry.h"
install -D -m 644 build-libarchive/libarchive/libarchive_static.a "$prefix/lib/libarchive.a"
# Static archives only: the release exe must not depend on any of these DLLs.
find "$prefix" \( -name '*.dll' -o -name '*.dll.a' \) -delete
touch "$prefix/.complete"
echo "$prefix"

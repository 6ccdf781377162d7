#!/usr/bin/env bash
# Build the dependencies Debian ships no mingw-w64 package for (cJSON, cmocka, libarchive and
# the decompressors libarchive reads xz, zstd and bzip2 with: liblzma, libzstd, libbz2) from
# Debian's own source packages, as static libraries for x86_64-w64-mingw32, into a
# cache folder outside the clone (CI runs in a fresh clone) keyed by the pinned versions,
# the recipe's version and the cross-compiler's:
#   tests/windows/build-deps.sh        prints the prefix (after building it when missing)
# zlib comes from Debian's libz-mingw-w64-dev (static: the toolchain names libz.a).
# Environment: DI_MINGW_CACHE (default /var/cache/dumpinspect-mingw), DI_JOBS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Pinned Debian 12 (bookworm) source versions.
CJSON_VERSION=1.7.15-1+deb12u4
CMOCKA_VERSION=1.1.5-2.1
LIBARCHIVE_VERSION=3.6.2-1+deb12u5
XZ_VERSION=5.4.1-1+deb12u2
# (1.5.4+dfsg2-5+deb12u1's source is not on the mirror this was made with; the -5 of the
# release is, and only its decompressor is used)
ZSTD_VERSION=1.5.4+dfsg2-5
BZIP2_VERSION=1.0.8-5
# Bump when the build steps below change, so the cache is rebuilt.
RECIPE=4

cache=${DI_MINGW_CACHE:-/var/cache/dumpinspect-mingw}
export DI_MINGW_CACHE=$cache
key=$( (echo "$CJSON_VERSION $CMOCKA_VERSION $LIBARCHIVE_VERSION $XZ_VERSION $ZSTD_VERSION $BZIP2_VERSION $RECIPE"; x86_64-w64-mingw32-gcc --version | head -1) |
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
echo "fetching Debian sources: cjson $CJSON_VERSION, cmocka $CMOCKA_VERSION, libarchive $LIBARCHIVE_VERSION," \
  "xz-utils $XZ_VERSION, libzstd $ZSTD_VERSION, bzip2 $BZIP2_VERSION" >&2
apt-get source -qq -o APT::Sandbox::User=root --download-only "cjson=$CJSON_VERSION" "cmocka=$CMOCKA_VERSION" \
  "libarchive=$LIBARCHIVE_VERSION" "xz-utils=$XZ_VERSION" "libzstd=$ZSTD_VERSION" "bzip2=$BZIP2_VERSION" >&2
for dsc in *.dsc; do dpkg-source -x --no-check "$dsc" >/dev/null; done

configure() { # name srcdir cmake-args...
  local name=$1 dir=$2
  shift 2
  echo "building $name for mingw-w64" >&2
  cmake -S "$dir" -B "build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$here/mingw-w64.cmake" \
    -DDI_MINGW_DEPS="$prefix" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" "$@" >"build-$name.log" 2>&1 ||
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
# liblzma: the library only (xz-utils' CMake build), installed by hand.
configure xz xz-utils-5.4.1 -DBUILD_SHARED_LIBS=OFF
run xz cmake --build build-xz -j "$jobs" --target liblzma
install -D -m 644 xz-utils-5.4.1/src/liblzma/api/lzma.h "$prefix/include/lzma.h"
install -d "$prefix/include/lzma"
install -m 644 xz-utils-5.4.1/src/liblzma/api/lzma/*.h "$prefix/include/lzma/"
install -D -m 644 build-xz/liblzma.a "$prefix/lib/liblzma.a"
# Two small libraries compiled file by file into a static archive (name dir files...).
archive() {
  local name=$1 dir=$2
  shift 2
  echo "building $name for mingw-w64" >&2
  mkdir -p "build-$name"
  for f in "$@"; do
    run "$name" x86_64-w64-mingw32-gcc -O2 $cflags -c "$dir/$f" -o "build-$name/$(basename "$f" .c).o"
  done
  run "$name" x86_64-w64-mingw32-ar rcs "$prefix/lib/lib$name.a" "build-$name"/*.o
}
# libzstd, the decompressor only (what libarchive reads with), without its x86 assembly. Its
# CMake build wants a C++ compiler, which no package here provides.
z=libzstd-1.5.4+dfsg2/lib
cflags=-DZSTD_DISABLE_ASM
archive zstd "$z" common/debug.c common/entropy_common.c common/error_private.c common/fse_decompress.c \
  common/pool.c common/threading.c common/xxhash.c common/zstd_common.c decompress/huf_decompress.c \
  decompress/zstd_ddict.c decompress/zstd_decompress.c decompress/zstd_decompress_block.c
install -D -m 644 "$z/zstd.h" "$prefix/include/zstd.h"
install -D -m 644 "$z/zstd_errors.h" "$prefix/include/zstd_errors.h"
# libbz2: no CMake build either. BZ_EXPORT makes bzlib.h declare ordinary functions on
# Windows (without it, pointers for loading bzip2.dll).
cflags=-DBZ_EXPORT
archive bz2 bzip2-1.0.8 blocksort.c huffman.c crctable.c randtable.c compress.c decompress.c bzlib.c
install -D -m 644 bzip2-1.0.8/bzlib.h "$prefix/include/bzlib.h"
# libarchive always builds its DLL too: only the static archive is built (half the work) and
# installed by hand with the two headers a reader needs.
configure libarchive libarchive-3.6.2 -DENABLE_TEST=OFF -DENABLE_TAR=OFF -DENABLE_CPIO=OFF -DENABLE_CAT=OFF \
  -DCMAKE_C_FLAGS=-DBZ_EXPORT -DENABLE_ZLIB=ON -DENABLE_LZMA=ON -DENABLE_ZSTD=ON -DENABLE_BZip2=ON \
  -DENABLE_LZ4=OFF -DENABLE_LZO=OFF \
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
# Builds of other versions or recipes untouched for a week are not coming back.
find "$cache" -maxdepth 1 -name 'deps-*' ! -path "$prefix" -mtime +7 -exec rm -rf {} +
echo "$prefix"

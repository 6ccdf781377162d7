#!/usr/bin/env bash
# The Windows leg of CI (.ci/run calls it after the Linux suite): build the dependencies for
# mingw-w64 (tests/windows/build-deps.sh, cached outside the clone), cross-build with
# -Werror, run the whole ctest suite under wine, install the release into build-win/install
# and check it is self-contained and reports the bundled demo byte for byte as Linux does.
# Leaves the program at build-win/dumpinspect.exe.
# Environment: DI_MINGW_CACHE (default /var/cache/dumpinspect-mingw; the dependencies and the
# wine prefix live there), DI_JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
jobs=${DI_JOBS:-$(nproc 2>/dev/null || echo 2)}
cache=${DI_MINGW_CACHE:-/var/cache/dumpinspect-mingw}
export DI_MINGW_CACHE=$cache

pkgs=(gcc-mingw-w64-x86-64 libz-mingw-w64-dev wine wine64 dpkg-dev cmake ninja-build)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

. tests/windows/wine-env.sh
echo "== dependencies for mingw-w64 (Debian sources, cached in $cache)"
mkdir -p "$cache"
deps=$(tests/windows/build-deps.sh)
echo "using $deps"

# One wine server for the whole run (not one per test program), stopped at the end. Its
# services (services.exe, winedevice.exe, ...) are started here, away from ctest: started by
# a test they would inherit its output pipe and ctest would wait for them until its timeout.
wineserver -p 600
trap 'wineserver -k 2>/dev/null || true' EXIT
wine cmd /c exit </dev/null >/dev/null 2>&1

echo "== cross-build for Windows (mingw-w64, -Werror)"
cmake -S . -B build-win -G Ninja -DCMAKE_TOOLCHAIN_FILE=tests/windows/mingw-w64.cmake -DDI_MINGW_DEPS="$deps" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDI_WERROR=ON >/dev/null
cmake --build build-win -j "$jobs"

echo "== ctest under wine"
ctest --test-dir build-win --output-on-failure -j "$jobs"

echo "== release: cmake --install, self-contained, same report as Linux"
rm -rf build-win/install
cmake --install build-win --prefix build-win/install >/dev/null
exe=build-win/install/bin/dumpinspect.exe
others=$(find build-win/install -name '*.dll')
[ -z "$others" ] || { echo "stray DLLs in the release: $others" >&2; exit 1; }
# Only DLLs every Windows has (the system's and the C runtime msvcrt.dll).
imports=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
for dll in $imports; do
  case $dll in
    kernel32.dll | msvcrt.dll | shell32.dll | advapi32.dll | bcrypt.dll | user32.dll | ws2_32.dll) ;;
    *) echo "dumpinspect.exe imports $dll, which Windows does not ship" >&2; exit 1 ;;
  esac
done
echo "imports: $(echo $imports)"
wine "$exe" fixtures/demo.dmp.gz > build-win/demo-report.json
cmp build-win/demo-report.json tests/e2e/golden/bundled-demo.json
echo "the installed dumpinspect.exe reports the bundled demo byte for byte as the golden (Linux) does"
echo "== Windows leg done in $(( $(date +%s) - t0 )) s"

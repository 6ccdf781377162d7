# Sourced by tests/run-windows.sh and tests/windows/build-deps.sh: a wine prefix of our own
# under the cache folder ($DI_MINGW_CACHE, default /var/cache/dumpinspect-mingw), made once
# without a display or questions, without Mono or Gecko; quiet wine.
export DI_MINGW_CACHE=${DI_MINGW_CACHE:-/var/cache/dumpinspect-mingw}
export WINEPREFIX=$DI_MINGW_CACHE/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY
if [ ! -f "$WINEPREFIX/.di-ready" ]; then
  echo "creating the wine prefix $WINEPREFIX" >&2
  mkdir -p "$DI_MINGW_CACHE"
  rm -rf "$WINEPREFIX"
  wineboot --init >/dev/null 2>&1
  wineserver -w
  touch "$WINEPREFIX/.di-ready"
fi

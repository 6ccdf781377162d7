# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (gcc-mingw-w64-x86-64) and
# running the results under wine (tests/run-windows.sh sets WINEPREFIX).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(DI_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${DI_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${DI_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER ${DI_MINGW_TRIPLE}-windres)
# DI_MINGW_DEPS: the prefix tests/windows/build-deps.sh prints (cJSON, cmocka, libarchive).
set(CMAKE_FIND_ROOT_PATH /usr/${DI_MINGW_TRIPLE} ${DI_MINGW_DEPS})
if(DI_MINGW_DEPS)
  list(APPEND CMAKE_PREFIX_PATH ${DI_MINGW_DEPS})
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Static archives only (zlib's libz.a, not its import library), and a self-contained exe:
# no libgcc, libwinpthread or zlib1.dll beside it.
# (Windows-GNU sets CMAKE_FIND_LIBRARY_SUFFIXES after this file, so zlib is named outright.)
set(ZLIB_LIBRARY /usr/${DI_MINGW_TRIPLE}/lib/libz.a CACHE FILEPATH "zlib, static")
set(ZLIB_INCLUDE_DIR /usr/${DI_MINGW_TRIPLE}/include CACHE PATH "zlib headers")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
find_program(DI_WINE NAMES wine64 wine)
if(DI_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${DI_WINE})
endif()

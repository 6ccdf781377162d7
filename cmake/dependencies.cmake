# The libraries dumpinspect links, as three targets whatever provides them:
#   di_cjson, di_libarchive (and ZLIB::ZLIB), di_cmocka (tests only; see tests/CMakeLists.txt)
# CMake's own package files come first (Debian's libcjson-dev, vcpkg's ports, the mingw
# build of tests/windows/build-deps.sh); pkg-config is the fallback where a library ships
# only a .pc file, so a Windows configure needs no pkg-config.
find_package(ZLIB REQUIRED)

# On Windows a static library's header must not say dllimport: mingw builds (tests/windows/
# build-deps.sh) and vcpkg's *-static triplets link cJSON and libarchive statically.
set(_di_static_deps OFF)
if(MINGW OR VCPKG_TARGET_TRIPLET MATCHES "static")
  set(_di_static_deps ON)
endif()
option(DI_STATIC_DEPS "Windows: cJSON and libarchive are static libraries" ${_di_static_deps})

# The fallback: target takes pkg-config's module (as PkgConfig::prefix).
function(di_use_pkg_config target prefix module)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  target_link_libraries(${target} INTERFACE PkgConfig::${prefix})
endfunction()

add_library(di_cjson INTERFACE)
find_package(cJSON CONFIG QUIET)
if(TARGET cjson)
  target_link_libraries(di_cjson INTERFACE cjson)
  if(WIN32 AND DI_STATIC_DEPS)
    # cJSON.h marks its API dllexport on Windows unless told the library is static.
    target_compile_definitions(di_cjson INTERFACE CJSON_HIDE_SYMBOLS)
  endif()
else()
  di_use_pkg_config(di_cjson CJSON libcjson)
endif()

add_library(di_libarchive INTERFACE)
find_package(LibArchive QUIET)
if(LibArchive_FOUND)
  target_include_directories(di_libarchive INTERFACE ${LibArchive_INCLUDE_DIRS})
  target_link_libraries(di_libarchive INTERFACE ${LibArchive_LIBRARIES})
  if(WIN32 AND DI_STATIC_DEPS)
    # What a static libarchive links itself: the decompressors it was built with, zlib and
    # the Windows crypto library.
    target_compile_definitions(di_libarchive INTERFACE LIBARCHIVE_STATIC)
    foreach(lib lzma zstd bz2)
      find_library(DI_${lib}_LIBRARY ${lib})
      if(DI_${lib}_LIBRARY)
        target_link_libraries(di_libarchive INTERFACE ${DI_${lib}_LIBRARY})
      endif()
    endforeach()
    target_link_libraries(di_libarchive INTERFACE ZLIB::ZLIB bcrypt)
  endif()
else()
  di_use_pkg_config(di_libarchive LIBARCHIVE libarchive)
endif()

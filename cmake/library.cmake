# SPDX-License-Identifier: MIT
# The installed library: libdumpinspect.so (SONAME libdumpinspect.so.MAJOR) and
# libdumpinspect.a, exporting only the di_* API declared in include/dumpinspect/, plus the
# headers, a pkg-config file and a CMake package config.
add_library(dumpinspect_objs OBJECT ${DI_LIB_SOURCES})
set_target_properties(dumpinspect_objs PROPERTIES C_VISIBILITY_PRESET hidden POSITION_INDEPENDENT_CODE ON)
target_include_directories(dumpinspect_objs PRIVATE include ${PROJECT_BINARY_DIR}/include src)
target_link_libraries(dumpinspect_objs PRIVATE di_cjson di_libarchive ZLIB::ZLIB Threads::Threads)
target_compile_definitions(dumpinspect_objs PRIVATE DI_SHARED_BUILD)

add_library(dumpinspect_shared SHARED $<TARGET_OBJECTS:dumpinspect_objs>)
set_target_properties(dumpinspect_shared PROPERTIES OUTPUT_NAME dumpinspect VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR} EXPORT_NAME dumpinspect C_VISIBILITY_PRESET hidden)
target_link_libraries(dumpinspect_shared PRIVATE di_cjson di_libarchive ZLIB::ZLIB Threads::Threads)
target_include_directories(dumpinspect_shared INTERFACE
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
add_library(dumpinspect::dumpinspect ALIAS dumpinspect_shared)

# The static archive: one relocatable object whose hidden symbols are made local, so an
# embedder's link sees (and can clash with) nothing but di_*.
set(DI_STATIC_LIB ${PROJECT_BINARY_DIR}/libdumpinspect.a)
if(UNIX AND CMAKE_OBJCOPY)
  add_custom_command(OUTPUT ${DI_STATIC_LIB}
    COMMAND ${CMAKE_LINKER} -r -o ${PROJECT_BINARY_DIR}/dumpinspect_all.o $<TARGET_OBJECTS:dumpinspect_objs>
    COMMAND ${CMAKE_OBJCOPY} --localize-hidden ${PROJECT_BINARY_DIR}/dumpinspect_all.o
    COMMAND ${CMAKE_COMMAND} -E rm -f ${DI_STATIC_LIB}
    COMMAND ${CMAKE_AR} rcs ${DI_STATIC_LIB} ${PROJECT_BINARY_DIR}/dumpinspect_all.o
    DEPENDS dumpinspect_objs $<TARGET_OBJECTS:dumpinspect_objs>
    COMMAND_EXPAND_LISTS
    COMMENT "Archiving libdumpinspect.a (only di_* global)")
  add_custom_target(dumpinspect_static ALL DEPENDS ${DI_STATIC_LIB})
  install(FILES ${DI_STATIC_LIB} DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(TARGETS dumpinspect_shared EXPORT dumpinspectTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES include/dumpinspect/dumpinspect.h ${PROJECT_BINARY_DIR}/include/dumpinspect/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dumpinspect)

set(DI_PC_REQUIRES_PRIVATE "libcjson libarchive zlib")
set(DI_PC_LIBS_PRIVATE "-pthread")
configure_file(cmake/dumpinspect.pc.in ${PROJECT_BINARY_DIR}/dumpinspect.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dumpinspect.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

include(CMakePackageConfigHelpers)
install(EXPORT dumpinspectTargets NAMESPACE dumpinspect:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dumpinspect)
configure_package_config_file(cmake/dumpinspectConfig.cmake.in ${PROJECT_BINARY_DIR}/dumpinspectConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dumpinspect)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dumpinspectConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dumpinspectConfig.cmake ${PROJECT_BINARY_DIR}/dumpinspectConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dumpinspect)

# The report's contract: the JSON schemas (schema/), installed beside the man pages' data.
install(FILES ${PROJECT_SOURCE_DIR}/schema/dumpinspect-report.schema.json
  ${PROJECT_SOURCE_DIR}/schema/dumpinspect-translate.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/dumpinspect)

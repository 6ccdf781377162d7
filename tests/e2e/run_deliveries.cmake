# Every delivery of one dump gives the same report as the plain file, apart from the keys that
# name the delivery (file.name, dump.compression, dump.member). The compressed files and
# archives are made here, on the build host, with the system's tools (gzip, xz, zstd, bzip2,
# zip, gcab), so the check also runs when the program under test is a Windows one under wine
# (RUN), where those tools cannot be started from the tests themselves. A kind whose tool is
# missing, or that this build's libarchive cannot read (one built without liblzma, libzstd or
# libbz2), is skipped with a message.
# Usage: cmake -DFIXTUREGEN=prog -DCLI=prog [-DRUN=emulator] -DSCENARIO=file -DWORK=dir
#        -DTOOLS="gzip=/bin/gzip;xz=...;..." -P run_deliveries.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(dump ${WORK}/MEMORY.DMP)
execute_process(COMMAND ${RUN} ${FIXTUREGEN} ${SCENARIO} ${dump} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fixturegen failed on ${SCENARIO}: ${err}")
endif()

# The compact report of path with the delivery's own keys blanked.
function(report path out_var rc_var err_var)
  execute_process(COMMAND ${RUN} ${CLI} --compact ${path} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REGEX REPLACE "\"file\":{\"name\":\"[^\"]*\"}" "\"file\":{}" out "${out}")
  string(REGEX REPLACE "\"compression\":\"[a-z0-9]*\",\"member\":(null|\"[^\"]*\")" "" out "${out}")
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

report(${dump} want rc err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dumpinspect exited ${rc} on the plain dump: ${err}")
endif()

foreach(entry ${TOOLS})
  string(REGEX MATCH "^([a-z0-9]+)=(.*)$" _ "${entry}")
  set(kind ${CMAKE_MATCH_1})
  set(tool ${CMAKE_MATCH_2})
  if(NOT tool OR tool MATCHES "NOTFOUND$")
    message(STATUS "skipped ${kind}: no ${kind} tool on the build host")
    continue()
  endif()
  if(kind STREQUAL "zip")
    set(packed ${WORK}/dump.zip)
    execute_process(COMMAND ${tool} -q -9 dump.zip MEMORY.DMP WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
  elseif(kind STREQUAL "cab")
    set(packed ${WORK}/dump.cab)
    execute_process(COMMAND ${tool} -c -z dump.cab MEMORY.DMP WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
  else()
    set(packed ${WORK}/MEMORY.DMP.${kind})
    execute_process(COMMAND ${tool} -c ${dump} OUTPUT_FILE ${packed} RESULT_VARIABLE rc)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${tool} failed making the ${kind} delivery")
  endif()
  report(${packed} got rc err)
  if(rc EQUAL 5 AND err MATCHES "this build's libarchive cannot read")
    message(STATUS "skipped ${kind}: ${err}")
    continue()
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dumpinspect exited ${rc} on the ${kind} delivery: ${err}")
  endif()
  if(NOT got STREQUAL want)
    file(WRITE ${WORK}/want.json "${want}")
    file(WRITE ${WORK}/got-${kind}.json "${got}")
    message(FATAL_ERROR "the ${kind} delivery's report differs from the plain file's (${WORK}/want.json, got-${kind}.json)")
  endif()
  message(STATUS "${kind}: the same report")
endforeach()

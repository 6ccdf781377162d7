# SPDX-License-Identifier: MIT
# Runs a generator into the build tree and fails when its output differs from the
# checked-in file: the tables must be regenerated and reviewed when the data changes.
# Usage: cmake [-DRUN=emulator] -DGEN=prog -DARGS="in1;in2" -DOUT=file -DCHECKED_IN=file -P regen_check.cmake
# The generator is called as: GEN OUT ARGS...
execute_process(COMMAND ${RUN} ${GEN} ${OUT} ${ARGS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generator ${GEN} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${CHECKED_IN} RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "${CHECKED_IN} is stale: regenerate it with ${GEN} (fresh output in ${OUT})")
endif()
message(STATUS "${CHECKED_IN} matches the data")

# SPDX-License-Identifier: MIT
# translate on the bundled demo dump: a kernel address that maps and one that does not;
# both outputs must fit schema/dumpinspect-translate.schema.json.
file(MAKE_DIRECTORY ${WORK})
set(demo ${SRC}/fixtures/demo.dmp.gz)
execute_process(COMMAND ${RUN} ${CLI} translate --va 0xfffff80512000000 ${demo} OUTPUT_FILE ${WORK}/mapped.json ERROR_QUIET)
execute_process(COMMAND ${RUN} ${CLI} translate --va 0xffff800000000000 ${demo} OUTPUT_FILE ${WORK}/unmapped.json ERROR_QUIET)
execute_process(COMMAND ${PYTHON} ${SRC}/tests/schema/validate.py ${SRC}/schema/dumpinspect-translate.schema.json
  ${WORK}/mapped.json ${WORK}/unmapped.json RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 77)
  message(STATUS "python3-jsonschema is not installed: skipped")
  return()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "translate output does not fit the schema: ${err}")
endif()

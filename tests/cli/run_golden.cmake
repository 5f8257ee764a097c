# Runs CMD (a ;-list) in the source tree and compares exit code, stdout and stderr with golden
# files: EXPECTED.out (stdout then stderr) and the exit code RC.
# INPUT (optional): a file given to the command as standard input.
# REQUIRES (optional): a program the test needs; without it the test prints SKIPPED (ctest's
# SKIP_REGULAR_EXPRESSION makes that a visible skip).
if(REQUIRES)
  find_program(required_program ${REQUIRES})
  if(NOT required_program)
    message("SKIPPED: ${REQUIRES} is not installed")
    return()
  endif()
endif()
if(NOT INPUT)
  set(INPUT /dev/null)
endif()
execute_process(COMMAND ${CMD} WORKING_DIRECTORY "${SOURCE_DIR}" INPUT_FILE "${INPUT}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
set(actual "${out}${err}")
file(READ "${EXPECTED}" expected)
if(NOT rc EQUAL RC OR NOT actual STREQUAL expected)
  message(FATAL_ERROR "exit ${rc} (want ${RC}); output:\n${actual}\n--- expected:\n${expected}")
endif()

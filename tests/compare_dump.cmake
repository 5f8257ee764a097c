# Runs `dlint --print-ast buildkit CASE/Dockerfile` and compares stdout with CASE/result byte for byte.
execute_process(COMMAND "${DLINT}" --print-ast buildkit "${CASE}/Dockerfile"
                OUTPUT_VARIABLE actual ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dlint exited with ${rc}:\n${err}")
endif()
file(READ "${CASE}/result" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/actual.txt" "${actual}")
  execute_process(COMMAND diff -u "${CASE}/result" "${CMAKE_CURRENT_BINARY_DIR}/actual.txt")
  message(FATAL_ERROR "dump differs from ${CASE}/result")
endif()

# A BuildKit negative case: dlint must exit 1 with a positioned error, never crash (exit >1 or signal).
execute_process(COMMAND "${DLINT}" --print-ast buildkit "${CASE}/Dockerfile"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit 1 with a parse error, got '${rc}':\n${out}\n${err}")
endif()
if(NOT err MATCHES "Dockerfile:[0-9]+:[0-9]+: error: ")
  message(FATAL_ERROR "error is not positioned:\n${err}")
endif()
message(STATUS "${err}")

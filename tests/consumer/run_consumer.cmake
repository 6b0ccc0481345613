# Builds and runs the tiny consumer project against hoc, either through
# find_package(hoc CONFIG REQUIRED) after `cmake --install`, or through
# add_subdirectory(<hoc source>).
set(dir ${WORK_DIR}/${MODE})
file(REMOVE_RECURSE ${dir})
if(MODE STREQUAL "find_package")
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${HOC_BINARY_DIR} --prefix ${dir}/prefix
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "cmake --install failed: ${rc}")
  endif()
  set(args -DCMAKE_PREFIX_PATH=${dir}/prefix -DHOC_CONSUMER_MODE=find_package)
else()
  set(args -DHOC_CONSUMER_MODE=add_subdirectory -DHOC_SOURCE_DIR=${HOC_SOURCE_DIR})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${HOC_SOURCE_DIR}/tests/consumer -B ${dir}/build
                -DCMAKE_BUILD_TYPE=Release ${args} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${dir}/build -j 2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${dir}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(rc OR NOT out MATCHES "consumer ok")
  message(FATAL_ERROR "the consumer did not run: ${rc}")
endif()

# Fails the build when a CUDA-enabled libtorchffm does not load libtorch_cuda (see CMakeLists.txt).
execute_process(COMMAND ldd "${LIB}" OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd ${LIB} failed")
endif()
if(NOT deps MATCHES "libtorch_cuda")
  message(FATAL_ERROR "${LIB} does not link libtorch_cuda: CUDA would silently report unavailable.\n${deps}")
endif()
message(STATUS "libtorch_cuda is linked into ${LIB}")

# Makes find_package(Torch) use one LibTorch only, the one in CMAKE_PREFIX_PATH, and says so.
#
# TorchConfig.cmake looks its libraries up with find_library(... PATHS <its lib folder>), and CMake
# searches the system folders before PATHS: with Debian's libtorch-dev installed, a 2.x prefix got
# 2.x headers but Debian's libc10/libtorch. A pip-installed CUDA PyTorch also keeps the CUDA math
# libraries (libnvrtc.so.13, cusparse.h, ...) in the nvidia-* packages beside torch/, where neither
# FindCUDA nor the compiler looks, and a `nvcc` wrapper script on PATH makes FindCUDA guess a wrong
# toolkit root.
#
#   tffm_pin_torch()              before find_package(Torch): pins the lookups to the given prefix
#   tffm_check_torch(LIB_DIR_VAR) after it: stops unless every LibTorch library comes from one folder

# <root>/share/cmake/Torch/TorchConfig.cmake in CMAKE_PREFIX_PATH -> TFFM_PINNED_ROOT (<root>).
function(_tffm_prefix_root out)
  set(${out} "" PARENT_SCOPE)
  foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
    foreach(candidate "${prefix}/Torch" "${prefix}/share/cmake/Torch" "${prefix}/lib/cmake/Torch" "${prefix}")
      if(EXISTS "${candidate}/TorchConfig.cmake")
        get_filename_component(root "${candidate}/../../.." ABSOLUTE)
        set(${out} "${root}" PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endforeach()
endfunction()

# A CUDA toolkit root: CUDA_HOME or CUDA_PATH, the real nvcc behind the one on PATH, /usr/local/cuda*.
function(_tffm_cuda_toolkit out)
  set(candidates "$ENV{CUDA_HOME}" "$ENV{CUDA_PATH}")
  find_program(_tffm_nvcc nvcc)
  if(_tffm_nvcc)
    get_filename_component(real "${_tffm_nvcc}" REALPATH)
    get_filename_component(bin "${real}" DIRECTORY)
    list(APPEND candidates "${bin}/..")
  endif()
  file(GLOB versioned LIST_DIRECTORIES true /usr/local/cuda-*)
  list(SORT versioned COMPARE NATURAL ORDER DESCENDING)
  list(APPEND candidates /usr/local/cuda ${versioned})
  foreach(c IN LISTS candidates)
    if(c AND EXISTS "${c}/bin/nvcc" AND EXISTS "${c}/include/cuda_runtime.h")
      get_filename_component(c "${c}" ABSOLUTE)
      set(${out} "${c}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

macro(tffm_pin_torch)
  _tffm_prefix_root(TFFM_PINNED_ROOT)
  set(TFFM_NVIDIA_INCLUDE_DIRS "")
  set(TFFM_NVIDIA_LIB_DIRS "")
  if(TFFM_PINNED_ROOT)
    set(_lib "${TFFM_PINNED_ROOT}/lib")
    # The variables TorchConfig fills with find_library: found here first, it keeps these values.
    foreach(pair TORCH_LIBRARY:torch c10_LIBRARY:c10 kineto_LIBRARY:kineto C10_CUDA_LIBRARY:c10_cuda)
      string(REPLACE ":" ";" pair "${pair}")
      list(GET pair 0 var)
      list(GET pair 1 name)
      if(EXISTS "${_lib}/lib${name}.so")
        set(${var} "${_lib}/lib${name}.so" CACHE FILEPATH "LibTorch's ${name}, pinned to ${_lib}" FORCE)
      endif()
    endforeach()
    if(EXISTS "${_lib}/libtorch_cuda.so")
      # A pip layout: site-packages/{torch,nvidia/<pkg>/{include,lib}}. The libraries there carry only
      # versioned names (libnvrtc.so.13), which find_library does not match: name them for FindCUDA.
      file(GLOB _nvidia LIST_DIRECTORIES true "${TFFM_PINNED_ROOT}/../nvidia/*")
      foreach(pkg IN LISTS _nvidia)
        get_filename_component(pkg "${pkg}" ABSOLUTE)
        if(IS_DIRECTORY "${pkg}/include")
          list(APPEND TFFM_NVIDIA_INCLUDE_DIRS "${pkg}/include")
        endif()
        if(IS_DIRECTORY "${pkg}/lib")
          list(APPEND TFFM_NVIDIA_LIB_DIRS "${pkg}/lib")
          file(GLOB _sos "${pkg}/lib/lib*.so.*")
          foreach(so IN LISTS _sos)
            get_filename_component(file "${so}" NAME)
            if(file MATCHES "^lib([A-Za-z_]+)\\.so\\.[0-9]+$" AND NOT DEFINED CACHE{CUDA_${CMAKE_MATCH_1}_LIBRARY})
              set(CUDA_${CMAKE_MATCH_1}_LIBRARY "${so}" CACHE FILEPATH "from the pip package ${pkg}")
            endif()
          endforeach()
        endif()
      endforeach()
      if(NOT CUDA_TOOLKIT_ROOT_DIR)
        _tffm_cuda_toolkit(_toolkit)
        if(NOT _toolkit)
          message(FATAL_ERROR "torchffm: ${TFFM_PINNED_ROOT} is a CUDA LibTorch, and building against it needs "
            "a CUDA toolkit (nvcc and its headers), which was not found. Install one, or pass its root as "
            "CUDA_HOME=/usr/local/cuda-<version>.")
        endif()
        set(CUDA_TOOLKIT_ROOT_DIR "${_toolkit}" CACHE PATH "CUDA toolkit")
        set(CMAKE_CUDA_COMPILER "${_toolkit}/bin/nvcc" CACHE FILEPATH "nvcc of the CUDA toolkit")
      endif()
      message(STATUS "torchffm: CUDA toolkit ${CUDA_TOOLKIT_ROOT_DIR}; pip CUDA packages: ${TFFM_NVIDIA_LIB_DIRS}")
    endif()
  endif()
endmacro()

# The file of an imported target (whichever configuration it was exported for).
function(_tffm_target_file target out)
  set(${out} "" PARENT_SCOPE)
  foreach(prop IMPORTED_LOCATION IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION_RELWITHDEBINFO
               IMPORTED_LOCATION_NONE IMPORTED_LOCATION_DEBUG IMPORTED_LOCATION_MINSIZEREL)
    get_target_property(loc ${target} ${prop})
    if(loc)
      set(${out} "${loc}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

# Every library file behind TORCH_LIBRARIES (through imported targets' link interfaces).
function(_tffm_torch_files out)
  set(pending ${TORCH_LIBRARIES})
  set(seen "")
  set(files "")
  while(pending)
    list(POP_FRONT pending item)
    if(item IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${item}")
    if(TARGET "${item}")
      get_target_property(imported ${item} IMPORTED)
      if(imported)
        _tffm_target_file(${item} loc)
        if(loc)
          list(APPEND files "${loc}")
        endif()
      endif()
      get_target_property(deps ${item} INTERFACE_LINK_LIBRARIES)
      if(deps)
        list(APPEND pending ${deps})
      endif()
    elseif(IS_ABSOLUTE "${item}")
      list(APPEND files "${item}")
    endif()
  endwhile()
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# Sets ${lib_dir_var} to the folder of LibTorch's libtorch, and stops when any libtorch*/libc10*
# that the build would link lies in another folder.
function(tffm_check_torch lib_dir_var)
  _tffm_target_file(torch torch_file)
  if(NOT torch_file)
    set(torch_file "${TORCH_LIBRARY}")
  endif()
  get_filename_component(lib_dir "${torch_file}" DIRECTORY)
  get_filename_component(lib_dir_real "${lib_dir}" REALPATH)
  _tffm_torch_files(files)
  foreach(f IN LISTS files)
    get_filename_component(name "${f}" NAME)
    if(NOT name MATCHES "^lib(torch|c10)")
      continue()
    endif()
    get_filename_component(dir "${f}" DIRECTORY)
    get_filename_component(dir_real "${dir}" REALPATH)
    if(NOT dir_real STREQUAL lib_dir_real)
      message(FATAL_ERROR "torchffm: the build would link ${f}, which belongs to another LibTorch than "
        "${lib_dir} (LibTorch ${Torch_VERSION}); mixing them fails at run time with undefined symbols. "
        "Fix: delete the CMake cache of this build (${CMAKE_BINARY_DIR}) and configure again with only one "
        "LibTorch prefix in CMAKE_PREFIX_PATH (TORCHFFM_TORCH_PREFIX), or pass -D<VAR>=${lib_dir}/${name} for "
        "the variable that holds ${f}.")
    endif()
  endforeach()
  set(${lib_dir_var} "${lib_dir}" PARENT_SCOPE)
endfunction()

# The C++ standard this LibTorch needs: what its torch target asks for (20 for PyTorch 2.13 and
# later, 14 for Debian's 1.13), at least 17 (the shim's own). Chosen after find_package(Torch):
# set before it, C++20 also becomes the CUDA dialect, which CMake 3.25 lacks for nvcc.
function(tffm_torch_cxx_standard out)
  set(std 17)
  if(TARGET torch)
    get_target_property(wanted torch CXX_STANDARD)
    if(wanted AND wanted GREATER std)
      set(std ${wanted})
    endif()
  endif()
  set(${out} ${std} PARENT_SCOPE)
endfunction()

# Shared build settings for MineTwin targets.

add_library(minetwin_build_flags INTERFACE)
add_library(minetwin::build_flags ALIAS minetwin_build_flags)
target_compile_options(minetwin_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                      -Wnon-virtual-dtor -Wconversion
                                                      -Wno-sign-conversion
                                                      # the wide vector types of the cell loops
                                                      # (GCC vector extensions) are passed only
                                                      # between inline functions of one file:
                                                      # their ABI across builds does not matter
                                                      -Wno-psabi)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 false positive on std::string + (GCC bug 105329)
  target_compile_options(minetwin_build_flags INTERFACE -Wno-restrict)
endif()
if(MINETWIN_WARNINGS_AS_ERRORS)
  target_compile_options(minetwin_build_flags INTERFACE -Werror)
endif()
if(MINETWIN_SANITIZE)
  target_compile_options(minetwin_build_flags INTERFACE -fsanitize=address,undefined
                                                        -fno-omit-frame-pointer
                                                        -fno-sanitize-recover=undefined)
  target_link_options(minetwin_build_flags INTERFACE -fsanitize=address,undefined)
endif()
if(MINETWIN_FUZZ)
  # Coverage instrumentation for libFuzzer on every target; the fuzz programs link libFuzzer.
  target_compile_options(minetwin_build_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

# minetwin_add_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Creates the static library minetwin_NAME with the alias minetwin::NAME. Headers are
# included by their path from the repository root ("engine/grid/raster_grid.hpp").
function(minetwin_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPS;PRIVATE_DEPS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "minetwin_add_library(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_library(minetwin_${name} STATIC ${arg_SOURCES})
  add_library(minetwin::${name} ALIAS minetwin_${name})
  target_include_directories(minetwin_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(minetwin_${name} PUBLIC ${arg_DEPS} PRIVATE minetwin::build_flags
                                                                    ${arg_PRIVATE_DEPS})
endfunction()

# minetwin_add_test(NAME SOURCES ... [DEPS ...] [LABELS ...] [PROPERTIES ...])
# One GoogleTest executable per test file; each test case becomes a CTest test. PROPERTIES: more
# CTest properties of every test case (name value pairs, e.g. FIXTURES_REQUIRED name).
function(minetwin_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPS;LABELS;PROPERTIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "minetwin_add_test(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_DEPS} GTest::gtest_main minetwin::build_flags)
  target_compile_definitions(${name} PRIVATE
    MINETWIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    MINETWIN_BINARY_DIR="${CMAKE_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(NOT arg_LABELS)
    set(arg_LABELS unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${arg_LABELS}" ${arg_PROPERTIES}
                       DISCOVERY_TIMEOUT 60)
endfunction()

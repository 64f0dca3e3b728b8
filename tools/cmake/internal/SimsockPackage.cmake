# simsock_package(TARGET [EXPORT_NAME NAME] [HEADERS DIR...] [EXPORT SET]): puts one of simsock's libraries
# (or the CLI) into the installed package: TARGET becomes simsock::NAME in the export set SET (default
# simsockTargets; simsock::testing has its own, loaded only where GoogleTest is found), and each DIR
# (relative to the calling CMakeLists.txt, or absolute; it holds simsock/...) is installed under include/.
# Calling it again for the same target adds header folders (an optional part's).
#
# This file only records; tools/cmake/internal/SimsockInstall.cmake, included at the end of the top-level
# CMakeLists.txt, writes the install rules. Internal: not part of the installed package.
function(simsock_package target)
  cmake_parse_arguments(P "" "EXPORT_NAME;EXPORT" "HEADERS" ${ARGN})
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "simsock_package(${target}): unknown arguments ${P_UNPARSED_ARGUMENTS}")
  endif()
  if(P_EXPORT_NAME)
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${P_EXPORT_NAME})
  endif()
  if(NOT P_EXPORT)
    set(P_EXPORT simsockTargets)
  endif()
  set_property(GLOBAL APPEND PROPERTY SIMSOCK_PACKAGE_EXPORTS ${P_EXPORT})
  set_property(GLOBAL APPEND PROPERTY SIMSOCK_PACKAGE_TARGETS_${P_EXPORT} ${target})
  foreach(dir IN LISTS P_HEADERS)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    set_property(GLOBAL APPEND PROPERTY SIMSOCK_PACKAGE_HEADER_DIRS ${dir})
  endforeach()
endfunction()

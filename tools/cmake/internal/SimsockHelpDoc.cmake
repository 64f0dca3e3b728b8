# cmake -DSIMSOCK_CLI=path/to/simsock -DSIMSOCK_VERSION=X.Y.Z -DOUT_DIR=dir -P SimsockHelpDoc.cmake
#
# Writes dir/simsock.txt (`simsock --help`, then `simsock COMMAND --help` for every command that help
# lists) and dir/simsock.1, the same text as a man page. The commands are read from the help itself, so a
# new command is documented without touching this file. Internal: run by the build, not installed.
foreach(var SIMSOCK_CLI SIMSOCK_VERSION OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "SimsockHelpDoc.cmake: -D${var}=... is required")
  endif()
endforeach()

# The help of `simsock ARGS --help`, with the CLI's path shown as plain "simsock".
function(simsock_help out)
  execute_process(COMMAND ${SIMSOCK_CLI} ${ARGN} --help
    OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "simsock ${ARGN} --help failed (${rc}): ${err}")
  endif()
  string(REPLACE "${SIMSOCK_CLI}" "simsock" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

simsock_help(main)
# The command names: the first word of each indented line after "Subcommands:".
string(REGEX REPLACE "^.*\nSubcommands:\n" "" listing "${main}")
string(REPLACE "\n" ";" listing_lines "${listing}")
set(commands "")
foreach(line IN LISTS listing_lines)
  if(line MATCHES "^  ([a-z][a-z0-9-]*) ")
    list(APPEND commands ${CMAKE_MATCH_1})
  elseif(line STREQUAL "")
    break()
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "SimsockHelpDoc.cmake: no commands found in simsock --help")
endif()

set(doc "simsock ${SIMSOCK_VERSION}\n\n${main}")
foreach(command IN LISTS commands)
  simsock_help(text ${command})
  string(APPEND doc "\n\n== simsock ${command} ==\n\n${text}")
endforeach()
string(APPEND doc "\nThe scenario format: share/doc/simsock/scenario-format.md and share/simsock/schema.json.\n"
                  "The GoogleTest kit: share/doc/simsock/testing-kit.md.\n")
file(WRITE ${OUT_DIR}/simsock.txt "${doc}")

# The man page: the same text, preformatted; backslashes and leading dots escaped for roff.
string(REPLACE "\\" "\\e" roff "${doc}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" roff "${roff}")
string(TIMESTAMP year "%Y")
file(WRITE ${OUT_DIR}/simsock.1
  ".TH SIMSOCK 1 \"${year}\" \"simsock ${SIMSOCK_VERSION}\" \"User Commands\"\n"
  ".SH NAME\nsimsock \\- run, record, validate and draw socket scenarios\n"
  ".SH DESCRIPTION\n.nf\n${roff}\n.fi\n")

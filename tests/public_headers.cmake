# Checks of the public headers, run by ctest as a CMake script:
#   cmake -DINCLUDE_DIR=include -P public_headers.cmake
# - public headers live in a stage folder (model/, loading/, evaluation/,
#   streaming/, rule_tests/), internals in detail/, and only fwd.hpp beside
#   them (docs/architecture.md);
# - earlywarn.hpp includes every public header, so that "everything" means
#   everything;
# - fwd.hpp includes no more than <cstdint>, so that naming a type is cheap;
# - no header includes Boost or Eigen: they are used inside the compiled
#   library, and consumers need neither.
file(GLOB staged RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/earlywarn/*/*.hpp)
if(NOT staged)
  message(FATAL_ERROR "no headers in ${INCLUDE_DIR}/earlywarn: give INCLUDE_DIR as an absolute path")
endif()
set(problems "")
set(public earlywarn/fwd.hpp)
foreach(header ${staged})
  if(NOT header MATCHES "^earlywarn/detail/")
    list(APPEND public ${header})
  endif()
  if(NOT header MATCHES "^earlywarn/(model|loading|evaluation|streaming|rule_tests|detail)/")
    string(APPEND problems "${header} is in no stage folder (docs/architecture.md)\n")
  endif()
endforeach()
file(GLOB flat RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/earlywarn/*.hpp)
foreach(header ${flat})
  if(NOT header STREQUAL "earlywarn/fwd.hpp")
    string(APPEND problems "${header} belongs in a stage folder (docs/architecture.md)\n")
  endif()
endforeach()
file(STRINGS ${INCLUDE_DIR}/earlywarn/fwd.hpp fwd_includes REGEX "^[ \t]*#[ \t]*include")
if(NOT fwd_includes STREQUAL "#include <cstdint>")
  string(APPEND problems "fwd.hpp includes more than <cstdint>: ${fwd_includes}\n")
endif()
file(READ ${INCLUDE_DIR}/earlywarn.hpp umbrella)
foreach(header ${public})
  string(FIND "${umbrella}" "#include \"${header}\"" at)
  if(at EQUAL -1)
    string(APPEND problems "earlywarn.hpp does not include ${header}\n")
  endif()
endforeach()
file(GLOB_RECURSE every RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/*.hpp)
foreach(header ${every})
  file(STRINGS ${INCLUDE_DIR}/${header} lines REGEX "^[ \t]*#[ \t]*include[ \t]*<(boost|Eigen)/")
  foreach(line ${lines})
    string(APPEND problems "${header} includes a dependency of the compiled library: ${line}\n")
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "${problems}")
endif()

# Checks of the public headers, run by ctest as a CMake script:
#   cmake -DINCLUDE_DIR=include -P public_headers.cmake
# - earlywarn.hpp includes every public header (those outside detail/), so
#   that "everything" means everything;
# - no public header includes Boost or Eigen: they are used inside the
#   compiled library, and consumers need neither.
file(GLOB public RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/earlywarn/*.hpp)
if(NOT public)
  message(FATAL_ERROR "no headers in ${INCLUDE_DIR}/earlywarn: give INCLUDE_DIR as an absolute path")
endif()
file(READ ${INCLUDE_DIR}/earlywarn.hpp umbrella)
set(problems "")
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

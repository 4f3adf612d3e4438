# Writes the README's C++ blocks as one program, so that the build compiles
# what a reader copies:
#   cmake -DREADME=README.md -DOUTPUT=readme_snippets.cpp -P readme_snippets.cmake
# The blocks are one program: the block that includes earlywarn.hpp opens
# it (its #include lines go to the top of the file), the others continue it
# in the order of the README, inside one function.
file(READ ${README} text)
# CMake lists split at ';', which C++ is full of: hide them while matching.
string(REPLACE ";" "@SEMICOLON@" text "${text}")
string(REGEX MATCHALL "```cpp\n[^`]*```" blocks "${text}")
if(NOT blocks)
  message(FATAL_ERROR "${README} has no ```cpp block")
endif()
set(includes "")
set(opening "")
set(rest "")
foreach(block ${blocks})
  string(REGEX REPLACE "^```cpp\n" "" block "${block}")
  string(REGEX REPLACE "```$" "" block "${block}")
  string(REGEX MATCHALL "#include [^\n]*\n" block_includes "${block}")
  string(REGEX REPLACE "#include [^\n]*\n" "" body "${block}")
  if(block_includes)
    foreach(line ${block_includes})
      string(APPEND includes "${line}")
    endforeach()
    string(APPEND opening "${body}")
  else()
    string(APPEND rest "{\n${body}}\n")
  endif()
endforeach()
set(program "// Generated from ${README} by tests/readme_snippets.cmake.\n${includes}
int readme_snippets() {\n${opening}${rest}  return 0;\n}\n
int main(int argc, char**) { return argc > 99 ? readme_snippets() : 0; }\n")
string(REPLACE "@SEMICOLON@" ";" program "${program}")
file(WRITE ${OUTPUT}.new "${program}")
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)

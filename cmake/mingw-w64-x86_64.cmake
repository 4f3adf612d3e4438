# Cross-compiling for 64-bit Windows with Debian's MinGW-w64
# (g++-mingw-w64-x86-64): scripts/cross-build-windows, docs/windows.md.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

# The posix flavour: the win32 one of GCC 12 has no std::thread or std::mutex,
# which the loader's task pool uses.
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# Libraries and headers from the MinGW tree only: the host's /usr/include holds
# glibc's headers, which would shadow MinGW's. The header-only Boost and Eigen
# are pointed at one by one (scripts/cross-build-windows).
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One .exe that runs alone: the C++ runtime and winpthreads linked in, no DLLs
# to ship beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# ctest runs the Windows tests under Wine when it is installed (Debian's
# wine64 puts its loader in /usr/lib/wine).
find_program(EARLYWARN_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(EARLYWARN_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${EARLYWARN_WINE})
endif()

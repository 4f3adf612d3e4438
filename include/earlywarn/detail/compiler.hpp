#pragma once
// What the headers need of the compiler beyond C++20: 128-bit integers
// (int128.hpp) and the overflow-checking and prefetch builtins. GCC and Clang
// have them, MinGW-w64 on Windows included; MSVC has none, so say so here
// rather than in a cascade of errors further on.

#if !defined(__SIZEOF_INT128__) || !defined(__has_builtin)
#error \
    "earlywarn needs GCC or Clang on a 64-bit target (__int128 and __builtin_*_overflow); on Windows build with MinGW-w64 (docs/windows.md), not MSVC"
#elif !__has_builtin(__builtin_add_overflow) || !__has_builtin(__builtin_mul_overflow) || \
    !__has_builtin(__builtin_prefetch)
#error \
    "earlywarn needs __builtin_add_overflow, __builtin_mul_overflow and __builtin_prefetch (GCC 10 or later, or Clang)"
#endif

#!/usr/bin/env bash
# What including the library costs a consumer: `g++ -fsyntax-only` of a
# file holding only `#include "earlywarn.hpp"`, and the time to build
# tests/consumer/main.cpp at -O2, each the median of RUNS (default 5).
# Only the include directory is given: no Boost or Eigen path.
#   bench/include_time.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '#include "earlywarn.hpp"' >"$work/umbrella.cpp"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e' "$@" 2>&1 >/dev/null | tail -n 1
  done | median
}
echo "umbrella header, g++ -fsyntax-only: $(timed g++ -std=c++20 -fsyntax-only -Iinclude "$work/umbrella.cpp") s (median of $runs)"
echo "tests/consumer/main.cpp, g++ -O2 -c: $(timed g++ -std=c++20 -O2 -c -Iinclude tests/consumer/main.cpp -o "$work/consumer.o") s (median of $runs)"

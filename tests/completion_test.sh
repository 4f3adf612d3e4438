#!/usr/bin/env bash
# The bash completion (scripts/bash-completion/earlywarn) against the built
# earlywarn: commands, options, option values and files. Usage:
#   completion_test.sh DIRECTORY_OF_EARLYWARN SOURCE_DIR
set -u
PATH="$1:$PATH"
cd "$2" || exit 1
# shellcheck source=/dev/null
source scripts/bash-completion/earlywarn
failures=0
expect() {
  local want=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  _earlywarn
  local got="${COMPREPLY[*]}"
  if [[ $got != "$want" ]]; then
    echo "completing [$*]: expected '$want', got '$got'"
    failures=$((failures + 1))
  fi
}
expect "check run explain signals backtest stream test --help --version" earlywarn ""
expect "backtest" earlywarn ba
expect "--format" earlywarn run --form
expect "csv json" earlywarn signals --format ""
expect "text json" earlywarn explain --format ""
expect "csv jsonl" earlywarn backtest --format ""
expect "week" earlywarn backtest --every w
expect "household" earlywarn run --by ""
expect "" earlywarn run --as-of ""
expect "error" earlywarn stream --unknown-types e
expect "--warnings-as-errors" earlywarn check --w
expect "--junit" earlywarn test --j
expect "rules/housing-early-warning.rules" earlywarn run --rules rules/housing-e
expect "examples/sample-ledger.csv" earlywarn run --rules x --ledger examples/sample-l
expect "--rejects" earlywarn signals --rej
exit $((failures > 0))

"""How long tuning takes on a ledger: a param swept and two values compared.

    PYTHONPATH=build/python /usr/bin/python3 bench/sweep.py \\
        --ledger /tmp/city-outcomes.csv --param settle --values 0d,1m,2m,3m,6m \\
        --outcomes court_filing --horizon 365 --runs 3

Loads the ledger once, then times `earlywarn.sweep` over the values and
`earlywarn.compare` of the first two, each `--runs` times, and prints each
time, the median and the peak memory of the process, then one rule's row per
value of the last sweep. The ruleset is the standard one unless `--rules`
names another.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

import earlywarn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--rules", default="rules/housing-early-warning.rules")
    parser.add_argument("--param", required=True)
    parser.add_argument("--values", required=True, help="comma-separated values")
    parser.add_argument("--outcomes", help="outcome event types, comma-separated")
    parser.add_argument("--horizon", type=int, default=180)
    parser.add_argument("--rule", default="escalate", help="the rule whose rows are printed")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    rules = earlywarn.load_rules(args.rules)
    ledger = earlywarn.Ledger.from_csv(args.ledger, unknown_types="ignore")
    values = args.values.split(",")
    if len(values) < 2:
        parser.error("--values needs two values or more")
    outcomes = args.outcomes.split(",") if args.outcomes else None

    def timed(what, call):
        seconds = []
        result = None
        for _ in range(args.runs):
            start = time.perf_counter()
            result = call()
            seconds.append(time.perf_counter() - start)
        print(f"{what}: median {statistics.median(seconds):.1f} s of "
              f"{', '.join(f'{s:.1f}' for s in seconds)}")
        return result

    table = timed(f"sweep {args.param} over {len(values)} values",
                  lambda: earlywarn.sweep(rules, ledger, args.param, values, outcomes=outcomes,
                                          horizon_days=args.horizon))
    timed(f"compare {args.param}={values[0]} with {values[1]}",
          lambda: earlywarn.compare(rules.with_params(**{args.param: values[0]}),
                                    rules.with_params(**{args.param: values[1]}), ledger,
                                    outcomes=outcomes, horizon_days=args.horizon))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")
    columns = [c for c in ("raises_per_household_year", "mean_open", "recall", "precision",
                           "lead_days_median") if c in table.columns]
    print(table.xs(args.rule, level="rule")[columns].to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())

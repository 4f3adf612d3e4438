"""How much two rulesets' alerts flap over the same history, rule by rule.

    PYTHONPATH=build/python /usr/bin/python3 bench/flapping.py \\
        --ledger /tmp/city.csv --before OLD.rules --after rules/housing-early-warning.rules

For every rule the two have in common: raises per household-year, re-raises
within 30 days of a clear, the open alerts on an average day (the load) and
the median open time, before and after, with the ratio; then, for every
household and rule raised under both, how much later the first raise comes
after (the clauses that hold alerts back must not delay the first warning by
more than their wait). The figures are docs/language.md's back-test
summaries, from the Python package.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

import earlywarn


def first_raises(rules: earlywarn.Ruleset, ledger: earlywarn.Ledger) -> pd.Series:
    alerts = rules.backtest(ledger)
    raised = alerts[alerts["state"] == "raised"]
    return raised.groupby(["household", raised["rule"].astype(str)], observed=True)["date"].min()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--before", required=True, help="rules file before the change")
    parser.add_argument("--after", required=True, help="rules file after the change")
    parser.add_argument("--reraise-days", type=int, default=30)
    args = parser.parse_args()

    ledger = earlywarn.Ledger.from_csv(args.ledger)
    before = earlywarn.load_rules(args.before)
    after = earlywarn.load_rules(args.after)
    a = before.backtest_summary(ledger, reraise_days=args.reraise_days).rules
    b = after.backtest_summary(ledger, reraise_days=args.reraise_days).rules
    rules = [r for r in a.index if r in b.index]

    def ratio(x: float, y: float) -> str:
        return f"{x / y:5.1f}x" if y else "  n/a"

    print(f"{before.name} v{before.version} -> {after.name} v{after.version}, "
          f"{a.attrs['start']} to {a.attrs['end']}, {a.attrs['household_years']:,.0f} household-years")
    print(f"{'rule':18s} {'raises/household-year':>28s} {'re-raises within %dd' % args.reraise_days:>28s}"
          f" {'open on an average day':>26s} {'median days open':>17s}")
    for r in rules:
        x, y = a.loc[r], b.loc[r]
        print(
            f"{r:18s} {x.raises_per_household_year:7.3f} -> {y.raises_per_household_year:6.3f}"
            f" {ratio(x.raises_per_household_year, y.raises_per_household_year)}"
            f" {int(x.reraises):9,d} -> {int(y.reraises):8,d} {ratio(x.reraises, y.reraises)}"
            f" {x.mean_open:8,.0f} -> {y.mean_open:7,.0f}"
            f" {x.median_open_days:6.0f} -> {y.median_open_days:4.0f}"
        )
    total = {k: (int(a.loc[rules, k].sum()), int(b.loc[rules, k].sum())) for k in ("raises", "reraises")}
    print(f"{'all rules':18s} raises {total['raises'][0]:,} -> {total['raises'][1]:,}"
          f" ({ratio(*total['raises']).strip()}), re-raises {total['reraises'][0]:,} ->"
          f" {total['reraises'][1]:,} ({ratio(*total['reraises']).strip()})")

    first_a, first_b = first_raises(before, ledger), first_raises(after, ledger)
    both = pd.concat([first_a.rename("before"), first_b.rename("after")], axis=1).dropna()
    delay = (both["after"] - both["before"]).dt.days
    print(f"first raises of {len(both):,} household-rule pairs raised under both: "
          f"{int((delay == 0).sum()):,} on the same day, {int((delay > 0).sum()):,} later "
          f"(at most {int(delay.max()) if len(delay) else 0} days), "
          f"{int((delay < 0).sum()):,} earlier; raised under one only: "
          f"{len(first_a) - len(both):,} before, {len(first_b) - len(both):,} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())

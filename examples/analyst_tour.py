"""An analyst's tour of earlywarn: a ledger, the worklist, a threshold tried,
history replayed, and one household's story as a picture.

    /usr/bin/python3 examples/analyst_tour.py [OUTPUT_DIR]

Pictures go to OUTPUT_DIR (default: a new temporary directory). Run from
anywhere; the sample ledger and rules are found beside this file.
"""

import pathlib
import sys
import tempfile

import earlywarn

HERE = pathlib.Path(__file__).resolve().parent
SAMPLE = HERE / "sample-ledger.csv"
RULES = HERE.parent / "rules" / "housing-early-warning.rules"


def main(output: pathlib.Path) -> None:
    # 1. Load the ledger: 300 households over three years.
    ledger = earlywarn.Ledger.from_csv(SAMPLE)
    print(ledger)
    frame = ledger.to_frame()  # a DataFrame: household, date, type, amount
    print(frame.groupby("type", observed=True)["amount"].agg(["count", "sum"]).round(2), "\n")

    # 2. Who needs a call today, and why.
    rules = earlywarn.load_rules(RULES)
    worklist = rules.evaluate(ledger)
    print(f"Worklist as of {worklist.attrs['as_of']}: {len(worklist)} rows, "
          f"{worklist['household'].nunique()} households")
    print(worklist.head(5).to_string(index=False), "\n")
    top = worklist["household"].iloc[0]
    why = rules.explain(ledger, top)
    print(f"{top}: fired {', '.join(why.fired)}; arrears {why.signals['arrears']}, "
          f"{why.signals['arrears_days']} days\n")

    # 3. Try a longer grace period and compare how many households each rule flags.
    relaxed = rules.with_params(grace_days=30)
    compare = (
        worklist.groupby("rule", observed=False)["household"].nunique().to_frame("grace 15 days")
        .join(relaxed.evaluate(ledger).groupby("rule", observed=False)["household"].nunique()
              .rename("grace 30 days"))
    )
    compare["change"] = compare["grace 30 days"] - compare["grace 15 days"]
    print(compare, "\n")

    # 4. Replay history: which alerts would have been raised and cleared, week by week.
    alerts = rules.backtest(ledger, every="week")
    print(f"Back-test {alerts.attrs['start']} .. {alerts.attrs['end']}: "
          f"{(alerts['state'] == 'raised').sum()} raised, {(alerts['state'] == 'cleared').sum()} cleared")
    per_month = earlywarn.flags_per_month(alerts)
    print(per_month.tail(6), "\n")

    # 5. Pictures: one household's story, and the flags per month.
    output.mkdir(parents=True, exist_ok=True)
    story = earlywarn.plot.household(ledger, top, rules)
    story.savefig(output / "household.png", dpi=110)
    earlywarn.plot.backtest(alerts).savefig(output / "backtest.png", dpi=110)
    print(f"Pictures: {output / 'household.png'}, {output / 'backtest.png'}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(tempfile.mkdtemp()))

"""Remakes the README's picture, docs/household.png, with the package:

    PYTHONPATH=build/python /usr/bin/python3 docs/make_figures.py

(or with the package installed). The household is the top of the sample
ledger's worklist.
"""

import pathlib

import earlywarn

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> None:
    ledger = earlywarn.Ledger.from_csv(ROOT / "examples" / "sample-ledger.csv")
    rules = earlywarn.load_rules(ROOT / "rules" / "housing-early-warning.rules")
    top = rules.evaluate(ledger)["household"].iloc[0]
    figure = earlywarn.plot.household(ledger, top, rules)
    # No timestamps in the file: the same inputs make the same bytes.
    figure.savefig(ROOT / "docs" / "household.png", dpi=90, metadata={"Software": None})
    print(f"docs/household.png: household {top}")


if __name__ == "__main__":
    main()

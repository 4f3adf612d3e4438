"""Python gives the CLI's answers on random rulesets over the whole language.

The cases are those of the C++ property tests (tests/random_ruleset.hpp),
written to files by build/tests/random_case (rules, ledger and household
attributes): the worklist as of several days, the day-by-day back-test and
the stream must equal `earlywarn run`, `earlywarn backtest` and `earlywarn
stream` on the same files, the attributes given to both (`attributes=`,
`--attributes`).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import warnings

import pandas as pd

import earlywarn
from conftest import cli_path, csv_rows, run_cli

SEEDS = range(1, 31)


def random_case_path() -> pathlib.Path:
    path = pathlib.Path(
        os.environ.get("EARLYWARN_RANDOM_CASE", cli_path().parent / "tests" / "random_case")
    )
    if not path.is_file():
        raise RuntimeError(f"random_case is not built at {path}; run scripts/test")
    return path


def draw(seed: int, directory: pathlib.Path):
    rules, ledger = directory / f"random-{seed}.rules", directory / f"random-{seed}.csv"
    attributes = directory / f"random-{seed}-attributes.csv"
    subprocess.run(
        [str(random_case_path()), str(seed), str(rules), str(ledger), str(attributes)], check=True
    )
    return rules, ledger, attributes


def in_date_order(ledger: pathlib.Path, directory: pathlib.Path) -> pathlib.Path:
    """The ledger's rows by date (stable), as a stream needs them."""
    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    frame = frame.sort_values("date", kind="stable")
    path = directory / (ledger.stem + "-by-date.csv")
    frame.to_csv(path, index=False)
    return path


def test_python_gives_the_cli_answers_on_random_rulesets(tmp_path):
    raised = 0
    read_attributes = 0  # cases whose back-test the attributes change
    for seed in SEEDS:
        rules_path, ledger_path, attributes_path = draw(seed, tmp_path)
        quiet = ("--unknown-types", "ignore", "--attributes", attributes_path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", earlywarn.UnknownEventTypeWarning)
            rules = earlywarn.load_rules(rules_path)
            ledger = earlywarn.Ledger.from_csv(ledger_path, attributes=attributes_path)
            first, last = ledger.first_date, ledger.last_date
            for as_of in (first, first + (last - first) / 2, last):
                day = as_of.isoformat()
                frame = rules.evaluate(ledger, day)
                rows = csv_rows(run_cli("run", "--rules", rules_path, "--ledger", ledger_path,
                                        "--as-of", day, *quiet))
                assert len(frame) == len(rows) - 1, (seed, day)
                for cli, mine in zip(rows[1:], frame.itertuples(index=False)):
                    assert [mine.household, mine.rule, mine.severity] == cli[:3], (seed, day)
                    assert mine.message == cli[4], (seed, day)
                    if cli[3] == "":
                        assert pd.isna(mine.score), (seed, day)
                    else:
                        assert abs(float(cli[3]) - mine.score) <= 0.005 + 1e-12 * abs(mine.score)

            history = rules.backtest(ledger)
            args = ("backtest", "--rules", rules_path, "--ledger", ledger_path, *quiet)
            assert history.to_csv(index=False, date_format="%Y-%m-%d") == run_cli(*args), seed
            raised += int((history["state"] == "raised").sum())
            read_attributes += not history.equals(
                rules.backtest(earlywarn.Ledger.from_csv(ledger_path))
            )

            by_date = in_date_order(ledger_path, tmp_path)
            stream = earlywarn.Stream(rules)
            stream.set_attributes(attributes_path)  # before the first row, as the CLI sets them
            alerts = stream.push_frame(pd.read_csv(by_date, dtype=str, keep_default_na=False))
            alerts += stream.finish()
            cli = [json.loads(line) for line in run_cli(
                "stream", "--rules", rules_path, "--input", by_date, *quiet).splitlines()]
            mine = [[a.date.isoformat(), a.household, a.rule, a.severity, a.state, a.message]
                    for a in alerts]
            assert mine == [[c["date"], c["household"], c["rule"], c["severity"], c["state"],
                             c["message"]] for c in cli], seed
    # Agreement on nothing must not pass: the drawn rulesets raise alerts,
    # and in some cases they raise others for the attributes.
    assert raised >= 5 * len(SEEDS), raised
    assert read_attributes >= len(SEEDS) // 6, read_attributes


def test_random_case_still_writes_rules_and_ledger_alone(tmp_path):
    rules, ledger = tmp_path / "r.rules", tmp_path / "l.csv"
    subprocess.run([str(random_case_path()), "7", str(rules), str(ledger)], check=True)
    with_attributes = tmp_path / "with"
    with_attributes.mkdir()
    rules_too, ledger_too, attributes = draw(7, with_attributes)
    # The same case either way: the attributes file is written besides, not drawn instead.
    assert rules.read_bytes() == rules_too.read_bytes()
    assert ledger.read_bytes() == ledger_too.read_bytes()
    assert attributes.read_text().startswith("household,")

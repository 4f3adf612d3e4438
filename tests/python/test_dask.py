"""earlywarn.dask: a ledger partitioned by household over Dask workers (a
LocalCluster of two worker processes, so every task and result is really
pickled) gives exactly the worklist and signals of one process."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal

import earlywarn
import earlywarn.dask as ewd
from conftest import RULES, SAMPLE, ROOT, cli_path

# distributed 2022.12 with tornado 6.2 starts its event loop the old way.
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")

DATES = ["2022-03-10", "2023-06-15", "2024-02-29", "2024-12-31"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        local_directory=str(tmp_path_factory.mktemp("dask-workers")),
    ) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A generated ledger ten times the sample's size (3,000 households)."""
    path = tmp_path_factory.mktemp("city") / "city.csv"
    generator = cli_path().parent / "bench" / "generate_ledger"
    subprocess.run(
        [str(generator), "--households", "3000", "--years", "3", "--seed", "11",
         "--output", str(path)],
        check=True, timeout=120,
    )
    return path


def households_per_partition(parts):
    """The set of household ids in each partition, computed on the workers."""
    return [set(p.household) for p in dd.compute(*parts.frame.to_delayed())]


def row_set(worklist):
    """The rows as a set, whatever their order."""
    return set(zip(worklist.household, worklist.rule.astype(str), worklist.message))


def naive_row_split(frame, rules, as_of, chunks):
    """What one gets by evaluating row chunks as they come, without moving
    each household's events together, merged in worklist order."""
    pieces = np.array_split(np.arange(len(frame)), chunks)
    return pd.concat(
        [rules.evaluate(earlywarn.Ledger.from_frame(frame.iloc[p]), as_of) for p in pieces],
        ignore_index=True,
    )


def test_the_workers_are_other_processes_importing_the_package_under_test(client):
    files = client.run(lambda: __import__("earlywarn").__file__)
    pids = client.run(os.getpid)
    assert len(files) == 2 and set(files.values()) == {earlywarn.__file__}
    assert os.getpid() not in pids.values()


@pytest.mark.parametrize("as_of", DATES)
def test_the_sample_over_two_workers_equals_one_process(client, rules, ledger, as_of):
    source = ewd.read_ledger(SAMPLE, blocksize=150_000)
    assert source.npartitions > 2
    expected = rules.evaluate(ledger, as_of)
    got = ewd.evaluate(source, RULES, as_of, npartitions=3)
    assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs
    assert len(got) > 0


def test_params_and_grouping_by_household_equal_one_process(client, ledger):
    params = {"grace_days": 20, "minimum_arrears": 0}
    rules = earlywarn.load_rules(RULES, params)
    got = ewd.evaluate(str(SAMPLE), RULES, "2023-06-15", params=params, npartitions=4)
    assert_frame_equal(got, rules.evaluate(ledger, "2023-06-15"), check_exact=True)
    got = ewd.evaluate(str(SAMPLE), rules, "2023-06-15", by="household", npartitions=4)
    assert_frame_equal(got, rules.evaluate(ledger, "2023-06-15", by="household"), check_exact=True)


def test_a_generated_city_over_two_workers_equals_one_process(client, rules, city):
    ledger = earlywarn.Ledger.from_csv(city)
    parts = ewd.partition_by_household(ewd.read_ledger(city, blocksize=1_000_000), 5).persist()
    seen = households_per_partition(parts)
    # Every household in exactly one partition.
    assert sum(len(s) for s in seen) == len(set().union(*seen)) == ledger.household_count
    for as_of in ("2022-09-30", "2024-12-31"):
        assert_frame_equal(ewd.evaluate(parts, rules, as_of), rules.evaluate(ledger, as_of),
                           check_exact=True)
    assert_frame_equal(ewd.signals(parts, "2023-05-01"), ledger.signals("2023-05-01"),
                       check_exact=True)
    # The default date is the whole ledger's last date, not each partition's.
    assert_frame_equal(ewd.evaluate(parts, rules), rules.evaluate(ledger), check_exact=True)


def test_evaluating_rows_as_they_come_would_be_wrong(client, rules, ledger):
    """The check above can fail: on the sample (rows in date order) row chunks
    split every household, and their worklist differs from the true one."""
    frame = ledger.to_frame().sort_values("date", kind="stable").reset_index(drop=True)
    expected = rules.evaluate(ledger, "2024-06-30")
    naive = naive_row_split(frame, rules, "2024-06-30", 4)
    assert row_set(naive) != row_set(expected)
    assert row_set(ewd.evaluate(frame, rules, "2024-06-30", npartitions=4)) == row_set(expected)
    # Declared as partitioned by household when it is not: the merge notices
    # the same household and rule coming from two partitions.
    unshuffled = ewd.HouseholdPartitions(dd.from_pandas(frame, npartitions=4, sort=False))
    with pytest.raises(RuntimeError, match="split over several partitions"):
        ewd.evaluate(unshuffled, rules, "2024-06-30")


def tricky_ledger():
    """Households that differ only in their ids (so the order across
    partitions is decided by the id alone), ids whose code point order is
    not their letters' (bytewise UTF-8), one household starting after the
    others and one ending later, and a neutral event type."""
    one = pd.DataFrame(
        {
            "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-03-05", "2024-04-01",
                     "2024-05-01"],
            "type": ["charge", "charge", "charge", "letter", "charge", "charge"],
            "amount": ["9000.00", "9000.00", "9000.00", "", "9000.00", "9000.50"],
        }
    )
    ids = ["HH0001", "HH0002", "hh0003", "Žofie-12", "Zofie-12", "Émile 7", "E,mile", "HH0010"]
    frames = [one.assign(household=h) for h in ids]
    frames.append(one.iloc[3:].assign(household="HH-late"))      # starts in March
    frames.append(pd.DataFrame({"household": ["HH-after"], "date": ["2024-08-01"],
                                "type": ["charge"], "amount": ["100"]}))
    frame = pd.concat(frames, ignore_index=True)
    return frame[["household", "date", "type", "amount"]]


@pytest.mark.parametrize(
    "npartitions, as_of",
    [(1, "2024-05-20"), (2, "2024-02-15"), (3, None), (16, "2024-05-20"), (16, None)],
)
def test_tricky_households_equal_one_process(client, rules, npartitions, as_of):
    frame = tricky_ledger()
    ledger = earlywarn.Ledger.from_frame(frame)
    source = dd.from_pandas(frame, npartitions=3, sort=False)
    parts = ewd.partition_by_household(source, npartitions)
    seen = households_per_partition(parts)
    assert len(set().union(*seen)) == ledger.household_count == sum(len(s) for s in seen)
    if npartitions == 16:  # more partitions than households: some hold none
        assert any(not s for s in seen)
    if npartitions in (2, 3):  # several households share a partition
        assert any(len(s) > 1 for s in seen)
    expected = rules.evaluate(ledger, as_of)
    assert len(expected) > 0
    assert_frame_equal(ewd.evaluate(parts, rules, as_of), expected, check_exact=True)
    assert_frame_equal(ewd.evaluate(parts, rules, as_of, by="household"),
                       rules.evaluate(ledger, as_of, by="household"), check_exact=True)


ORDER_RULES = """ruleset "worklist-order" version 1
# Names out of file order, ties on severity and score, a negative score, a
# score of zero and scores with no value: everything that decides the order.
rule zeta { when balance > 0  severity medium  score 1  message "zeta {balance}" }
rule alpha { when balance > 0  severity medium  score 1 }
rule negative { when balance > 0  severity low  score 0 - balance }
rule unpaid { when balance > 0  severity low  score last(payment) - balance }
rule zero { when balance > 0  severity low }
rule third { when balance > 0  severity high  score balance / 3 }
"""


@pytest.mark.parametrize("npartitions", [3, 16])
def test_every_tie_breaker_of_the_worklist_order_survives_the_merge(client, npartitions):
    rules = earlywarn.load_rules(ORDER_RULES)
    frame = tricky_ledger()
    ledger = earlywarn.Ledger.from_frame(frame)
    expected = rules.evaluate(ledger, "2024-05-20")
    assert expected.score.isna().any() and (expected.score < 0).any()
    assert (expected.score == 0).any()
    got = ewd.evaluate(frame, ORDER_RULES, "2024-05-20", npartitions=npartitions)
    assert_frame_equal(got, expected, check_exact=True)
    assert_frame_equal(ewd.evaluate(frame, rules, "2024-05-20", by="household",
                                    npartitions=npartitions),
                       rules.evaluate(ledger, "2024-05-20", by="household"), check_exact=True)


def test_all_households_in_one_partition_and_the_others_empty(client, rules):
    """Ids picked to hash to one partition of four (as Dask's shuffle hashes
    them): three partitions are empty and the fourth holds everything."""
    frame = tricky_ledger()
    one = frame[frame.household == "HH0001"].drop(columns="household")
    candidates = pd.DataFrame({"household": [f"HH{i:04d}" for i in range(200)]})
    target = pd.util.hash_pandas_object(candidates, index=False).to_numpy() % 4
    chosen = candidates.household[target == target[0]].tolist()[:6]
    frame = pd.concat([one.assign(household=h) for h in chosen], ignore_index=True)
    ledger = earlywarn.Ledger.from_frame(frame)
    parts = ewd.partition_by_household(dd.from_pandas(frame, npartitions=2), 4)
    seen = households_per_partition(parts)
    assert sorted(len(s) for s in seen) == [0, 0, 0, 6]
    assert_frame_equal(ewd.evaluate(parts, rules, "2024-05-20"),
                       rules.evaluate(ledger, "2024-05-20"), check_exact=True)


def test_a_pandas_frame_and_an_empty_ledger(client, rules):
    frame = tricky_ledger()
    assert_frame_equal(ewd.evaluate(frame, rules, "2024-05-20", npartitions=3),
                       rules.evaluate(earlywarn.Ledger.from_frame(frame), "2024-05-20"),
                       check_exact=True)
    empty = frame.iloc[:0]
    got = ewd.evaluate(empty, rules, "2024-05-20")
    assert_frame_equal(got, rules.evaluate(earlywarn.Ledger.from_frame(empty), "2024-05-20"))
    with pytest.raises(ValueError, match="the ledger is empty; give as_of"):
        ewd.evaluate(empty, rules)


def test_a_bad_row_names_its_partition_and_column_as_one_process_does(client, rules):
    """Rows are checked in the blocks they were read in, before the shuffle:
    the error names that block, the row's position in it and its label."""
    frame = tricky_ledger()
    frame.loc[frame.index[17], "amount"] = "12.345"
    with pytest.raises(earlywarn.LedgerError) as alone:
        earlywarn.Ledger.from_frame(frame)
    source = dd.from_pandas(frame, npartitions=3, sort=False)
    blocks = [list(b.index) for b in dd.compute(*source.to_delayed())]
    block = next(i for i, labels in enumerate(blocks) if 17 in labels)
    with pytest.raises(earlywarn.LedgerError) as spread:
        ewd.evaluate(source, rules, "2024-05-20")
    e = spread.value
    assert (e.reason, e.field, e.index) == (alone.value.reason, "amount", 17)
    assert (e.partition, e.row) == (block, blocks[block].index(17))
    assert str(e) == f"partition {block}, row {e.row} (index 17), column 'amount': {e.reason}"


def test_rules_errors_and_misuse_reach_the_caller_before_any_work():
    with pytest.raises(earlywarn.RulesError, match="arears"):
        ewd.evaluate(tricky_ledger(), "rule r {\n  when arears > 0\n}\n", "2024-05-20")
    with pytest.raises(KeyError, match="'amount'"):
        ewd.evaluate(tricky_ledger().drop(columns="amount"), RULES, "2024-05-20")
    with pytest.raises(TypeError, match="not int"):
        ewd.evaluate(42, RULES, "2024-05-20")
    with pytest.raises(ValueError, match="by is None or 'household'"):
        ewd.evaluate(tricky_ledger(), RULES, "2024-05-20", by="rule")
    parts = ewd.partition_by_household(tricky_ledger(), 2)
    assert ewd.partition_by_household(parts) is parts
    with pytest.raises(ValueError, match="already in 2 household partitions"):
        ewd.evaluate(parts, RULES, "2024-05-20", npartitions=3)
    with pytest.raises(ValueError, match="at least 1"):
        ewd.partition_by_household(tricky_ledger(), 0)


def test_the_example_script_runs_on_a_local_cluster(tmp_path):
    # Run from elsewhere, with the package under test (and its workers too).
    package = pathlib.Path(earlywarn.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "dask_worklist.py")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "218 rows, 69 households" in done.stdout
    assert "identical to one process: True" in done.stdout

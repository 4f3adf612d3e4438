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
    assert "259 rows, 69 households" in done.stdout
    assert "identical to one process: True" in done.stdout


# -- event codes ------------------------------------------------------------------

CODE_RULES = """ruleset "codes" version 1
event court_outcome neutral
event letter neutral
rule suspended {
  when code(court_outcome) == "suspended_order"
  severity high
  message "order {code(court_outcome)}, balance {balance}"
}
rule final_letter {
  when count(letter("final"), 1y) >= 1
  severity medium
  score count(letter("final"), 1y)
}
rule adjourned { when count(court_outcome("adjourned"), 1y) >= 1 }
rule uncoded { when balance > 0 and missing(code(letter))  severity low  score balance }
"""


def coded_ledger(households=40, seed=3):
    """Monthly rent and payments; three households in four also get letters
    and court outcomes, most with codes (some without), on days of their own."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(households):
        h = f"H{i:03d}"
        for m in range(1, 13):
            rows.append((h, f"2023-{m:02d}-01", "charge", "500.00", None))
            if rng.random() < 0.7:
                rows.append((h, f"2023-{m:02d}-03", "payment", "500.00", None))
        if i % 4 == 0:
            continue
        for _ in range(rng.integers(1, 5)):
            kind = rng.choice(["letter", "court_outcome"])
            codes = (["final", "first", ""] if kind == "letter"
                     else ["suspended_order", "adjourned", "outright_order", ""])
            day = f"2023-{rng.integers(1, 13):02d}-{rng.integers(5, 28):02d}"
            rows.append((h, day, str(kind), "", str(rng.choice(codes)) or None))
    return pd.DataFrame(rows, columns=["household", "date", "type", "amount", "code"])


def partitions_of(parts):
    return list(dd.compute(*parts.frame.to_delayed()))


def test_the_coded_ledger_needs_its_codes():
    """Without its codes the ledger gives another worklist: equal results
    below mean the codes travelled."""
    frame = coded_ledger()
    rules = earlywarn.load_rules(CODE_RULES)
    ledger = earlywarn.Ledger.from_frame(frame)
    assert sorted(ledger.codes) == ["adjourned", "final", "first", "outright_order",
                                    "suspended_order"]
    expected = rules.evaluate(ledger, "2023-12-31")
    assert {"suspended", "final_letter", "adjourned", "uncoded"} <= set(expected.rule)
    without = rules.evaluate(earlywarn.Ledger.from_frame(frame.drop(columns="code")),
                             "2023-12-31")
    assert row_set(without) != row_set(expected)


@pytest.mark.parametrize("npartitions, as_of", [(1, "2023-12-31"), (3, "2023-07-15"),
                                                (16, "2023-12-31"), (16, None)])
def test_codes_travel_from_a_dask_frame_and_equal_one_process(client, npartitions, as_of):
    frame = coded_ledger()
    rules = earlywarn.load_rules(CODE_RULES)
    ledger = earlywarn.Ledger.from_frame(frame)
    parts = ewd.partition_by_household(dd.from_pandas(frame, npartitions=3, sort=False),
                                       npartitions)
    assert list(parts.frame.columns) == ["household", "date", "type", "amount", "code"]
    assert isinstance(parts.frame.dtypes["code"], pd.CategoricalDtype)
    assert not parts.frame["code"].cat.known
    pieces = partitions_of(parts)
    assert all(list(p.columns) == list(parts.frame.columns) for p in pieces)
    assert sum(int(p.code.notna().sum()) for p in pieces) == int(
        frame.code.fillna("").ne("").sum())
    if npartitions == 16:  # some partitions hold events but no code at all
        assert any(len(p) and p.code.isna().all() for p in pieces)
    assert_frame_equal(ewd.evaluate(parts, rules, as_of), rules.evaluate(ledger, as_of),
                       check_exact=True)
    assert_frame_equal(ewd.evaluate(parts, CODE_RULES, as_of, by="household"),
                       rules.evaluate(ledger, as_of, by="household"), check_exact=True)
    day = as_of or "2023-12-31"
    assert_frame_equal(ewd.signals(parts, day, rules=rules),
                       rules.signals(ledger, day), check_exact=True)


def test_codes_travel_from_a_pandas_frame(client):
    frame = coded_ledger(households=12, seed=5)
    # Codes as categories, with NaN and empty text for none.
    frame["code"] = frame["code"].fillna("").astype("category")
    frame.loc[frame.index[::7], "code"] = np.nan
    rules = earlywarn.load_rules(CODE_RULES)
    expected = rules.evaluate(earlywarn.Ledger.from_frame(frame), "2023-12-31")
    assert_frame_equal(ewd.evaluate(frame, rules, "2023-12-31", npartitions=4), expected,
                       check_exact=True)


def write_ledger_csv(path, frame, note=True):
    """The frame as a ledger CSV file, with a column of notes between the
    amount and the code (codes may be anywhere after the first four)."""
    out = frame.fillna("")
    if note:
        out.insert(4, "note", "n")
    out.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("blocksize", [2_000, None])
def test_codes_travel_from_csv_files_and_equal_one_process(client, tmp_path, blocksize):
    frame = coded_ledger()
    rules = earlywarn.load_rules(CODE_RULES)
    # Two files with the same header, each household in one of them.
    first = frame.household < "H020"
    (tmp_path / "parts").mkdir()
    write_ledger_csv(tmp_path / "parts" / "a.csv", frame[first])
    write_ledger_csv(tmp_path / "parts" / "b.csv", frame[~first])
    one = write_ledger_csv(tmp_path / "whole.csv", frame)
    source = ewd.read_ledger(str(tmp_path / "parts" / "*.csv"), blocksize=blocksize)
    assert list(source.columns) == ["household", "date", "type", "amount", "code"]
    assert source.npartitions == 2 if blocksize is None else source.npartitions > 10
    ledger = earlywarn.Ledger.from_csv(one)
    for as_of in ("2023-07-15", None):
        assert_frame_equal(ewd.evaluate(source, rules, as_of, npartitions=5),
                           rules.evaluate(ledger, as_of), check_exact=True)
    if blocksize is None:  # one file per partition, each household in one file
        assert_frame_equal(ewd.evaluate(ewd.HouseholdPartitions(source), rules, "2023-12-31"),
                           rules.evaluate(ledger, "2023-12-31"), check_exact=True)


def test_a_ledger_without_codes_reads_and_shuffles_as_before(client, tmp_path, rules, ledger):
    source = ewd.read_ledger(SAMPLE)
    assert list(source.columns) == ["household", "date", "type", "amount"]
    assert (source.dtypes == object).all()
    parts = ewd.partition_by_household(source, 2)
    assert list(parts.frame.columns) == ["household", "date", "type", "amount"]
    assert [str(t) for t in parts.frame.dtypes] == ["object", "datetime64[ns]", "category",
                                                    "float64"]
    # A column of codes that are all empty: no codes, the same worklist.
    frame = ledger.to_frame().assign(code="")
    path = write_ledger_csv(tmp_path / "empty-codes.csv", frame, note=False)
    assert earlywarn.Ledger.from_csv(path).codes == []
    assert_frame_equal(ewd.evaluate(ewd.read_ledger(path, blocksize=100_000), rules,
                                    "2024-06-30", npartitions=3),
                       rules.evaluate(ledger, "2024-06-30"), check_exact=True)


def test_files_with_and_without_codes_are_refused_together_and_join_with_concat(
        client, tmp_path):
    frame = coded_ledger()
    rules = earlywarn.load_rules(CODE_RULES)
    first = frame.household < "H020"
    a = write_ledger_csv(tmp_path / "a.csv", frame[first])
    b = write_ledger_csv(tmp_path / "b.csv", frame[~first].drop(columns="code"))
    # Either file first: the codes are neither dropped nor read from another column.
    for paths, other in (([a, b], b), ([b, a], a)):
        # In blocks: the headers are compared before anything is read.
        with pytest.raises(earlywarn.LedgerError, match="differs from the first file's") as e:
            ewd.read_ledger(paths, blocksize=2_000)
        assert e.value.file == str(other)
        # A file a block: each is read with its own header, and the one
        # without the first file's columns fails.
        source = ewd.read_ledger(paths, blocksize=None)
        with pytest.raises(earlywarn.LedgerError, match="the file's header has the columns") as e:
            ewd.evaluate(source, rules, "2023-12-31")
        assert e.value.partition == 1
    # Other columns may differ between files read one block each.
    c = write_ledger_csv(tmp_path / "c.csv", frame[~first], note=False)
    source = ewd.read_ledger([a, c], blocksize=None)
    ledger = earlywarn.Ledger.from_frame(frame)
    assert_frame_equal(ewd.evaluate(source, rules, "2023-12-31"),
                       rules.evaluate(ledger, "2023-12-31"), check_exact=True)
    joined = dd.concat([ewd.read_ledger(a, blocksize=2_000), ewd.read_ledger(b, blocksize=2_000)])
    expected = rules.evaluate(
        earlywarn.Ledger.from_frame(pd.concat([frame[first], frame[~first].assign(code=None)])),
        "2023-12-31")
    assert_frame_equal(ewd.evaluate(joined, rules, "2023-12-31", npartitions=4), expected,
                       check_exact=True)


def test_two_code_columns_a_shifted_row_and_a_bad_code_are_refused_as_in_one_process(
        client, tmp_path):
    frame = coded_ledger(households=8)
    rules = earlywarn.load_rules(CODE_RULES)
    two = tmp_path / "two.csv"
    frame.fillna("").assign(code2="final").rename(columns={"code2": "code"}).to_csv(
        two, index=False)
    with pytest.raises(earlywarn.LedgerError, match="two columns 'code'"):
        earlywarn.Ledger.from_csv(two)
    with pytest.raises(earlywarn.LedgerError, match="two columns 'code'"):
        ewd.read_ledger(two)
    # Only a later file names two: refused when it is read.
    one = write_ledger_csv(tmp_path / "one.csv", frame, note=False)
    with pytest.raises(earlywarn.LedgerError, match="two columns 'code'"):
        ewd.evaluate(ewd.read_ledger([one, two], blocksize=None), rules, "2023-12-31")
    # A first row with one field more, which pandas would read shifted.
    shifted = tmp_path / "shifted.csv"
    shifted.write_text("household,date,type,amount,code\n"
                       "A,2023-01-01,charge,1.00,final,extra\nA,2023-02-01,charge,1.00,\n")
    with pytest.raises(earlywarn.LedgerError, match="expected 5 columns as in the header"):
        earlywarn.Ledger.from_csv(shifted)
    with pytest.raises(earlywarn.LedgerError, match="more fields than the header") as e:
        ewd.evaluate(ewd.read_ledger(shifted), rules, "2023-12-31")
    assert e.value.partition == 0
    # A code the CSV loader refuses: its block, row, label and column.
    bad = frame.copy()
    bad.loc[bad.index[30], "code"] = " lead"
    with pytest.raises(earlywarn.LedgerError) as alone:
        earlywarn.Ledger.from_frame(bad)
    with pytest.raises(earlywarn.LedgerError) as spread:
        ewd.evaluate(dd.from_pandas(bad, npartitions=1), rules, "2023-12-31")
    e = spread.value
    assert (e.reason, e.field, e.index, e.partition, e.row) == (
        alone.value.reason, "code", bad.index[30], 0, 30)


ATTRIBUTE_RULES = """
attribute weekly_rent money
attribute vulnerable flag
attribute tenancy text
rule two_weeks_behind { when arrears >= 2 * weekly_rent  message "rent {weekly_rent}, {tenancy}" }
rule vulnerable_in_arrears { when vulnerable and arrears > 0  severity high }
"""


def sample_attributes(ledger, seed=3):
    """Attributes for most of the sample's households, some values missing,
    and a household the ledger does not hold."""
    rng = np.random.default_rng(seed)
    ids = [h for h in ledger.households if rng.random() < 0.8] + ["NOT-IN-LEDGER"]
    return pd.DataFrame({
        "household": ids,
        "weekly_rent": np.where(rng.random(len(ids)) < 0.1, np.nan,
                                rng.integers(50, 400, len(ids)) + 0.5),
        "vulnerable": rng.choice(["yes", "no", ""], len(ids)),
        "tenancy": rng.choice(["secure", "flexible", None], len(ids)),
    })


@pytest.mark.filterwarnings("ignore::earlywarn.UnknownEventTypeWarning")
def test_attributes_travel_to_the_workers_and_equal_one_process(client, ledger, tmp_path):
    rules = earlywarn.load_rules(ATTRIBUTE_RULES)
    attributes = sample_attributes(ledger)
    given = ledger.with_attributes(attributes)
    as_of = "2023-06-15"
    expected = rules.evaluate(given, as_of)
    # The attributes decide: without them the worklist is another.
    assert len(expected) > len(rules.evaluate(ledger, as_of))
    got = ewd.evaluate(str(SAMPLE), rules, as_of, npartitions=3, attributes=attributes)
    assert_frame_equal(got, expected, check_exact=True)
    path = tmp_path / "attributes.csv"
    attributes.to_csv(path, index=False)
    got = ewd.evaluate(str(SAMPLE), ATTRIBUTE_RULES, as_of, by="household", npartitions=4,
                       attributes=path)
    assert_frame_equal(got, rules.evaluate(given, as_of, by="household"), check_exact=True)


def test_a_bad_attribute_value_reaches_the_caller_from_a_worker(client, ledger):
    attributes = sample_attributes(ledger)
    attributes.loc[5, "weekly_rent"] = "95,50"
    with pytest.raises(earlywarn.AttributeValueError) as caught:
        ewd.evaluate(str(SAMPLE), ATTRIBUTE_RULES, "2023-06-15", npartitions=3,
                     attributes=attributes)
    e = caught.value
    assert (e.household, e.attribute, e.text) == (attributes.household[5], "weekly_rent", "95,50")
    # A malformed frame is refused on the caller's machine, before any work.
    twice = pd.concat([attributes, attributes.iloc[:1]], ignore_index=True)
    with pytest.raises(earlywarn.LedgerError, match="given twice"):
        ewd.evaluate(str(SAMPLE), ATTRIBUTE_RULES, "2023-06-15", attributes=twice)

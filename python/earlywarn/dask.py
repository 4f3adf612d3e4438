"""Worklists and signals of a ledger spread over Dask workers.

A ledger too big for one machine is read as a Dask DataFrame, shuffled so
that every household's events land in exactly one partition, and each
partition is evaluated on a worker with the same engine as
:meth:`earlywarn.Ruleset.evaluate`. Every household's result depends on its
own events only, so the merged worklist is the one a single process gives:
the same rows, scores and messages, in worklist order (docs/language.md, Outputs).

>>> from dask.distributed import Client
>>> import earlywarn.dask
>>> client = Client("tcp://scheduler:8786")          # or a LocalCluster
>>> worklist = earlywarn.dask.evaluate(
...     "/shared/ledger/*.csv", "rules/housing-early-warning.rules", as_of="2024-06-30")

Event codes (the optional column ``code``) travel with their events: a
ledger with codes gives through Dask the worklist it gives in one process.
Household attributes (``evaluate(..., attributes=...)``) are read on the
caller's machine and sent once to each worker, where each partition takes
those of its own households.

What travels: each worker receives the rules text and params, and ledger
rows (household ids included) move between workers in the shuffle; the
worklist comes back to the caller. earlywarn logs nothing, but Dask's
workers log a failed task's arguments: see ``docs/dask.md``.

Needs ``dask[dataframe]`` and, for a cluster, ``distributed``; this module is
imported on first use of ``earlywarn.dask``, so the rest of the package does
not need them.
"""

from __future__ import annotations

import functools
import os
import warnings
from typing import Any, Callable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
from dask.dataframe.core import DataFrame as DaskFrame
from dask.dataframe.io.csv import read_csv
from dask.dataframe.io.io import from_pandas
from dask.dataframe.utils import clear_known_categories
from dask.delayed import delayed
from fsspec.core import open_files

from . import _core, _frames
from ._attributes import AttributesLike, AttributeTable, attribute_table
from ._columns import CODE_COLUMN, LEDGER_COLUMNS
from ._dates import DateLike, day_or_default, to_date
from .errors import LedgerError
from .ledger import Ledger
from .rules import ParamValue, Ruleset, load_rules

LedgerSource = Union[str, "os.PathLike[str]", Sequence[str], pd.DataFrame, DaskFrame]
"""A path or glob of ledger CSV files (or a list of them), a Dask DataFrame
with the columns ``household, date, type, amount`` and optionally ``code``,
or a pandas DataFrame."""

RulesSource = Union[Ruleset, str, "os.PathLike[str]"]
"""A :class:`~earlywarn.Ruleset`, a rules file or rules text (as :func:`~earlywarn.load_rules`)."""


class HouseholdPartitions:
    """A ledger as a Dask DataFrame in which every household's events are in
    exactly one partition (made by :func:`partition_by_household`).

    Evaluating it skips the shuffle, so persist it once and evaluate it as of
    several dates: ``parts = partition_by_household(src).persist()``.
    """

    def __init__(self, frame: DaskFrame) -> None:
        self.frame = frame
        """The shuffled Dask DataFrame (columns ``household, date, type, amount``,
        and ``code`` when the source has event codes)."""

    @property
    def npartitions(self) -> int:
        return int(self.frame.npartitions)

    def persist(self) -> "HouseholdPartitions":
        """The same partitions, computed and kept in the workers' memory.

        Returns
        -------
        HouseholdPartitions
            A new object over the persisted frame.
        """
        return HouseholdPartitions(self.frame.persist())  # type: ignore[no-untyped-call]

    def __repr__(self) -> str:
        return f"<HouseholdPartitions: {self.npartitions} partitions>"


def read_ledger(
    path: Union[str, "os.PathLike[str]", Sequence[str]],
    *,
    blocksize: Union[int, str, None] = "default",
) -> DaskFrame:
    """Ledger CSV files as a Dask DataFrame of the ledger columns, read as text.

    The four ledger columns, and ``code`` when the files have a column of
    event codes. Reading as text leaves every check to earlywarn, as
    :meth:`Ledger.from_csv` would do them: pandas would otherwise turn
    ``00123`` into the number 123 and an over-precise amount into a float; an
    empty ``code`` field is an event without a code. Other columns are dropped
    here so they never travel. Blocks are split at line ends, so a ledger whose
    household ids hold quoted line breaks needs ``blocksize=None``.

    Dask reads every block cut from the middle of a file with the first file's
    header, so files read in blocks need the same header: the first line of
    each file is compared here. With ``blocksize=None`` every file is read with
    its own header, and a file whose ledger columns or ``code`` column differ
    from the first file's fails the computation with a ``LedgerError`` naming
    its partition. Read such files with one ``read_ledger`` each and join them
    with ``dask.dataframe.concat``.

    Parameters
    ----------
    path : str or os.PathLike or sequence of str
        A path, a glob such as ``ledger/*.csv``, or a list.
    blocksize : int or str or None, default "default"
        Dask's bytes per partition, or None for one partition per file.

    Returns
    -------
    dask.dataframe.DataFrame
        The ledger columns as text.

    Raises
    ------
    LedgerError
        For a file with another header than the first, or a header naming two
        columns ``code``.
    """
    if isinstance(path, (str, os.PathLike)):
        paths: Union[str, List[str]] = os.fspath(path)
    else:
        paths = [os.fspath(p) for p in path]
    frame: DaskFrame = read_csv(
        paths,
        blocksize=blocksize,
        usecols=_read_column,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
    )
    # The columns of the first file's header (from Dask's sample of it).
    found = tuple(str(c) for c in frame.columns)
    missing = [c for c in LEDGER_COLUMNS if c not in found]
    if missing:
        raise LedgerError(
            f"{paths}: a ledger needs the columns household, date, type, amount; the "
            f"header has no column {', '.join(map(repr, missing))}"
        )
    two_codes = _two_code_columns(found)
    if two_codes:
        raise LedgerError(f"{paths}: {two_codes}")
    if blocksize is not None:
        _check_same_headers(paths)
    columns = _source_columns(found)
    # Every block is checked against the first file's columns and put in
    # ledger order where it is read (this runs in the reading task).
    check = functools.partial(_checked_block, found=found, columns=columns)
    meta = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    checked: DaskFrame = frame.map_partitions(  # type: ignore[no-untyped-call]
        check, meta=meta
    )
    return checked


def partition_by_household(
    ledger: LedgerSource, npartitions: Optional[int] = None
) -> HouseholdPartitions:
    """Shuffle a ledger so that every household's events are in exactly one partition.

    Hash partitioning on the household id. Nothing is computed until the
    result is evaluated or persisted. Partitions already made are kept as they
    are.

    Parameters
    ----------
    ledger : str or os.PathLike or sequence of str or DataFrame or HouseholdPartitions
        Ledger CSV files (as :func:`read_ledger` reads them), a Dask DataFrame
        or a pandas DataFrame.
    npartitions : int, optional
        How many partitions (default: the input's).

    Returns
    -------
    HouseholdPartitions
        The shuffled ledger.
    """
    if isinstance(ledger, HouseholdPartitions):
        if npartitions is not None and npartitions != ledger.npartitions:
            raise ValueError(
                f"the ledger is already in {ledger.npartitions} household partitions; "
                f"partition the source again for {npartitions}"
            )
        return ledger
    frame = _dask_frame(ledger)
    if npartitions is not None and npartitions < 1:
        raise ValueError("npartitions must be at least 1")
    # Each block is checked and made compact where it was read (dates as
    # datetime64, amounts as float, types and codes as categories), so bad
    # rows are named by the block they came from and the shuffle moves
    # numbers besides the household ids. Codes travel when the source has
    # them. "tasks" works on any scheduler (without a cluster Dask would
    # pick "disk", which needs partd).
    columns = _source_columns(tuple(str(c) for c in frame.columns))
    with_codes = CODE_COLUMN in columns
    compact_part = functools.partial(_compact_part, with_codes=with_codes)
    meta = compact_part(pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}))
    if with_codes:
        # Each partition has the codes of its own events.
        meta = clear_known_categories(meta, cols=[CODE_COLUMN])  # type: ignore[no-untyped-call]
    compact = frame[list(columns)].map_partitions(compact_part, meta=meta)
    shuffled = compact.shuffle("household", npartitions=npartitions, shuffle="tasks")
    return HouseholdPartitions(shuffled)


def evaluate(
    ledger: Union[LedgerSource, HouseholdPartitions],
    rules: RulesSource,
    as_of: Optional[DateLike] = None,
    *,
    params: Optional[Mapping[str, ParamValue]] = None,
    by: Optional[str] = None,
    npartitions: Optional[int] = None,
    attributes: Optional[AttributesLike] = None,
) -> pd.DataFrame:
    """The worklist as of a date, computed partition by partition on the Dask workers.

    The workers of the current client, or Dask's local scheduler without one.
    Equals ``rules.evaluate(Ledger.from_csv(...), as_of, by=by)`` for the same
    events: the same columns, dtypes, rows and order (severity, score
    descending, household, rule). There is no rejects mode, since a worklist
    silently missing households is worse than none. Dask's workers log a
    failed task's arguments: see ``docs/dask.md`` for keeping household ids out
    of their logs. Where two exact scores differ by less than a float can show
    (about one part in 10^16), this merge orders them by household, not by
    score.

    Parameters
    ----------
    ledger : str or os.PathLike or sequence of str or DataFrame or HouseholdPartitions
        The events.
    rules : Ruleset or str or os.PathLike
        The rules, or a rules file or text as :func:`earlywarn.load_rules` takes it.
    as_of : str or datetime.date or numpy.datetime64, optional
        The date (default: the ledger's last date, which costs an extra pass
        over the ledger: give it to save that).
    params : mapping of str to int, float or str, optional
        Values overriding the rules' params.
    by : {None, "household"}, optional
        ``"household"``: one row per household.
    npartitions : int, optional
        As for :func:`partition_by_household`.
    attributes : pandas.DataFrame or str or os.PathLike, optional
        The households' attributes, as :meth:`earlywarn.Ledger.with_attributes`
        takes them; read on the caller's machine and sent to each worker once.

    Returns
    -------
    pandas.DataFrame
        As :meth:`earlywarn.Ruleset.evaluate` gives it.

    Raises
    ------
    LedgerError
        For a bad row, naming the input partition (the block it was read in),
        the row within it, its index label and the column; or a malformed
        attributes frame or file.
    AttributeValueError
        For an attribute value the rules' kind cannot read.
    ValueError
        For another ``by``.
    """
    if by not in (None, "household"):
        raise ValueError("by is None or 'household'")
    ruleset = _ruleset(rules, params)
    table = None if attributes is None else attribute_table(attributes)
    parts = partition_by_household(ledger, npartitions)
    spec = _RulesSpec.of(ruleset)
    day = _as_of_day(parts, as_of, spec)
    if by is None:
        meta = pd.DataFrame(
            {
                "household": pd.Series([], dtype=object),
                "rule": pd.Series([], dtype=np.int32),
                "severity": pd.Series([], dtype=np.int8),
                "score": pd.Series([], dtype=np.float64),
                "message": pd.Series([], dtype=object),
            }
        )
        rows = _compute(parts, _worklist_part, meta, spec, day, table)
        frame = _worklist_in_order(rows, ruleset.rule_names)
    else:
        meta = pd.DataFrame(
            {
                "household": pd.Series([], dtype=object),
                "severity": pd.Series([], dtype=np.int8),
                "score": pd.Series([], dtype=np.float64),
                "rules": pd.Series([], dtype=object),
                "message": pd.Series([], dtype=object),
            }
        )
        rows = _compute(parts, _households_part, meta, spec, day, table)
        frame = _households_in_order(rows)
    frame.attrs.update(ruleset._identity(as_of=to_date(day)))
    return frame


def signals(
    ledger: Union[LedgerSource, HouseholdPartitions],
    as_of: Optional[DateLike] = None,
    *,
    rules: Optional[RulesSource] = None,
    params: Optional[Mapping[str, ParamValue]] = None,
    npartitions: Optional[int] = None,
) -> pd.DataFrame:
    """Every household's built-in signals as of a date, computed on the Dask workers.

    Parameters
    ----------
    ledger : str or os.PathLike or sequence of str or DataFrame or HouseholdPartitions
        The events.
    as_of : str or datetime.date or numpy.datetime64, optional
        The date (default: the ledger's last date).
    rules : Ruleset or str or os.PathLike, optional
        The custom event types these rules declare count towards the balance.
    params : mapping of str to int, float or str, optional
        Values overriding the rules' params.
    npartitions : int, optional
        As for :func:`partition_by_household`.

    Returns
    -------
    pandas.DataFrame
        As :meth:`earlywarn.Ledger.signals` gives it, ordered by household id.

    Raises
    ------
    LedgerError
        For a bad row, naming its partition.
    """
    spec = None if rules is None else _RulesSpec.of(_ruleset(rules, params))
    parts = partition_by_household(ledger, npartitions)
    day = _as_of_day(parts, as_of, spec)
    meta = pd.DataFrame(
        {
            "household": pd.Series([], dtype=object),
            "balance": pd.Series([], dtype=np.float64),
            "arrears": pd.Series([], dtype=np.float64),
            "arrears_days": pd.Series([], dtype=np.int64),
            "tenure_days": pd.Series([], dtype=np.int64),
            "plan_active": pd.Series([], dtype=bool),
            "plan_breached": pd.Series([], dtype=bool),
        }
    )
    rows = _compute(parts, _signals_part, meta, spec, day)
    _check_one_partition_each(rows, ["household"])
    # Household ids are text: Python orders str by code point, which is the
    # engine's bytewise order of their UTF-8.
    frame = rows.sort_values("household", kind="stable").reset_index(drop=True)
    frame["household"] = _frames.households(frame["household"].to_numpy(object))
    frame.attrs["as_of"] = to_date(day)
    return frame


# -- on the client --------------------------------------------------------------


class _RulesSpec(NamedTuple):
    """What a worker needs to compile the caller's ruleset: compiled rules do
    not pickle, their text and params do (and are small)."""

    source: str
    file_name: str
    overrides: Tuple[Tuple[str, ParamValue], ...]

    @classmethod
    def of(cls, rules: Ruleset) -> "_RulesSpec":
        return cls(rules.source, rules.file_name, tuple(sorted(rules._overrides.items())))


def _ruleset(rules: RulesSource, params: Optional[Mapping[str, ParamValue]]) -> Ruleset:
    # Compiled here first, so a rules error (or warning) reaches the caller
    # once, with its diagnostic, before any work is sent out.
    if isinstance(rules, Ruleset):
        return rules.with_params(**params) if params else rules
    return load_rules(rules, params)


def _read_column(name: str) -> bool:
    # The ledger columns and event codes; a second column "code" is one
    # pandas renames "code.1" (refused by _two_code_columns).
    return name in LEDGER_COLUMNS or name == CODE_COLUMN or _second_code(name)


def _second_code(name: str) -> bool:
    head, dot, number = name.partition(".")
    return head == CODE_COLUMN and dot == "." and number.replace(".", "").isdigit()


def _two_code_columns(columns: Sequence[str]) -> Optional[str]:
    """Why a header naming two columns "code" is no ledger, or None."""
    seconds = [c for c in columns if _second_code(c)]
    if not seconds:
        return None
    return (
        f"the header names two columns 'code' (pandas reads the second as {seconds[0]!r}); "
        "a ledger has one column of event codes"
    )


def _check_same_headers(paths: Union[str, List[str]]) -> None:
    # Dask gives the first file's header to the blocks cut from the middle
    # of every file; in a file with another header they would be misread
    # (codes from a column of notes, or none at all).
    first: Optional[Tuple[str, bytes]] = None
    for file in open_files(paths, mode="rb", compression="infer"):
        with file as stream:
            header = stream.readline()
        if header.startswith(b"\xef\xbb\xbf"):
            header = header[3:]
        header = header.rstrip(b"\r\n")
        if first is None:
            first = (file.path, header)
        elif header != first[1]:
            raise LedgerError(
                f"the header {_excerpt(header)} differs from the first file's "
                f"{_excerpt(first[1])} ({first[0]}): Dask reads the blocks of every file "
                "with the first file's header. Read files with another header with a "
                "read_ledger of their own and join them with dask.dataframe.concat",
                file=file.path,
            )


def _excerpt(header: bytes) -> str:
    text = header.decode("utf-8", errors="replace")
    return repr(text if len(text) <= 120 else text[:117] + "...")


def _source_columns(columns: Sequence[str]) -> Tuple[str, ...]:
    """The columns that travel: the ledger's, and the codes when there are some."""
    return LEDGER_COLUMNS + ((CODE_COLUMN,) if CODE_COLUMN in columns else ())


def _dask_frame(ledger: LedgerSource) -> DaskFrame:
    if isinstance(ledger, DaskFrame):
        frame = ledger
    elif isinstance(ledger, pd.DataFrame):
        frame = from_pandas(ledger, npartitions=1)
    elif isinstance(ledger, (str, os.PathLike, list, tuple)):
        return read_ledger(ledger)
    else:
        raise TypeError(
            "expected a path or glob of ledger CSV files, a Dask DataFrame or a pandas "
            f"DataFrame, not {type(ledger).__name__}"
        )
    missing = [c for c in LEDGER_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(
            f"the DataFrame has no column {', '.join(map(repr, missing))}; a ledger needs "
            "the columns household, date, type, amount"
        )
    return frame


def _as_of_day(
    parts: HouseholdPartitions, as_of: Optional[DateLike], spec: Optional[_RulesSpec]
) -> int:
    if as_of is not None:
        return day_or_default(as_of, None, "as_of")
    # Each partition's own last date would be the wrong default: the
    # single-process default is the latest recorded date of the whole ledger
    # (scheduled events aside).
    meta = pd.Series([], dtype=np.float64)
    last = parts.frame.map_partitions(  # type: ignore[no-untyped-call]
        _last_day_part, spec, meta=meta
    ).max().compute()
    return day_or_default(None, None if pd.isna(last) else int(last), "as_of")


def _compute(
    parts: HouseholdPartitions,
    function: Callable[..., pd.DataFrame],
    meta: pd.DataFrame,
    spec: Optional[_RulesSpec],
    day: int,
    attributes: Optional[AttributeTable] = None,
) -> pd.DataFrame:
    # A partial, not extra map_partitions arguments: Dask would look inside
    # tuple arguments for task keys.
    task = functools.partial(function, spec=spec, day=day)
    more = {}
    if attributes is not None:
        # One task holding the table, which each worker fetches once, rather
        # than a copy in every partition's task.
        more["attributes"] = delayed(attributes, traverse=False)
    mapped = parts.frame.map_partitions(  # type: ignore[no-untyped-call]
        task, meta=meta, **more
    )
    rows: pd.DataFrame = mapped.compute()
    return rows.reset_index(drop=True)


def _check_one_partition_each(rows: pd.DataFrame, key: List[str]) -> None:
    # Each row key (household, or household and rule) comes from one
    # partition when the shuffle did its job; cheap insurance that it did.
    if rows.duplicated(key).any():
        raise RuntimeError(
            "a household's events were split over several partitions; the ledger must be "
            "partitioned by household (partition_by_household)"
        )


def _worklist_in_order(rows: pd.DataFrame, rule_names: List[str]) -> pd.DataFrame:
    _check_one_partition_each(rows, ["household", "rule"])
    rule = rows["rule"].to_numpy(np.int32)
    severity = rows["severity"].to_numpy(np.int8)
    score = rows["score"].to_numpy(np.float64)
    household = _text_rank(rows["household"])
    # The engine sorts rules by name, not by their place in the file.
    rule_rank = np.argsort(np.argsort(np.array(rule_names, dtype=object), kind="stable"))
    no_score = np.isnan(score)
    # lexsort: the last key decides first. Worklist order (docs/language.md, Outputs): severity
    # (critical first), score descending with no value last, household, rule.
    order = np.lexsort(
        (rule_rank[rule], household, np.where(no_score, 0.0, -score), no_score, -severity)
    )
    return _frames.frame(
        {
            "household": _frames.households(rows["household"].to_numpy(object)[order]),
            "rule": _frames.names(rule[order], rule_names),
            "severity": _frames.severities(severity[order]),
            "score": _frames.numbers(score[order]),
            "message": _frames.texts(rows["message"].to_numpy(object)[order]),
        }
    )


def _households_in_order(rows: pd.DataFrame) -> pd.DataFrame:
    _check_one_partition_each(rows, ["household"])
    severity = rows["severity"].to_numpy(np.int8)
    score = rows["score"].to_numpy(np.float64)
    no_score = np.isnan(score)
    order = np.lexsort(
        (_text_rank(rows["household"]), np.where(no_score, 0.0, -score), no_score, -severity)
    )
    return _frames.frame(
        {
            "household": _frames.households(rows["household"].to_numpy(object)[order]),
            "severity": _frames.severities(severity[order]),
            "score": _frames.numbers(score[order]),
            "rules": _frames.texts(rows["rules"].to_numpy(object)[order]),
            "message": _frames.texts(rows["message"].to_numpy(object)[order]),
        }
    )


def _text_rank(ids: "pd.Series[Any]") -> Any:
    # Sorted codes of the ids; code point order of str is the engine's
    # bytewise order of UTF-8.
    codes, _ = pd.factorize(ids.to_numpy(object), sort=True)
    return codes


# -- on the workers ---------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _compiled(spec: _RulesSpec) -> Ruleset:
    # Once per worker process, not once per partition. The caller has seen
    # any warnings already.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Ruleset.from_text(spec.source, dict(spec.overrides), name=spec.file_name)


def _ledger_of(
    part: pd.DataFrame,
    partition_info: Optional[Mapping[str, Any]],
    attributes: Optional[AttributeTable] = None,
) -> Ledger:
    try:
        ledger = Ledger.from_frame(part)
    except LedgerError as e:
        # The row's position means nothing without its partition.
        number = None if partition_info is None else partition_info.get("number")
        raise LedgerError(
            e.reason, row=e.row, index=e.index, field=e.field, partition=number
        ) from None
    if attributes is not None:
        # The partition's own households' attributes: the others are never read here.
        ledger._core.set_attributes(*attributes.restricted_to(set(ledger.households)))
    return ledger


def _worklist_part(
    part: pd.DataFrame,
    spec: _RulesSpec,
    day: int,
    partition_info: Optional[Mapping[str, Any]] = None,
    attributes: Optional[AttributeTable] = None,
) -> pd.DataFrame:
    ledger = _ledger_of(part, partition_info, attributes)
    # One thread each: Dask already runs a partition per worker thread.
    w = _compiled(spec).evaluate(ledger, to_date(day), threads=1)
    return pd.DataFrame(
        {
            "household": w["household"].astype(object),
            "rule": w["rule"].cat.codes.astype(np.int32),
            "severity": w["severity"].cat.codes.astype(np.int8),
            "score": w["score"],
            "message": w["message"],
        }
    )


def _households_part(
    part: pd.DataFrame,
    spec: _RulesSpec,
    day: int,
    partition_info: Optional[Mapping[str, Any]] = None,
    attributes: Optional[AttributeTable] = None,
) -> pd.DataFrame:
    ledger = _ledger_of(part, partition_info, attributes)
    w = _compiled(spec).evaluate(ledger, to_date(day), by="household", threads=1)
    return pd.DataFrame(
        {
            "household": w["household"].astype(object),
            "severity": w["severity"].cat.codes.astype(np.int8),
            "score": w["score"],
            "rules": w["rules"],
            "message": w["message"],
        }
    )


def _signals_part(
    part: pd.DataFrame,
    spec: Optional[_RulesSpec],
    day: int,
    partition_info: Optional[Mapping[str, Any]] = None,
) -> pd.DataFrame:
    ledger = _ledger_of(part, partition_info)
    rules = None if spec is None else _compiled(spec)
    frame = ledger.signals(to_date(day), rules=rules, threads=1)
    frame.attrs.clear()
    # Text on the workers: each partition's categories would differ.
    frame["household"] = frame["household"].astype(object)
    return frame


def _checked_block(
    part: pd.DataFrame,
    found: Tuple[str, ...],
    columns: Tuple[str, ...],
    partition_info: Optional[Mapping[str, Any]] = None,
) -> pd.DataFrame:
    # A block read from the start of a file was read with that file's own
    # header; one whose columns are not the first file's would be read
    # wrongly in the blocks cut from the middle of its file.
    have = tuple(str(c) for c in part.columns)
    reason = None
    if have != found:
        reason = _two_code_columns(have) or (
            f"the file's header has the columns {', '.join(have)} where the first file's "
            f"has {', '.join(found)}: read files with other columns with a read_ledger of "
            "their own and join them with dask.dataframe.concat"
        )
    elif not isinstance(part.index, pd.RangeIndex):
        # pandas takes the first column for the index when the first row
        # has one field more than the header.
        reason = (
            "the block's first row has more fields than the header names, and pandas "
            "reads such rows shifted by one column"
        )
    if reason:
        number = None if partition_info is None else partition_info.get("number")
        raise LedgerError(reason, partition=number)
    return part if have == columns else part[list(columns)]


def _compact_part(
    part: pd.DataFrame, with_codes: bool, partition_info: Optional[Mapping[str, Any]] = None
) -> pd.DataFrame:
    frame = _ledger_of(part, partition_info).to_frame()
    # Household ids stay text: as categories, every piece of the shuffle
    # would carry all the ids of the block it came from.
    frame["household"] = frame["household"].astype(object)
    if with_codes and CODE_COLUMN not in frame.columns:
        # to_frame() shows codes only when some event of this block has one;
        # every partition has the same columns.
        frame[CODE_COLUMN] = pd.Categorical.from_codes(
            np.full(len(frame), -1, dtype=np.int8), categories=pd.Index([], dtype=object)
        )
    return frame


def _last_day_part(
    part: pd.DataFrame,
    spec: Optional[_RulesSpec],
    partition_info: Optional[Mapping[str, Any]] = None,
) -> "pd.Series[float]":
    ledger = _ledger_of(part, partition_info)
    last = (
        ledger._core.last_date
        if spec is None
        else _core.latest_recorded_date(ledger._core, _compiled(spec)._core)
    )
    return pd.Series([np.nan if last is None else float(last)], dtype=np.float64)

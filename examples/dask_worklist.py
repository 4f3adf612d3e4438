"""The worklist of a ledger spread over Dask workers, checked against one process.

    PYTHONPATH=build/python /usr/bin/python3 examples/dask_worklist.py [LEDGER.csv ...]
        [--as-of DATE]

Starts a local cluster of two worker processes, reads the ledger CSV files
(default: the bundled sample) in blocks, moves each household's events to
one partition, evaluates the partitions on the workers and merges the
worklist. For a real cluster, replace the LocalCluster with
``Client("tcp://scheduler:8786")`` and read the ledger from storage every
worker sees (docs/dask.md).
"""

from __future__ import annotations

import argparse
import pathlib
import tempfile

import pandas as pd
from distributed import Client, LocalCluster

import earlywarn
import earlywarn.dask

HERE = pathlib.Path(__file__).resolve().parent
RULES = HERE.parent / "rules" / "housing-early-warning.rules"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", nargs="*", default=[str(HERE / "sample-ledger.csv")])
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: the last date)")
    args = parser.parse_args()

    # Workers spill to a temporary directory, not the current one.
    with tempfile.TemporaryDirectory() as scratch, LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        local_directory=scratch,
    ) as cluster, Client(cluster):
        source = earlywarn.dask.read_ledger(args.ledger, blocksize=256_000)
        worklist = earlywarn.dask.evaluate(source, RULES, args.as_of, npartitions=4)

    print(
        f"Worklist as of {worklist.attrs['as_of']}: {len(worklist)} rows, "
        f"{worklist.household.nunique()} households "
        f"({source.npartitions} blocks read, 4 household partitions, 2 workers)"
    )
    print(worklist.head(5).to_string(index=False))

    # The same in one process, for comparison: worth doing where it fits.
    rules = earlywarn.load_rules(RULES)
    ledgers = [earlywarn.Ledger.from_csv(p).to_frame() for p in args.ledger]
    ledger = earlywarn.Ledger.from_frame(pd.concat(ledgers, ignore_index=True))
    alone = rules.evaluate(ledger, args.as_of)
    print(f"identical to one process: {worklist.equals(alone)}")


if __name__ == "__main__":
    main()

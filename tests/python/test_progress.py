"""Long calls release the GIL and report progress when asked."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

import earlywarn
from conftest import SAMPLE


def synthetic_frame(households, months, seed=1):
    """Monthly rent and payments, one in ten payments short: many alerts."""
    rng = np.random.default_rng(seed)
    h = np.repeat(np.arange(households), months * 2)
    month = np.tile(np.repeat(np.arange(months), 2), households)
    kind = np.tile([0, 1], households * months)
    first = np.datetime64("2020-01", "M")
    dates = (first + month).astype("datetime64[D]") + np.where(
        kind == 0, 0, rng.integers(0, 40, len(h))
    )
    rent = rng.integers(5000, 12000, households)[h]
    paid = np.where(rng.random(len(h)) < 0.9, rent, rent // 2)
    return pd.DataFrame(
        {
            "household": pd.Categorical.from_codes(h, [f"H{i:06d}" for i in range(households)]),
            "date": dates.astype("datetime64[ns]"),
            "type": pd.Categorical.from_codes(kind, ["charge", "payment"]),
            "amount": np.where(kind == 0, rent, paid).astype(float),
        }
    )


class Recorder:
    def __init__(self):
        self.calls = []
        self.threads = set()

    def __call__(self, done, total):
        self.calls.append((done, total))
        self.threads.add(threading.get_ident())


def check_reports(recorder, total):
    assert recorder.calls, "no progress was reported"
    assert recorder.calls[-1] == (total, total)
    done = [d for d, _ in recorder.calls]
    assert done == sorted(done) and all(t == total for _, t in recorder.calls)
    assert recorder.threads == {threading.get_ident()}  # the calling thread only


@pytest.mark.parametrize("threads", [1, 2])
def test_every_long_call_reports_progress_from_the_calling_thread(ledger, rules, threads):
    for call, total in [
        (lambda p: rules.evaluate(ledger, progress=p, threads=threads), ledger.household_count),
        (lambda p: rules.signals(ledger, progress=p, threads=threads), ledger.household_count),
        (lambda p: rules.backtest(ledger, every="week", progress=p, threads=threads),
         ledger.household_count),
        (lambda p: earlywarn.Ledger.from_frame(ledger.to_frame(), progress=p), ledger.event_count),
        # A stream takes rows in date order; to_frame() groups them by household.
        (lambda p: earlywarn.Stream(rules).push_frame(
            ledger.to_frame().sort_values("date", kind="stable"), progress=p),
         ledger.event_count),
        (lambda p: earlywarn.Ledger.from_csv(SAMPLE, progress=p), SAMPLE.stat().st_size),
    ]:
        recorder = Recorder()
        call(recorder)
        check_reports(recorder, total)


def test_progress_true_shows_a_tqdm_bar(ledger, rules, capsys):
    rules.evaluate(ledger, progress=True)
    earlywarn.Ledger.from_csv(SAMPLE, progress=True)
    err = capsys.readouterr().err
    assert "evaluating" in err and "loading sample-ledger.csv" in err
    with pytest.raises(TypeError):
        rules.evaluate(ledger, progress="yes")


@pytest.mark.parametrize("threads", [1, 2])
def test_an_exception_in_the_callback_surfaces_after_the_call(ledger, rules, threads):
    calls = []

    def fail(done, total):
        calls.append(done)
        raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt, match="stop"):
        rules.backtest(ledger, every="week", progress=fail, threads=threads)
    assert len(calls) == 1  # no more reports after the first failure
    # Nothing was left half-done: the next call works.
    assert len(rules.evaluate(ledger, threads=threads)) > 0


def test_long_calls_release_the_gil(rules):
    """A Python thread keeps running while the engine works."""
    ledger = earlywarn.Ledger.from_frame(synthetic_frame(1000, 60))
    counter = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1

    worker = threading.Thread(target=count)
    worker.start()
    try:
        time.sleep(0.05)
        before, start = counter[0], time.perf_counter()
        time.sleep(0.3)
        rate = (counter[0] - before) / (time.perf_counter() - start)

        before, start = counter[0], time.perf_counter()
        rules.backtest(ledger, threads=1)
        elapsed = time.perf_counter() - start
        during = counter[0] - before
    finally:
        stop.set()
        worker.join()
    assert elapsed > 0.2, "the call was too short to tell"
    # Holding the GIL, the counter could move only at the edges of the call
    # (one 5 ms switch interval); released, it runs all along.
    assert during > 0.25 * rate * elapsed, (during, rate, elapsed)

"""Times the Python package on a city ledger, beside the CLI on the same input:

    build/bench/generate_ledger --households 50000 --years 10 --seed 7 --output /tmp/city.csv
    PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py /tmp/city.csv [--backtest]

Each step is timed in the process (the interpreter and pandas already
imported); the CLI's `run` is timed end to end for comparison.
"""

import resource
import subprocess
import sys
import time

import earlywarn

RULES = "rules/housing-early-warning.rules"


def timed(label, call):
    start = time.perf_counter()
    result = call()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<40} {time.perf_counter() - start:6.2f} s   peak {peak:5.0f} MB")
    return result


def main(path: str, backtest: bool) -> None:
    rules = earlywarn.load_rules(RULES)
    ledger = timed("Ledger.from_csv", lambda: earlywarn.Ledger.from_csv(path))
    worklist = timed("rules.evaluate -> DataFrame", lambda: rules.evaluate(ledger))
    frame = timed("ledger.to_frame", ledger.to_frame)
    timed("Ledger.from_frame(to_frame())", lambda: earlywarn.Ledger.from_frame(frame))
    timed("rules.signals", lambda: rules.signals(ledger))
    if backtest:
        alerts = timed("rules.backtest (daily, whole ledger)", lambda: rules.backtest(ledger))
        print(f"  {len(alerts)} alerts")
    start = time.perf_counter()
    subprocess.run(["build/earlywarn", "run", "--rules", RULES, "--ledger", path],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"{'earlywarn run (CLI, end to end)':<40} {time.perf_counter() - start:6.2f} s")
    print(f"worklist: {len(worklist)} rows; ledger: {ledger.event_count} events")


if __name__ == "__main__":
    main(sys.argv[1], "--backtest" in sys.argv[2:])

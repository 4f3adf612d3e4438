#!/usr/bin/python3
"""rules/housing-early-warning.rules as a vectorised pandas script.

    /usr/bin/python3 housing_early_warning.py --ledger LEDGER --as-of DATE[,DATE…] --output PAIRS

Writes the fired (household, rule) pairs as of each date to PAIRS as CSV,
`{as_of}` in PAIRS standing for the date, and prints one line of JSON:
load_seconds, and evaluations: [{as_of, seconds, pairs}]. One function per
signal of docs/language.md ("Signals and functions"), named as there; each
returns a Series indexed by household.

Exactness: money is int64 cents and every threshold is scaled to cents; the
trend is compared by cross-multiplying its integer numerator and denominator.
The language's "no value" (docs/language.md) is NaN (days, last amounts:
whole numbers, exact in float64 far beyond any ledger), and a comparison with
NaN is False, as the language asks.
"""

import argparse
import calendar
import datetime
import json
import time

import numpy as np
import pandas as pd

# The ruleset's params, money in cents.
GRACE_DAYS = 15
VISIT_DAYS = 60
MINIMUM_ARREARS = 10_000
GROWTH_PER_MONTH = 50_000
SILENCE_DAYS = 45

BALANCE_EFFECT = {"charge": 1, "payment": -1, "credit": -1}  # other types are neutral
DECREASES = ("payment", "credit")


def load_ledger(path):
    """The ledger CSV as columns: household, day (days since 1970-01-01), type, cents."""
    frame = pd.read_csv(
        path,
        usecols=[0, 1, 2, 3],
        dtype={"household": "category", "date": str, "type": "category", "amount": "float64"},
    )
    # A decimal with at most two places, read as float64, is within far less
    # than half a cent of its value (below 10^13), so rounding recovers the
    # exact cents.
    cents = np.rint(frame["amount"].to_numpy() * 100)
    return pd.DataFrame(
        {
            "household": frame["household"],
            "day": pd.to_datetime(frame["date"], format="%Y-%m-%d")
            .to_numpy()
            .astype("datetime64[D]")
            .astype(np.int32),
            "type": frame["type"],
            "cents": np.nan_to_num(cents, nan=0.0).astype(np.int64),
        }
    )


def day_number(date):
    return (date - datetime.date(1970, 1, 1)).days


def months_before(date, months):
    """T − N months keeps the day of month, clamped to a shorter month (docs/language.md)."""
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(date.day, last))


def events_seen(ledger, t):
    """Exactly the events dated on or before T, with their balance effect (docs/language.md)."""
    seen = ledger[ledger["day"] <= t].copy()
    effect = seen["type"].map(BALANCE_EFFECT).astype("float64").fillna(0).astype(np.int64)
    seen["balance_effect"] = effect.to_numpy() * seen["cents"].to_numpy()
    return seen


def by_household(frame):
    return frame.groupby("household", observed=True, sort=True)


def balance(seen):
    return by_household(seen)["balance_effect"].sum()


def charges_by_day(seen):
    charges = seen[seen["type"] == "charge"]
    return charges.groupby(["household", "day"], observed=True, sort=True)["cents"].sum()


def arrears_days(seen, charged, t, balance_now):
    """FIFO: T − the oldest charge date by which the charges to date exceed all
    that was ever paid or credited; 0 while the balance is ≤ 0."""
    paid = by_household(seen[seen["type"].isin(DECREASES)])["cents"].sum()
    # Only where something is owed is the charge history needed.
    owing = balance_now.index[balance_now.to_numpy() > 0]
    charged = charged[charged.index.get_level_values("household").isin(owing)]
    charged_to_date = charged.groupby(level="household", observed=True).cumsum()
    owner = charged_to_date.index.get_level_values("household")
    paid_by_owner = paid.reindex(owner, fill_value=0).to_numpy()
    uncovered = charged_to_date[charged_to_date.to_numpy() > paid_by_owner]
    oldest_uncovered = (
        uncovered.index.to_frame(index=False).groupby("household", observed=True)["day"].min()
    )
    days = (t - oldest_uncovered).reindex(balance_now.index)
    return days.where(balance_now > 0, 0).astype(np.int64)


def tenure_days(seen, t):
    return t - by_household(seen)["day"].min()


def last_amount(per_day, households):
    """last(TYPE) from that type's amounts summed per (household, day): the
    latest day's sum; NaN when none."""
    return per_day.groupby(level="household", observed=True).last().reindex(households).astype(
        "float64"
    )


def days_since(seen, type_name, t, households):
    """T − the date of the latest TYPE event; NaN when none."""
    latest = by_household(seen[seen["type"] == type_name])["day"].max()
    return (t - latest).reindex(households).astype("float64")


def count(seen, type_name, window_start, households):
    """count(TYPE, W) over the window (window_start, T]."""
    in_window = seen[(seen["type"] == type_name) & (seen["day"] > window_start)]
    return by_household(in_window).size().reindex(households, fill_value=0)


def balance_samples(seen, t_date, months, balance_now):
    """The balance at the end of T − j months, j = 0…N−1 (0 before the first
    event): the balance now less what changed after each sample date, so only
    the last N−1 months of events are read again."""
    oldest = day_number(months_before(t_date, months - 1))
    recent = seen[seen["day"] > oldest]
    samples = {}
    for j in range(months):
        after = recent[recent["day"] > day_number(months_before(t_date, j))]
        change = by_household(after)["balance_effect"].sum()
        samples[j] = balance_now - change.reindex(balance_now.index, fill_value=0)
    return samples


def trend_balance(seen, t_date, months, balance_now):
    """trend(balance, Nm): least squares over (x, y) = (−j, balance at T − j
    months), j = 0…N−1, as an integer numerator and positive denominator:
    slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²) cents per month."""
    xs = [-j for j in range(months)]
    sum_y = pd.Series(0, index=balance_now.index, dtype=np.int64)
    sum_xy = pd.Series(0, index=balance_now.index, dtype=np.int64)
    for j, sample in balance_samples(seen, t_date, months, balance_now).items():
        sum_y += sample
        sum_xy += -j * sample
    n, sum_x, sum_xx = months, sum(xs), sum(x * x for x in xs)
    return n * sum_xy - sum_x * sum_y, n * sum_xx - sum_x * sum_x


def months_completed(agreed, t_date):
    """The largest m with plan date + m months (clamped) ≤ T, for each plan date."""
    agreed_dates = pd.to_datetime(agreed.to_numpy().astype("datetime64[D]"))
    whole = (t_date.year - agreed_dates.year) * 12 + (t_date.month - agreed_dates.month)
    # plan date + `whole` months falls in T's month, on the plan's day of month
    # clamped to that month's length; past T's day it is one month too many.
    clamped_day = np.minimum(agreed_dates.day, calendar.monthrange(t_date.year, t_date.month)[1])
    return pd.Series(whole - (clamped_day > t_date.day), index=agreed.index)


def plan_breached(seen, t_date, balance_now):
    """A plan is active from its date until a plan of 0 or the first day that
    closes with balance ≤ 0; breached when the balance is above the balance on
    its date less one instalment per month completed since."""
    plans = seen[seen["type"] == "plan"]
    # On a date with several plans the largest instalment counts.
    per_day = plans.groupby(["household", "day"], observed=True, sort=True)["cents"].max()
    latest = per_day.reset_index().drop_duplicates("household", keep="last").set_index("household")
    latest = latest[latest["cents"] > 0]
    with_plan = seen[seen["household"].isin(latest.index)]
    closing = (
        with_plan.groupby(["household", "day"], observed=True, sort=True)["balance_effect"]
        .sum()
        .groupby(level="household", observed=True)
        .cumsum()
        .reset_index(name="closing_balance")
    )
    closing["agreed"] = latest["day"].reindex(closing["household"]).to_numpy()
    since_agreed = closing[closing["day"] >= closing["agreed"]]
    grouped = since_agreed.groupby("household", observed=True)
    never_closed_clear = grouped["closing_balance"].min() > 0
    balance_agreed = grouped["closing_balance"].first()  # the agreement date is the first day
    allowed = balance_agreed - latest["cents"] * months_completed(latest["day"], t_date)
    breached = never_closed_clear & (balance_now.reindex(allowed.index) > allowed)
    return breached.reindex(balance_now.index, fill_value=False).astype(bool)


def evaluate(ledger, t_date):
    """The fired (household, rule) pairs as of T, sorted."""
    t = day_number(t_date)
    seen = events_seen(ledger, t)
    balance_now = balance(seen)
    households = balance_now.index
    arrears = balance_now.clip(lower=0)
    charged = charges_by_day(seen)
    arrears_days_now = arrears_days(seen, charged, t, balance_now)
    last_charge = last_amount(charged, households)
    days_since_payment = days_since(seen, "payment", t, households)
    days_since_contact = days_since(seen, "contact", t, households)
    slope_numerator, slope_denominator = trend_balance(seen, t_date, 6, balance_now)

    rules = pd.DataFrame(index=households)
    rules["late_rent"] = (arrears_days_now > GRACE_DAYS) & (arrears >= MINIMUM_ARREARS)
    rules["two_months_rent"] = (arrears_days_now > VISIT_DAYS) & (arrears >= 2 * last_charge)
    rules["three_months_rent"] = (arrears >= 3 * last_charge) & (arrears_days_now > 90)
    rules["no_payment"] = (
        (arrears_days_now > GRACE_DAYS)
        & (arrears > MINIMUM_ARREARS)
        & (days_since_payment.isna() | (days_since_payment > SILENCE_DAYS))
    )
    rules["plan_broken"] = plan_breached(seen, t_date, balance_now)
    rules["debt_growing"] = (
        (arrears_days_now > GRACE_DAYS)
        & (tenure_days(seen, t) >= 180)
        & (slope_numerator > GROWTH_PER_MONTH * slope_denominator)
    )
    rules["benefit_stopped"] = (
        (count(seen, "credit", day_number(months_before(t_date, 6)), households) >= 3)
        & (count(seen, "credit", day_number(months_before(t_date, 2)), households) == 0)
        & (arrears > 0)
    )
    # The decision next_step (first): each step fires only where no step
    # before it holds; escalate comes first.
    contacted_lately = days_since_contact <= 30  # NaN (never) compares False
    holds = [
        (
            "escalate",
            (
                rules["three_months_rent"]
                | rules["plan_broken"]
                | (rules["two_months_rent"] & rules["debt_growing"])
            )
            & (days_since_contact.isna() | (days_since_contact > 90)),
        ),
        ("review_plan", rules["plan_broken"]),
        (
            "visit_home",
            (rules["three_months_rent"] | rules["two_months_rent"] | rules["debt_growing"])
            & ~contacted_lately,
        ),
        ("check_benefit", rules["benefit_stopped"]),
        ("offer_help", rules["late_rent"] | rules["no_payment"]),
    ]
    taken = pd.Series(False, index=households)
    for name, condition in holds:
        rules[name] = condition & ~taken
        taken = taken | condition

    fired = rules.stack()
    fired = fired[fired.to_numpy()]
    pairs = fired.index.to_frame(index=False)
    pairs.columns = ["household", "rule"]
    pairs["household"] = pairs["household"].astype(str)
    return pairs.sort_values(["household", "rule"], ignore_index=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--as-of", required=True,
                        type=lambda text: [datetime.date.fromisoformat(d) for d in text.split(",")])
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    if len(arguments.as_of) > 1 and "{as_of}" not in arguments.output:
        parser.error("--output must hold {as_of} when there are several dates")

    load_start = time.perf_counter()
    ledger = load_ledger(arguments.ledger)
    load_seconds = time.perf_counter() - load_start

    evaluations = []
    for as_of in arguments.as_of:
        evaluate_start = time.perf_counter()
        pairs = evaluate(ledger, as_of)
        seconds = time.perf_counter() - evaluate_start
        pairs.to_csv(arguments.output.replace("{as_of}", as_of.isoformat()), index=False)
        evaluations.append({"as_of": as_of.isoformat(), "seconds": seconds, "pairs": len(pairs)})
    print(json.dumps({"load_seconds": load_seconds, "evaluations": evaluations}))


if __name__ == "__main__":
    main()

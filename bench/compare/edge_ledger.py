#!/usr/bin/python3
"""A small random ledger that aims at the corners of docs/language.md, for the agreement check.

    /usr/bin/python3 edge_ledger.py --households N --start DATE --years Y --seed S --output FILE

The city generator makes realistic ledgers; this one makes unlikely ones, so
that the three implementations disagree if any of them gets a corner wrong:
rows in no order; several charges, payments and plans on one day; plans of 0;
plans and charges on the 29th–31st (months clamp); round amounts that make
thresholds tie exactly (arrears of exactly 100.00, a balance rising by exactly
500.00 a month); empty amounts; custom neutral types; credits in
bursts and gaps; households whose first event comes late in the period.
"""

import argparse
import calendar
import datetime
import random

ROUND_AMOUNTS = ("50.00", "100.00", "100.01", "250.00", "500.00", "500.01", "1000.00", "99.99")


def add_months(date, months):
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def amount(rng):
    if rng.random() < 0.6:
        return rng.choice(ROUND_AMOUNTS)
    return f"{rng.randrange(0, 300000) / 100:.2f}"


def tied_rows(rng, first, end):
    """Households built to sit exactly on a threshold: owing exactly 100.00
    (or a cent either side) since one short payment, or never paying a rent
    of 500.00, so the balance rises by exactly growth_per_month."""
    rent = rng.choice(("500.00", "1000.00"))
    short = rng.choice(("100.00", "99.99", "100.01"))
    never_pays = rng.random() < 0.5
    rows = []
    month = datetime.date(first.year, first.month, 1)
    short_month = add_months(month, rng.randrange(0, 12))
    while month <= end:
        rows.append((month, "charge", rent))
        if not never_pays:
            paid = float(rent) - (float(short) if month == short_month else 0)
            rows.append((month, "payment", f"{paid:.2f}"))
        month = add_months(month, 1)
    return rows


def household_rows(rng, household, start, end):
    span = (end - start).days
    first = start + datetime.timedelta(days=rng.randrange(0, span))
    if rng.random() < 0.15:
        return [(household, d.isoformat(), t, a) for d, t, a in tied_rows(rng, first, end)]
    rent = rng.choice(("500.00", "1000.00", "333.33", f"{rng.randrange(1000, 200000) / 100:.2f}"))
    charge_day = rng.choice((1, 1, 15, 28, 29, 30, 31))
    rows = []
    month = datetime.date(first.year, first.month, 1)
    while month <= end:
        due = month.replace(day=min(charge_day, calendar.monthrange(month.year, month.month)[1]))
        if first <= due <= end and rng.random() < 0.9:
            rows.append((due, "charge", rent))
            if rng.random() < 0.2:
                rows.append((due, "charge", amount(rng)))  # a service charge the same day
        month = add_months(month, 1)
    for _ in range(rng.randrange(0, 40)):
        day = first + datetime.timedelta(days=rng.randrange(0, max(1, (end - first).days + 1)))
        kind = rng.random()
        if kind < 0.45:
            rows.append((day, "payment", rng.choice((rent, amount(rng)))))
        elif kind < 0.6:
            rows.append((day, "credit", amount(rng)))
        elif kind < 0.72:
            # Plans on month ends exercise "plan date + m months, clamped".
            if rng.random() < 0.5:
                last = calendar.monthrange(day.year, day.month)[1]
                day = day.replace(day=rng.choice((last, last - 1, 29 if last >= 29 else last)))
                day = min(day, end)
            rows.append((day, "plan", rng.choice(("0.00", "100.00", "250.00", amount(rng)))))
            if rng.random() < 0.2:
                rows.append((day, "plan", rng.choice(("0.00", "50.00"))))
        elif kind < 0.82:
            rows.append((day, "contact", rng.choice(("", "", "0.00"))))
        else:
            rows.append((day, rng.choice(("letter", "notice", "court_date")), ""))
    if rng.random() < 0.1:
        rows = [(first, "payment", amount(rng))]  # a household that only ever paid
    return [(household, d.isoformat(), t, a) for d, t, a in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--start", type=datetime.date.fromisoformat,
                        default=datetime.date(2023, 1, 1))
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()

    rng = random.Random(arguments.seed)
    end = add_months(arguments.start, 12 * arguments.years) - datetime.timedelta(days=1)
    rows = []
    for index in range(arguments.households):
        rows.extend(household_rows(rng, f"E{index:05d}", arguments.start, end))
    rng.shuffle(rows)  # docs/language.md, Ledger: rows need not be sorted
    with open(arguments.output, "w") as out:
        out.write("household,date,type,amount\n")
        out.writelines(",".join(row) + "\n" for row in rows)


if __name__ == "__main__":
    main()

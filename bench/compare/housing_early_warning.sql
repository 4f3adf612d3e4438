-- rules/housing-early-warning.rules as DuckDB SQL: the (household, rule) pairs
-- that fire as of getvariable('as_of'), over the table `ledger`
-- (household VARCHAR, date DATE, type VARCHAR, cents BIGINT) that duckdb.mjs
-- loads from the CSV. One CTE per signal of SPEC §3, named as there.
--
-- Exactness: money stays in integer cents, every threshold is scaled to
-- cents, and the trend is compared by cross-multiplying its integer
-- numerator and denominator, so no floating-point value decides a rule.
-- SPEC's "no value" is SQL NULL, and a comparison with no value is false:
-- every comparison that can meet a NULL is wrapped in coalesce(…, false),
-- because SQL would carry NULL on into `not` and `or`.
WITH
params AS (  -- the ruleset's params, money in cents
  SELECT 15 AS grace_days, 60 AS visit_days, 10000 AS minimum_arrears,
         50000 AS growth_per_month, 45 AS silence_days
),
calendar AS (
  -- Window starts are the same for every household. DuckDB's date − months
  -- clamps to the end of a shorter month, as SPEC §2 asks.
  SELECT getvariable('as_of')::DATE AS t,
         (getvariable('as_of')::DATE - INTERVAL 2 MONTH)::DATE AS two_months_ago,
         (getvariable('as_of')::DATE - INTERVAL 6 MONTH)::DATE AS six_months_ago,
         -- trend(balance, 6m) samples the balance at T − j months, j = 0…5
         (getvariable('as_of')::DATE - INTERVAL 1 MONTH)::DATE AS sample_1,
         (getvariable('as_of')::DATE - INTERVAL 2 MONTH)::DATE AS sample_2,
         (getvariable('as_of')::DATE - INTERVAL 3 MONTH)::DATE AS sample_3,
         (getvariable('as_of')::DATE - INTERVAL 4 MONTH)::DATE AS sample_4,
         (getvariable('as_of')::DATE - INTERVAL 5 MONTH)::DATE AS sample_5
),
seen AS (  -- SPEC §2: exactly the events dated on or before T
  SELECT household, date, type, cents,
         CASE type WHEN 'charge' THEN cents
                   WHEN 'payment' THEN -cents
                   WHEN 'credit' THEN -cents
                   ELSE 0 END AS balance_effect
  FROM ledger, calendar
  WHERE date <= t
),
-- The signals that are plain aggregates share one scan of the ledger: one
-- GROUP BY per signal would read 11 M rows eight times over.
per_household AS (
  SELECT household,
         sum(balance_effect) AS balance,
         -- Σ of everything allocated to charges oldest-first (arrears_days)
         coalesce(sum(cents) FILTER (WHERE type IN ('payment', 'credit')), 0) AS paid,
         t - min(date) AS tenure_days,
         t - max(date) FILTER (WHERE type = 'payment') AS days_since_payment,
         t - max(date) FILTER (WHERE type = 'contact') AS days_since_contact,
         count(*) FILTER (WHERE type = 'credit' AND date > six_months_ago) AS count_credit_6m,
         count(*) FILTER (WHERE type = 'credit' AND date > two_months_ago) AS count_credit_2m,
         -- the balance at the end of each trend sample date (0 before the first event)
         coalesce(sum(balance_effect) FILTER (WHERE date <= sample_1), 0) AS balance_1m_ago,
         coalesce(sum(balance_effect) FILTER (WHERE date <= sample_2), 0) AS balance_2m_ago,
         coalesce(sum(balance_effect) FILTER (WHERE date <= sample_3), 0) AS balance_3m_ago,
         coalesce(sum(balance_effect) FILTER (WHERE date <= sample_4), 0) AS balance_4m_ago,
         coalesce(sum(balance_effect) FILTER (WHERE date <= sample_5), 0) AS balance_5m_ago
  FROM seen, calendar
  GROUP BY household, t
),
charges_by_day AS (
  SELECT household, date, sum(cents) AS charged
  FROM seen
  WHERE type = 'charge'
  GROUP BY household, date
),
last_charge AS (  -- last(charge): the charges of the latest charge date, summed
  SELECT household, arg_max(charged, date) AS last_charge
  FROM charges_by_day
  GROUP BY household
),
arrears_days AS (
  -- FIFO: the oldest charge date by which the charges to date exceed all
  -- that was ever paid or credited; T − that date while the balance is > 0.
  SELECT h.household,
         CASE WHEN h.balance > 0 THEN any_value(c.t) - min(c.date) ELSE 0 END AS arrears_days
  FROM per_household h
  LEFT JOIN (
    SELECT household, date, t,
           sum(charged) OVER (PARTITION BY household ORDER BY date) AS charged_to_date
    FROM charges_by_day, calendar
  ) c ON c.household = h.household AND c.charged_to_date > h.paid
  GROUP BY h.household, h.balance
),
plan_agreed AS (
  -- The plan in force is the latest plan date's; on a date with several
  -- plan events the largest instalment counts (README, semantics decisions).
  SELECT household, arg_max(instalment, date) AS instalment, max(date) AS agreed
  FROM (SELECT household, date, max(cents) AS instalment
        FROM seen WHERE type = 'plan' GROUP BY household, date)
  GROUP BY household
),
plan_closing_balances AS (  -- end-of-day balances of households with a plan
  SELECT household, date,
         sum(sum(balance_effect)) OVER (PARTITION BY household ORDER BY date) AS closing_balance
  FROM seen SEMI JOIN plan_agreed USING (household)
  GROUP BY household, date
),
plan_breached AS (
  -- Active from its date until a plan of 0 or the first day that closes with
  -- balance ≤ 0; breached when the balance is above the balance on its date
  -- less one instalment per month completed since (plan date + m months,
  -- clamped, ≤ T).
  SELECT household,
         instalment > 0 AND bool_and(closing_balance > 0) AND
           balance > balance_agreed - instalment * months_completed AS plan_breached
  FROM (
    SELECT p.household, p.instalment, h.balance, d.closing_balance,
           max(d.closing_balance) FILTER (WHERE d.date = p.agreed)
             OVER (PARTITION BY p.household) AS balance_agreed,
           whole_months - CASE WHEN (p.agreed + to_months(whole_months))::DATE > c.t
                               THEN 1 ELSE 0 END AS months_completed
    FROM plan_agreed p
    JOIN per_household h USING (household)
    JOIN plan_closing_balances d ON d.household = p.household AND d.date >= p.agreed,
    calendar c,
    LATERAL (SELECT (year(c.t) - year(p.agreed)) * 12 + month(c.t) - month(p.agreed)
                    AS whole_months)
  )
  GROUP BY household, instalment, balance, balance_agreed, months_completed
),
trend_balance_6m AS (
  -- Least squares over (x, y) = (−j, balance at T − j months), j = 0…5:
  -- slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²), kept as an integer
  -- numerator and (positive) denominator in cents per month.
  SELECT household,
         6 * sxy - (-15) * sy AS slope_numerator,
         6 * 55 - (-15) * (-15) AS slope_denominator
  FROM (SELECT household,
               balance + balance_1m_ago + balance_2m_ago + balance_3m_ago
                 + balance_4m_ago + balance_5m_ago AS sy,
               -(1 * balance_1m_ago + 2 * balance_2m_ago + 3 * balance_3m_ago
                 + 4 * balance_4m_ago + 5 * balance_5m_ago) AS sxy
        FROM per_household)
),
signals AS (
  SELECT h.household, h.balance, greatest(h.balance, 0) AS arrears, a.arrears_days,
         h.tenure_days, h.days_since_payment, h.days_since_contact,
         h.count_credit_6m, h.count_credit_2m, l.last_charge,
         coalesce(p.plan_breached, false) AS plan_breached,
         tr.slope_numerator, tr.slope_denominator
  FROM per_household h
  JOIN arrears_days a USING (household)
  JOIN trend_balance_6m tr USING (household)
  LEFT JOIN last_charge l USING (household)
  LEFT JOIN plan_breached p USING (household)
),
rules AS (
  SELECT s.household,
         s.arrears_days > grace_days AND s.arrears >= minimum_arrears AS late_rent,
         s.arrears_days > visit_days
           AND coalesce(s.arrears >= 2 * s.last_charge, false) AS two_months_rent,
         coalesce(s.arrears >= 3 * s.last_charge, false)
           AND s.arrears_days > 90 AS three_months_rent,
         s.arrears_days > grace_days AND s.arrears > minimum_arrears
           AND (s.days_since_payment IS NULL
                OR coalesce(s.days_since_payment > silence_days, false)) AS no_payment,
         s.plan_breached AS plan_broken,
         s.arrears_days > grace_days AND s.tenure_days >= 180
           AND s.slope_numerator > growth_per_month * s.slope_denominator AS debt_growing,
         s.count_credit_6m >= 3 AND s.count_credit_2m = 0 AND s.arrears > 0 AS benefit_stopped,
         s.days_since_contact IS NULL
           OR coalesce(s.days_since_contact > 90, false) AS no_contact_90_days
  FROM signals s, params
)
SELECT household, rule
FROM (
  SELECT household, late_rent, two_months_rent, three_months_rent, no_payment,
         plan_broken, debt_growing, benefit_stopped,
         (three_months_rent OR plan_broken OR (two_months_rent AND debt_growing))
           AND no_contact_90_days AS escalate
  FROM rules
)
UNPIVOT (fired FOR rule IN (late_rent, two_months_rent, three_months_rent, no_payment,
                            plan_broken, debt_growing, benefit_stopped, escalate))
WHERE fired
ORDER BY household, rule

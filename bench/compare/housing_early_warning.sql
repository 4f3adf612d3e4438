-- rules/housing-early-warning.rules as DuckDB SQL: the (household, rule) pairs
-- that fire as of getvariable('as_of'), over the table `ledger`
-- (household VARCHAR, date DATE, type VARCHAR, cents BIGINT) that duckdb.mjs
-- loads from the CSV. One CTE per signal of docs/language.md, Signals and functions, named as there.
--
-- Exactness: money stays in integer cents, every threshold is scaled to
-- cents, and the trend is compared by cross-multiplying its integer
-- numerator and denominator, so no floating-point value decides a rule.
-- The language's "no value" (docs/language.md) is SQL NULL, and a comparison with no value is false:
-- every comparison that can meet a NULL is wrapped in coalesce(…, false),
-- because SQL would carry NULL on into `not` and `or`.
WITH
params AS (  -- the ruleset's params, money in cents
  SELECT 15 AS grace_days, 60 AS visit_days, 10000 AS minimum_arrears,
         50000 AS growth_per_month, 45 AS silence_days
),
calendar AS (
  -- Window starts are the same for every household. DuckDB's date − months
  -- clamps to the end of a shorter month, as docs/language.md, Time asks.
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
seen AS (  -- docs/language.md, Time: exactly the events dated on or before T
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
         max(date) FILTER (WHERE type = 'charge') AS last_charge_date,
         t - max(date) FILTER (WHERE type = 'payment') AS days_since_payment,
         t - max(date) FILTER (WHERE type = 'contact') AS days_since_contact,
         count(*) FILTER (WHERE type = 'credit' AND date > six_months_ago) AS count_credit_6m,
         count(*) FILTER (WHERE type = 'credit' AND date > two_months_ago) AS count_credit_2m
  FROM seen, calendar
  GROUP BY household, t
),
changes_after_samples AS (
  -- trend(balance, 6m) samples the balance at T − j months, j = 0…5: the
  -- balance now less what changed after each sample date, so only the last
  -- five months of events are read again.
  SELECT household,
         sum(balance_effect) FILTER (WHERE date > sample_1) AS after_1m_ago,
         sum(balance_effect) FILTER (WHERE date > sample_2) AS after_2m_ago,
         sum(balance_effect) FILTER (WHERE date > sample_3) AS after_3m_ago,
         sum(balance_effect) FILTER (WHERE date > sample_4) AS after_4m_ago,
         sum(balance_effect) AS after_5m_ago
  FROM seen, calendar
  WHERE date > sample_5
  GROUP BY household
),
balance_samples AS (  -- the balance at the end of T − j months (0 before the first event)
  SELECT household, balance AS balance_0m_ago,
         balance - coalesce(after_1m_ago, 0) AS balance_1m_ago,
         balance - coalesce(after_2m_ago, 0) AS balance_2m_ago,
         balance - coalesce(after_3m_ago, 0) AS balance_3m_ago,
         balance - coalesce(after_4m_ago, 0) AS balance_4m_ago,
         balance - coalesce(after_5m_ago, 0) AS balance_5m_ago
  FROM per_household LEFT JOIN changes_after_samples USING (household)
),
last_charge AS (  -- last(charge): the charges of the latest charge date, summed
  SELECT household, sum(cents) AS last_charge
  FROM seen JOIN per_household USING (household)
  WHERE type = 'charge' AND date = last_charge_date
  GROUP BY household
),
owing AS (  -- arrears_days needs the charge history only where something is owed
  SELECT household, paid FROM per_household WHERE balance > 0
),
arrears_days AS (
  -- FIFO: T − the oldest charge date by which the charges to date exceed all
  -- that was ever paid or credited (0, by the LEFT JOIN in `signals`, while
  -- the balance is ≤ 0). The window's default RANGE frame sums a date's
  -- charges together, so the order of charges within a day does not matter.
  SELECT household, any_value(t) - min(date) AS arrears_days
  FROM (SELECT s.household, s.date, o.paid,
               sum(s.cents) OVER (PARTITION BY s.household ORDER BY s.date) AS charged_to_date
        FROM seen s JOIN owing o USING (household)
        WHERE s.type = 'charge'), calendar
  WHERE charged_to_date > paid
  GROUP BY household
),
plan_agreed AS (
  -- The plan in force is the latest plan date's; on a date with several
  -- plan events the largest instalment counts (README, semantics decisions).
  -- An instalment of 0 ends the plan.
  SELECT household, agreed, instalment
  FROM (SELECT household, arg_max(instalment, date) AS instalment, max(date) AS agreed
        FROM (SELECT household, date, max(cents) AS instalment
              FROM seen WHERE type = 'plan' GROUP BY household, date)
        GROUP BY household)
  WHERE instalment > 0
),
plan_balance_agreed AS (  -- the balance at the end of the plan's date
  SELECT household, sum(balance_effect) AS balance_agreed
  FROM seen JOIN plan_agreed USING (household)
  WHERE date <= agreed
  GROUP BY household
),
plan_later_closings AS (  -- each later day's closing balance, as a change since the plan's date
  SELECT household, date,
         sum(sum(balance_effect)) OVER (PARTITION BY household ORDER BY date) AS change_since_agreed
  FROM seen JOIN plan_agreed USING (household)
  WHERE date > agreed
  GROUP BY household, date
),
plan_breached AS (
  -- Active from its date until the first day that closes with balance ≤ 0;
  -- breached when the balance is above the balance on its date less one
  -- instalment per month completed since (plan date + m months, clamped, ≤ T).
  SELECT p.household,
         b.balance_agreed > 0
           AND coalesce(min(b.balance_agreed + l.change_since_agreed) > 0, true)
           AND any_value(h.balance) > b.balance_agreed - p.instalment * (
                 whole_months - CASE WHEN (p.agreed + to_months(whole_months))::DATE > c.t
                                     THEN 1 ELSE 0 END) AS plan_breached
  FROM plan_agreed p
  JOIN plan_balance_agreed b USING (household)
  JOIN per_household h USING (household)
  LEFT JOIN plan_later_closings l USING (household),
  calendar c,
  LATERAL (SELECT (year(c.t) - year(p.agreed)) * 12 + month(c.t) - month(p.agreed)
                  AS whole_months)
  GROUP BY p.household, p.agreed, p.instalment, b.balance_agreed, c.t, whole_months
),
trend_balance_6m AS (
  -- Least squares over (x, y) = (−j, balance at T − j months), j = 0…5:
  -- slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²), kept as an integer
  -- numerator and (positive) denominator in cents per month; here n = 6,
  -- Σx = −15 and Σx² = 55.
  SELECT household,
         6 * sxy - (-15) * sy AS slope_numerator,
         6 * 55 - (-15) * (-15) AS slope_denominator
  FROM (SELECT household,
               balance_0m_ago + balance_1m_ago + balance_2m_ago + balance_3m_ago
                 + balance_4m_ago + balance_5m_ago AS sy,
               -(1 * balance_1m_ago + 2 * balance_2m_ago + 3 * balance_3m_ago
                 + 4 * balance_4m_ago + 5 * balance_5m_ago) AS sxy
        FROM balance_samples)
),
signals AS (
  SELECT h.household, h.balance, greatest(h.balance, 0) AS arrears,
         coalesce(a.arrears_days, 0) AS arrears_days,
         h.tenure_days, h.days_since_payment, h.days_since_contact,
         h.count_credit_6m, h.count_credit_2m, l.last_charge,
         coalesce(p.plan_breached, false) AS plan_breached,
         tr.slope_numerator, tr.slope_denominator
  FROM per_household h
  LEFT JOIN arrears_days a USING (household)
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
           OR coalesce(s.days_since_contact > 90, false) AS no_contact_90_days,
         coalesce(s.days_since_contact <= 30, false) AS contacted_lately
  FROM signals s, params
),
warnings AS (
  SELECT household, late_rent, two_months_rent, three_months_rent, no_payment,
         plan_broken, debt_growing, benefit_stopped, contacted_lately,
         (three_months_rent OR plan_broken OR (two_months_rent AND debt_growing))
           AND no_contact_90_days AS escalate
  FROM rules
),
-- The decision next_step (first; escalate is its first rule): each step's
-- own condition, then each fires only where no step before it holds.
steps AS (
  SELECT *,
         coalesce(escalate, false) AS escalate_holds,
         coalesce(plan_broken, false) AS review_plan_holds,
         coalesce((three_months_rent OR two_months_rent OR debt_growing)
                  AND NOT contacted_lately, false) AS visit_home_holds,
         coalesce(benefit_stopped, false) AS check_benefit_holds,
         coalesce(late_rent OR no_payment, false) AS offer_help_holds
  FROM warnings
)
SELECT household, rule
FROM (
  SELECT household, late_rent, two_months_rent, three_months_rent, no_payment,
         plan_broken, debt_growing, benefit_stopped, escalate,
         review_plan_holds AND NOT escalate_holds AS review_plan,
         visit_home_holds AND NOT (escalate_holds OR review_plan_holds) AS visit_home,
         check_benefit_holds
           AND NOT (escalate_holds OR review_plan_holds OR visit_home_holds)
           AS check_benefit,
         offer_help_holds
           AND NOT (escalate_holds OR review_plan_holds OR visit_home_holds
                    OR check_benefit_holds) AS offer_help
  FROM steps
)
UNPIVOT (fired FOR rule IN (late_rent, two_months_rent, three_months_rent, no_payment,
                            plan_broken, debt_growing, benefit_stopped, escalate,
                            review_plan, visit_home, check_benefit, offer_help))
WHERE fired
ORDER BY household, rule

// How fast any stream could go on this machine: NOT the engine.
//
// The standard ruleset written out by hand in C++ over a fixed record per
// household, updated in place by each event, with the engine's id interning,
// days closing in order, and scheduled checks kept in day buckets; records
// are prefetched a few households ahead of their evaluation. Everything that
// makes the real engine general and exact is left out: no rules read from a
// file, no exact rationals, no folding of old history, no back-dated events,
// no checkpointable layout, fixed rings instead of windows (a long arrears
// history loses its oldest charges), month walks replaced by a check a
// month on, and no alert clauses (cooldown, clear_after): an alert follows
// its rule day by day. Its answers are close to the engine's but not the same; only its
// speed means anything. It does less work than a correct engine must, so its
// throughput is an upper bound for the stream_bench figure (bench/README.md).

#include <benchmark/benchmark.h>

#include <algorithm>

#include "earlywarn/detail/prefetch.hpp"
#include "postings.hpp"

namespace {

using earlywarn::cents;
using earlywarn::day;

constexpr day none = INT32_MIN;
constexpr day never = INT32_MAX;

/// Everything the standard ruleset reads of one household, updated in place:
/// rings of charges not yet paid, of the balance after each day that moved
/// it (~6 months at 16), and of credit dates.
template <int ChargeRing, int BalanceRing, int CreditRing>
struct household_record {
  static constexpr int charge_ring = ChargeRing, balance_ring = BalanceRing,
                       credit_ring = CreditRing;
  cents balance = 0, covered = 0, charged = 0;
  day charge_date[charge_ring];
  cents charge_cumulative[charge_ring];  // all charges up to and including this one
  std::uint8_t charge_head = 0, charge_count = 0;
  day first = 0, last_charge = none, last_payment = none, last_contact = none;
  cents last_charge_sum = 0;
  day credit_date[credit_ring];
  std::uint8_t credit_head = 0, credit_count = 0;
  day moved_on[balance_ring];
  cents balance_after[balance_ring];
  std::uint8_t moved_head = 0, moved_count = 0;
  day plan_agreed = 0;
  cents instalment = 0, plan_balance = 0;
  bool plan_active = false;
  std::uint16_t raised = 0;  // a bit per rule
  day last_raised[12];
  day next_check = never;
  bool dirty = false;
};

enum class kind : std::uint8_t { charge, payment, credit, plan, contact, neutral };

kind kind_of(std::string_view t) {
  if (t == "charge") return kind::charge;
  if (t == "payment") return kind::payment;
  if (t == "credit") return kind::credit;
  if (t == "plan") return kind::plan;
  if (t == "contact") return kind::contact;
  return kind::neutral;
}

// Appends to a ring of `n` entries, dropping the oldest when full.
template <int N>
int ring_slot(std::uint8_t& head, std::uint8_t& count) {
  if (count == N) {
    head = static_cast<std::uint8_t>((head + 1) % N);
    --count;
  }
  return (head + count++) % N;
}

template <class Record>
class floor_stream {
  static constexpr int charge_ring = Record::charge_ring, balance_ring = Record::balance_ring,
                       credit_ring = Record::credit_ring;

 public:
  std::uint64_t evaluations = 0, alerts = 0;

  void push(std::string_view id, day date, std::string_view type, cents amount) {
    if (date > clock_) {
      if (clock_ != none) close(date - 1);
      clock_ = date;
    }
    const std::uint32_t h = ids_.intern(id);
    if (h == households_.size()) households_.emplace_back().first = date;
    Record& r = households_[h];
    apply(r, date, kind_of(type), amount);
    if (!r.dirty) {
      r.dirty = true;
      dirty_.push_back(h);
    }
  }

  void finish() { close(clock_); }
  std::size_t household_count() const { return households_.size(); }

 private:
  static void apply(Record& r, day d, kind k, cents a) {
    switch (k) {
      case kind::charge: {
        r.balance += a;
        r.charged += a;
        r.last_charge_sum = r.last_charge == d ? r.last_charge_sum + a : a;
        r.last_charge = d;
        const int at = ring_slot<charge_ring>(r.charge_head, r.charge_count);
        r.charge_date[at] = d;
        r.charge_cumulative[at] = r.charged;
        break;
      }
      case kind::payment:
      case kind::credit:
        r.balance -= a;
        r.covered += a;
        // FIFO: payments cover the oldest charges first.
        while (r.charge_count != 0 && r.charge_cumulative[r.charge_head] <= r.covered) {
          r.charge_head = static_cast<std::uint8_t>((r.charge_head + 1) % charge_ring);
          --r.charge_count;
        }
        if (k == kind::payment)
          r.last_payment = d;
        else
          r.credit_date[ring_slot<credit_ring>(r.credit_head, r.credit_count)] = d;
        break;
      case kind::plan:
        r.plan_agreed = d;
        r.instalment = a;
        r.plan_balance = r.balance;
        r.plan_active = a > 0 && r.balance > 0;
        return;
      case kind::contact:
        r.last_contact = d;
        return;
      case kind::neutral:
        return;
    }
    const int last = (r.moved_head + r.moved_count + balance_ring - 1) % balance_ring;
    if (r.moved_count != 0 && r.moved_on[last] == d) {
      r.balance_after[last] = r.balance;
      return;
    }
    const int at = ring_slot<balance_ring>(r.moved_head, r.moved_count);
    r.moved_on[at] = d;
    r.balance_after[at] = r.balance;
  }

  static cents balance_on(const Record& r, day d) {
    cents b = 0;
    for (int i = 0; i < r.moved_count; ++i) {
      const int at = (r.moved_head + i) % balance_ring;
      if (r.moved_on[at] > d) break;
      b = r.balance_after[at];
    }
    return b;
  }

  void close(day last) {
    std::vector<std::uint32_t> now;
    now.swap(dirty_);
    for (const std::uint32_t h : now) households_[h].dirty = false;
    evaluate(now, clock_);
    // Every day up to `last` with checks due, in order; a bucket a day.
    for (day d = std::max(taken_ + 1, first_day_); d <= last && d - first_day_ < days(); ++d) {
      std::vector<std::uint32_t>& bucket = due_[static_cast<std::size_t>(d - first_day_)];
      std::vector<std::uint32_t> due;
      for (const std::uint32_t h : bucket)
        if (households_[h].next_check == d) due.push_back(h);  // else: rescheduled since
      std::vector<std::uint32_t>().swap(bucket);
      taken_ = d;
      if (!due.empty()) evaluate(due, d);
    }
  }

  void evaluate(std::vector<std::uint32_t>& list, day t) {
    if (first_day_ == none) first_day_ = t + 1;  // checks are due after the day evaluated
    std::sort(list.begin(), list.end());
    // The same for every household evaluated as of t.
    day sample[6];
    for (int j = 0; j < 6; ++j) sample[j] = earlywarn::add_months(t, -j);
    const day six_months = earlywarn::add_months(t, -6), two_months = sample[2];
    const day month_on = earlywarn::add_months(t, 1);
    constexpr std::size_t ahead = 4;  // records prefetched ahead of their evaluation
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i + ahead < list.size())
        earlywarn::detail::prefetch(&households_[list[i + ahead]], sizeof(Record));
      const std::uint32_t h = list[i];
      Record& r = households_[h];
      ++evaluations;
      if (r.balance <= 0 && r.raised == 0) {  // paid up, nothing open
        r.next_check = never;
        continue;
      }
      const cents arrears = std::max<cents>(r.balance, 0);
      const day owed_since = r.charge_count != 0 ? r.charge_date[r.charge_head] : t;
      const std::int64_t arrears_days = r.balance > 0 ? t - owed_since : 0;
      bool breached = false;
      if (r.plan_active && r.balance <= 0) r.plan_active = false;
      if (r.plan_active) {
        const auto a = earlywarn::to_civil(r.plan_agreed), now = earlywarn::to_civil(t);
        int months = (now.year - a.year) * 12 + (now.month - a.month);
        if (months > 0 && earlywarn::add_months(r.plan_agreed, months) > t) --months;
        breached = r.balance > r.plan_balance - r.instalment * std::max(months, 0);
      }
      // trend(balance, 6m) > 500: the slope is Σ w_j·balance(t − j months) / 35.
      static constexpr int weight[6] = {5, 3, 1, -1, -3, -5};
      std::int64_t slope = 0;
      for (int j = 0; j < 6; ++j)
        slope += weight[j] * (j == 0 ? r.balance : balance_on(r, sample[j]));
      int credits_6m = 0, credits_2m = 0;
      day next = never;
      for (int i = 0; i < r.credit_count; ++i) {
        const day c = r.credit_date[(r.credit_head + i) % credit_ring];
        if (c > six_months) ++credits_6m;
        if (c > two_months) ++credits_2m;
        if (c > six_months && c + 183 > t) next = std::min(next, c + 183);
        if (c > two_months && c + 61 > t) next = std::min(next, c + 61);
      }
      const bool silent = r.last_payment == none || t - r.last_payment > 45;
      const bool late = arrears_days > 15 && arrears >= 10000;
      const bool two = arrears_days > 60 && arrears >= 2 * r.last_charge_sum;
      const bool three = arrears >= 3 * r.last_charge_sum && arrears_days > 90;
      const bool no_payment = arrears_days > 15 && arrears > 10000 && silent;
      const bool growing = arrears_days > 15 && t - r.first >= 180 && slope > 35 * 50000;
      const bool benefit = credits_6m >= 3 && credits_2m == 0 && arrears > 0;
      const bool escalate = (three || breached || (two && growing)) &&
                            (r.last_contact == none || t - r.last_contact > 90);
      // The decision next_step: escalate first, each step only where none
      // before it holds.
      const bool contacted_lately = r.last_contact != none && t - r.last_contact <= 30;
      const bool visit = (three || two || growing) && !contacted_lately;
      const bool review_plan = breached && !escalate;
      const bool visit_home = visit && !escalate && !breached;
      const bool check_benefit = benefit && !escalate && !breached && !visit;
      const bool offer_help = (late || no_payment) && !escalate && !breached && !visit && !benefit;
      const bool holds[12] = {late,        two,        three,         no_payment,
                              breached,    growing,    benefit,       escalate,
                              review_plan, visit_home, check_benefit, offer_help};
      for (int k = 0; k < 12; ++k) {
        if (holds[k] == ((r.raised >> k & 1) != 0)) continue;
        r.raised ^= static_cast<std::uint16_t>(1 << k);
        if (holds[k]) r.last_raised[k] = t;
        ++alerts;
        std::string message =
            "Owes " + std::to_string(arrears) + " for " + std::to_string(arrears_days) + " days";
        benchmark::DoNotOptimize(message);
      }
      if (r.balance > 0) {
        for (const int k : {16, 61, 91})
          if (owed_since + k > t) next = std::min(next, owed_since + k);
        if (r.last_payment != none && r.last_payment + 46 > t)
          next = std::min(next, r.last_payment + 46);
        for (const int k : {31, 91})  // contacted_lately ends; escalate's 90 days pass
          if (r.last_contact != none && r.last_contact + k > t)
            next = std::min(next, r.last_contact + k);
        next = std::min(next, month_on);
      }
      r.next_check = next;
      if (next != never) schedule(next, h);
    }
  }

  std::int32_t days() const { return static_cast<std::int32_t>(due_.size()); }
  void schedule(day when, std::uint32_t h) {
    if (when - first_day_ >= days()) due_.resize(static_cast<std::size_t>(when - first_day_) + 366);
    due_[static_cast<std::size_t>(when - first_day_)].push_back(h);
  }

  earlywarn::detail::string_interner ids_;
  std::vector<Record> households_;
  std::vector<std::uint32_t> dirty_;
  // Households due, a bucket a day from first_day_ (a ten-year ledger's
  // schedule: a few thousand buckets); days up to taken_ are done.
  std::vector<std::vector<std::uint32_t>> due_;
  day first_day_ = none, taken_ = none;
  day clock_ = none;
};

template <class Record>
void stream_floor(benchmark::State& state) {
  const auto& rows = earlywarn::bench::postings();
  const auto& names = earlywarn::bench::household_ids();
  std::uint64_t evaluations = 0, alerts = 0;
  for (auto _ : state) {
    floor_stream<Record> stream;
    for (const earlywarn::bench::posting& p : rows)
      stream.push(names[p.household], p.date, p.type, p.amount);
    stream.finish();
    evaluations = stream.evaluations;
    alerts = stream.alerts;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.counters["evaluations"] = static_cast<double>(evaluations);
  state.counters["alerts"] = static_cast<double>(alerts);
  state.counters["bytes_per_household"] = sizeof(Record);
}
// Rings long enough for the city ledger's households (504 bytes), and
// shorter ones that bring the record to the engine's state size (344 bytes;
// a long arrears history loses more of its oldest charges).
BENCHMARK_TEMPLATE(stream_floor, household_record<12, 16, 8>)
    ->Name("stream_floor/record:504")
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_TEMPLATE(stream_floor, household_record<8, 8, 4>)
    ->Name("stream_floor/record:344")
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace

// How fast any stream could go on this machine: NOT the engine.
//
// The standard ruleset written out by hand in C++ over a fixed record per
// household, updated in place by each event, with the engine's id interning,
// days closing in order, and a queue of scheduled checks. Everything that
// makes the real engine general and exact is left out: no rules read from a
// file, no exact rationals, no folding of old history, no back-dated events,
// no checkpointable layout, fixed rings instead of windows (a long arrears
// history loses its oldest charges), and month walks replaced by a check a
// month on. Its answers are close to the engine's but not the same; only its
// speed means anything. It does less work than a correct engine must, so its
// throughput is an upper bound for the stream_bench figure (bench/README.md).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <queue>

#include "postings.hpp"

namespace {

using earlywarn::cents;
using earlywarn::day;

constexpr int charge_ring = 12;   // charges not yet paid
constexpr int balance_ring = 16;  // balance after each day that moved it: ~6 months
constexpr int credit_ring = 8;
constexpr day none = INT32_MIN;
constexpr day never = INT32_MAX;

/// Everything the standard ruleset reads of one household, updated in place.
struct household_record {
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
  std::uint8_t raised = 0;  // a bit per rule
  day last_raised[8];
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

class floor_stream {
 public:
  std::uint64_t evaluations = 0, alerts = 0;

  void push(std::string_view id, day date, std::string_view type, cents amount) {
    if (date > clock_) {
      if (clock_ != none) close(date - 1);
      clock_ = date;
    }
    const std::uint32_t h = ids_.intern(id);
    if (h == households_.size()) households_.emplace_back().first = date;
    household_record& r = households_[h];
    apply(r, date, kind_of(type), amount);
    if (!r.dirty) {
      r.dirty = true;
      dirty_.push_back(h);
    }
  }

  void finish() { close(clock_); }
  std::size_t household_count() const { return households_.size(); }

 private:
  static void apply(household_record& r, day d, kind k, cents a) {
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

  static cents balance_on(const household_record& r, day d) {
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
    while (!queue_.empty() && queue_.top().first <= last) {
      const day d = queue_.top().first;
      std::vector<std::uint32_t> due;
      for (; !queue_.empty() && queue_.top().first == d; queue_.pop())
        if (households_[queue_.top().second].next_check == d) due.push_back(queue_.top().second);
      evaluate(due, d);
    }
  }

  void evaluate(std::vector<std::uint32_t>& list, day t) {
    std::sort(list.begin(), list.end());
    // The same for every household evaluated as of t.
    day sample[6];
    for (int j = 0; j < 6; ++j) sample[j] = earlywarn::add_months(t, -j);
    const day six_months = earlywarn::add_months(t, -6), two_months = sample[2];
    const day month_on = earlywarn::add_months(t, 1);
    for (const std::uint32_t h : list) {
      household_record& r = households_[h];
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
      const bool holds[8] = {late, two, three, no_payment, breached, growing, benefit, escalate};
      for (int k = 0; k < 8; ++k) {
        if (holds[k] == ((r.raised >> k & 1) != 0)) continue;
        r.raised ^= static_cast<std::uint8_t>(1 << k);
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
        next = std::min(next, month_on);
      }
      r.next_check = next;
      if (next != never) queue_.emplace(next, h);
    }
  }

  earlywarn::detail::string_interner ids_;
  std::vector<household_record> households_;
  std::vector<std::uint32_t> dirty_;
  std::priority_queue<std::pair<day, std::uint32_t>, std::vector<std::pair<day, std::uint32_t>>,
                      std::greater<>>
      queue_;
  day clock_ = none;
};

void stream_floor(benchmark::State& state) {
  const auto& rows = earlywarn::bench::postings();
  const auto& names = earlywarn::bench::household_ids();
  std::uint64_t evaluations = 0, alerts = 0;
  for (auto _ : state) {
    floor_stream stream;
    for (const earlywarn::bench::posting& p : rows)
      stream.push(names[p.household], p.date, p.type, p.amount);
    stream.finish();
    evaluations = stream.evaluations;
    alerts = stream.alerts;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.counters["evaluations"] = static_cast<double>(evaluations);
  state.counters["alerts"] = static_cast<double>(alerts);
  state.counters["bytes_per_household"] = sizeof(household_record);
}
BENCHMARK(stream_floor)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

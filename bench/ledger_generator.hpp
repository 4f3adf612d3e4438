#pragma once
/// \file ledger_generator.hpp
/// A synthetic city rent ledger (docs/language.md, Ledger), reproducible by seed, for benchmarks
/// and back-tests.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/model/date.hpp"

namespace earlywarn::bench {

/// What to generate: how many households over how many years from which date, and the seed.
struct generator_options {
  std::uint32_t households = 300;
  int years = 3;
  earlywarn::day start = earlywarn::to_day({2022, 1, 1});
  std::uint64_t seed = 1;
  /// Also post the outcomes of deep arrears: `court_filing` when the landlord
  /// decides to end the tenancy and `eviction` when it ends (GENERATOR.md).
  /// Every other row is the same with or without them.
  bool outcomes = false;
};

/// How a household pays; see GENERATOR.md.
enum class behaviour : std::uint8_t {
  regular,
  late,
  partial,
  shock,  ///< shock then recovery
  benefit,
  lump_sum,
  prepaying,
  non_payer
};

/// One ledger row as the generator produces it.
struct generated_event {
  std::uint32_t household;  // 0-based index; id text is household_id(index)
  earlywarn::day date;
  std::string_view type;  // "charge", "payment", "credit", "plan", "contact", "letter", "notice",
                          // and with outcomes "court_filing" and "eviction"
  std::int64_t cents;     // amount in hundredths, >= 0
  bool has_amount;        // false for contact/letter/notice (CSV amount field left empty)
};

namespace detail {

/// The digits of 0–99 as character pairs, for formatting two digits at a time.
inline constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// Writes `value` in decimal with at least `min_width` digits (zero padded); returns the end.
inline char* write_unsigned(char* out, std::uint64_t value, int min_width) noexcept {
  char text[24];
  char* end = text + sizeof text;
  char* p = end;
  while (value >= 100) {
    const auto pair = static_cast<std::size_t>(value % 100) * 2;
    value /= 100;
    *--p = digit_pairs[pair + 1];
    *--p = digit_pairs[pair];
  }
  if (value >= 10) {
    const auto pair = static_cast<std::size_t>(value) * 2;
    *--p = digit_pairs[pair + 1];
    *--p = digit_pairs[pair];
  } else {
    *--p = static_cast<char>('0' + value);
  }
  while (end - p < min_width) *--p = '0';
  const auto length = static_cast<std::size_t>(end - p);
  std::memcpy(out, p, length);
  return out + length;
}

/// The built-in event types the generator posts (docs/language.md, Ledger) plus neutral ones:
/// letters and notices, and the outcomes when asked for.
enum class event_kind : std::uint8_t {
  charge,
  payment,
  credit,
  plan,
  contact,
  letter,
  notice,
  court_filing,
  eviction
};

/// Type names indexed by event_kind.
inline constexpr std::string_view event_type_names[] = {"charge", "payment",      "credit",
                                                        "plan",   "contact",      "letter",
                                                        "notice", "court_filing", "eviction"};

/// True for the kinds that carry an amount.
constexpr bool has_amount(event_kind kind) noexcept { return kind <= event_kind::plan; }

/// splitmix64: tiny, fast, and the same on every platform, unlike std:: distributions.
class random_stream {
 public:
  explicit random_stream(std::uint64_t state = 0) noexcept : state_(state) {}

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// A number in [0, n), n > 0, by multiply-shift (bias below 2^-32 for the n used here).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

  /// A number in [lo, hi].
  int between(int lo, int hi) noexcept {
    return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1)));
  }

  /// True with probability per_10000 / 10000.
  bool chance(std::uint32_t per_10000) noexcept { return below(10000) < per_10000; }

 private:
  std::uint64_t state_;
};

/// The independent stream of one household, so output never depends on generation order.
inline random_stream household_stream(std::uint64_t seed, std::uint32_t index) noexcept {
  random_stream mixer(seed ^ (0xd1b54a32d192ed03ULL * (std::uint64_t{index} + 1)));
  mixer.next();
  return random_stream(mixer.next());
}

/// `cents` scaled by basis points, rounded to whole currency units as people and offices pay.
constexpr std::int64_t share_in_units(std::int64_t cents, int basis_points) noexcept {
  return (cents * basis_points + 500000) / 1000000 * 100;
}

/// The calendar month being generated and the period's bounds.
struct month_context {
  int index;             // months since the period's first month
  int calendar_month;    // 1–12
  earlywarn::day first;  // the 1st of the month
  int length;            // days in the month
  earlywarn::day period_start;
  earlywarn::day period_end;  // exclusive
};

/// One row in a month's journal; the date is implied by the bucket that holds it.
struct posted_event {
  std::uint32_t household;
  event_kind kind;
  std::int64_t cents;
};

/// The events of one month, bucketed by day: posting households in index order yields
/// (date, household) order with a linear-time counting sort.
class month_journal {
 public:
  /// Empties the journal for a new month.
  void open(const month_context& month) noexcept {
    month_ = month;
    for (auto& bucket : by_day_) bucket.clear();
  }

  /// Posts an event dated within the open month; dates outside the period are clamped or dropped.
  void post(std::uint32_t household, earlywarn::day date, event_kind kind, std::int64_t cents) {
    if (date >= month_.period_end) return;
    if (date < month_.period_start) date = month_.period_start;
    by_day_[date - month_.first].push_back({household, kind, cents});
  }

  /// Hands every event of the month to `sink` in (date, household) order.
  template <class Sink>
  void drain(Sink& sink) const {
    for (int d = 0; d < month_.length; ++d) {
      const earlywarn::day date = month_.first + d;
      for (const posted_event& e : by_day_[d]) {
        sink(generated_event{e.household, date, event_type_names[static_cast<int>(e.kind)], e.cents,
                             has_amount(e.kind)});
      }
    }
  }

  /// The open month.
  const month_context& month() const noexcept { return month_; }

 private:
  month_context month_{};
  std::vector<posted_event> by_day_[31];
};

/// Picks a behaviour with the proportions documented in GENERATOR.md (per 10,000).
inline behaviour pick_behaviour(random_stream& rng) noexcept {
  constexpr int cumulative[] = {4500, 5900, 6700, 7700, 8900, 9300, 9700, 10000};
  const int draw = static_cast<int>(rng.below(10000));
  int b = 0;
  while (draw >= cumulative[b]) ++b;
  return static_cast<behaviour>(b);
}

/// One household's tenancy, advanced month by month as a small state machine.
class household_simulation {
 public:
  household_simulation(std::uint64_t seed, std::uint32_t index, int months,
                       bool outcomes = false) noexcept
      : rng_(household_stream(seed, index)), index_(index), outcomes_(outcomes) {
    behaviour_ = pick_behaviour(rng_);
    // Three in ten tenancies begin during the period; about one in seven ends within it.
    start_month_ = rng_.chance(7000) || months < 2 ? 0 : rng_.between(1, months - 1);
    end_month_ = never;
    if (rng_.chance(1500) && start_month_ + 3 <= months - 1)
      end_month_ = rng_.between(start_month_ + 3, months - 1);
    // Rents are triangular around 10,000.00; a separate service charge for four in ten.
    rent_ = 400000 + rng_.below(600001);
    rent_ += rng_.below(600001);
    service_ = rng_.chance(4000) ? rng_.between(50000, 250000) : 0;
    raise_month_ = rng_.between(1, 12);
    pay_day_ = rng_.between(1, 5);
    switch (behaviour_) {
      case behaviour::shock: {
        const int last = (end_month_ == never ? months : end_month_) - 4;
        shock_month_ = start_month_ + 3 <= last ? rng_.between(start_month_ + 3, last) : never;
        shock_length_ = rng_.between(2, 6);
        break;
      }
      case behaviour::benefit:
        benefit_share_ = rng_.between(3000, 7000);
        benefit_day_ = rng_.between(10, 18);
        break;
      case behaviour::lump_sum:
        months_to_skip_ = rng_.between(2, 4);
        break;
      case behaviour::prepaying:
        prepay_months_ = rng_.between(3, 6);
        next_prepayment_ = start_month_;
        break;
      default:
        break;
    }
  }

  /// Posts this household's events dated in the journal's month and schedules later ones.
  void advance(month_journal& journal) {
    journal_ = &journal;
    const month_context& month = journal.month();
    flush_scheduled(month);
    if (month.index < start_month_ || finished_) return;
    if (month.index == end_month_) {
      // Outcomes draw nothing from the stream: every other row stays as it is.
      if (outcomes_ && terminated_) post(month.first, event_kind::eviction);
      settle(month);
      return;
    }
    if (month.calendar_month == raise_month_ && month.index > start_month_) {
      // Rent rises 2–6 % a year, kept within the 16,000.00 ceiling of the city's scale.
      rent_ = (rent_ * (10000 + rng_.between(200, 600)) + 5000) / 10000;
      if (rent_ > 1600000) rent_ = 1600000;
    }
    post(month.first, event_kind::charge, rent_);
    if (service_ > 0) post(month.first, event_kind::charge, service_);
    balance_ += due();
    if (plan_ == plan_state::keeping) {
      pay_plan(month);
    } else if (!(outreach_pending_ && reach_out(month))) {
      pay(month);
    }
    escalate(month);
  }

 private:
  static constexpr int never = 1 << 30;
  enum class plan_state : std::uint8_t { none, keeping, broken };

  /// An event dated after the month in which it was decided.
  struct scheduled_event {
    earlywarn::day date;
    event_kind kind;
    std::int64_t cents;
  };

  std::int64_t due() const noexcept { return rent_ + service_; }

  void post(earlywarn::day date, event_kind kind, std::int64_t cents = 0) {
    const month_context& month = journal_->month();
    const earlywarn::day next_month = month.first + month.length;
    if (date >= next_month) {
      if (date >= month.period_end) return;
      if (scheduled_count_ < max_scheduled) {
        scheduled_[scheduled_count_++] = {date, kind, cents};
        return;
      }
      date = next_month - 1;  // unreachable with today's behaviours; keeps the balance honest
    }
    journal_->post(index_, date, kind, cents);
  }

  void flush_scheduled(const month_context& month) {
    int kept = 0;
    for (int i = 0; i < scheduled_count_; ++i) {
      const scheduled_event& e = scheduled_[i];
      if (e.date < month.first + month.length) {
        journal_->post(index_, e.date, e.kind, e.cents);
      } else {
        scheduled_[kept++] = e;
      }
    }
    scheduled_count_ = kept;
  }

  /// A payment on day of month `dom` (counted on past the month's end); the balance moves now.
  void pay_on(const month_context& month, int dom, std::int64_t cents) {
    if (cents <= 0) return;
    post(month.first + dom - 1, event_kind::payment, cents);
    balance_ -= cents;
  }

  /// A payment of a random share (basis points) of the monthly charge on a random day.
  void pay_part(const month_context& month, int least, int most) {
    const int dom = rng_.between(1, 28);
    pay_on(month, dom, share_in_units(due(), rng_.between(least, most)));
  }

  void pay(const month_context& month) {
    switch (behaviour_) {
      case behaviour::regular:
        pay_regularly(month);
        break;
      case behaviour::late:
        pay_on(month, rng_.chance(6500) ? 5 + rng_.between(10, 40) : rng_.between(1, 5), due());
        break;
      case behaviour::partial:
        pay_partially(month);
        break;
      case behaviour::shock:
        pay_after_shock(month);
        break;
      case behaviour::benefit:
        pay_with_benefit(month);
        break;
      case behaviour::lump_sum:
        if (months_to_skip_ > 0) {
          --months_to_skip_;
        } else {
          pay_on(month, rng_.between(1, 28), balance_);
          months_to_skip_ = rng_.between(2, 4);
        }
        break;
      case behaviour::prepaying:
        if (month.index >= next_prepayment_) {
          pay_on(month, rng_.between(1, 10),
                 (balance_ > 0 ? balance_ : 0) + (prepay_months_ - 1) * due());
          next_prepayment_ = month.index + prepay_months_;
        }
        break;
      case behaviour::non_payer:
        if (rng_.chance(2000)) pay_part(month, 3000, 10000);
        break;
    }
  }

  void pay_regularly(const month_context& month) {
    // Even reliable payers are occasionally a week or two late.
    const int dom = rng_.chance(200) ? rng_.between(8, 20) : pay_day_ + rng_.between(-1, 2);
    pay_on(month, dom < 1 ? 1 : dom > 5 ? 5 : dom, due());
  }

  void pay_partially(const month_context& month) {
    const int dom = pay_day_ + rng_.between(0, 12);
    if (rng_.chance(400) && balance_ > 0) {
      pay_on(month, dom, balance_);  // a tax refund or family help clears the debt
    } else if (rng_.chance(8000)) {
      pay_on(month, dom, share_in_units(due(), rng_.between(6000, 9500)));
    } else {
      pay_on(month, dom, due());
    }
  }

  void pay_after_shock(const month_context& month) {
    const int shock_end = shock_month_ + shock_length_;
    if (month.index < shock_month_ || recovered_) return pay_regularly(month);
    if (month.index < shock_end) return;  // the job is lost: nothing is paid
    if (month.index == shock_end) {
      if (!reach_out(month)) {
        recovered_ = true;
        pay_regularly(month);
      }
      return;
    }
    // Only a broken plan leads here: irregular part payments.
    if (rng_.chance(5500)) pay_part(month, 4000, 9000);
  }

  void pay_with_benefit(const month_context& month) {
    const std::int64_t allowance = share_in_units(due(), benefit_share_);
    if (benefit_paused_ == 0 && rng_.chance(250)) benefit_paused_ = rng_.between(2, 5);
    if (benefit_paused_ > 0) {
      --benefit_paused_;
      missed_allowance_ += allowance;
    } else {
      post(month.first + benefit_day_ - 1, event_kind::credit, allowance);
      balance_ -= allowance;
      // Half the time the office pays the paused months back when the benefit resumes.
      if (missed_allowance_ > 0 && rng_.chance(5000)) {
        post(month.first + benefit_day_ - 1, event_kind::credit, missed_allowance_);
        balance_ -= missed_allowance_;
      }
      missed_allowance_ = 0;
    }
    pay_on(month, pay_day_ + rng_.between(0, 5), due() - allowance);
  }

  /// A caseworker's contact, then a repayment plan agreed a few days later if arrears remain;
  /// true when a plan was agreed (and this month's instalment paid).
  bool reach_out(const month_context& month) {
    outreach_pending_ = false;
    const int contact_dom = rng_.between(3, 12);
    const int plan_dom = contact_dom + rng_.between(2, 10);
    post(month.first + contact_dom - 1, event_kind::contact);
    if (balance_ <= due()) return false;
    instalment_ = share_in_units(rent_, rng_.between(1000, 3000));
    post(month.first + plan_dom - 1, event_kind::plan, instalment_);
    const std::uint32_t keep_per_10000 = behaviour_ == behaviour::non_payer ? 2000
                                         : behaviour_ == behaviour::shock   ? 6500
                                                                            : 5000;
    plan_ = plan_state::keeping;
    months_before_break_ = rng_.chance(keep_per_10000) ? never : rng_.between(1, 5);
    plan_pay_day_ = plan_dom + rng_.between(1, 5);
    pay_plan_instalment(month);
    return true;
  }

  void pay_plan(const month_context& month) {
    if (--months_before_break_ <= 0) {
      plan_ = plan_state::broken;
      pay(month);
      return;
    }
    plan_pay_day_ = rng_.between(1, 10);
    pay_plan_instalment(month);
  }

  void pay_plan_instalment(const month_context& month) {
    const std::int64_t owed = balance_;
    const std::int64_t amount = due() + instalment_ < owed ? due() + instalment_ : owed;
    pay_on(month, plan_pay_day_, amount);
    if (balance_ <= 0) {
      post(month.first + plan_pay_day_ - 1, event_kind::plan, 0);
      plan_ = plan_state::none;
      recovered_ = true;
    }
  }

  /// Landlord's letters as arrears pass two and three months' rent; a notice may bring a visit,
  /// and deep arrears may end the tenancy.
  void escalate(const month_context& month) {
    if (balance_ <= due()) {
      letter_sent_ = notice_sent_ = false;
      if (balance_ <= 0 && plan_ == plan_state::broken) plan_ = plan_state::none;
      return;
    }
    const earlywarn::day date = month.first + rng_.between(15, 25) - 1;
    if (!letter_sent_ && balance_ > 2 * due()) {
      post(date, event_kind::letter);
      letter_sent_ = true;
    } else if (letter_sent_ && !notice_sent_ && balance_ > 3 * due()) {
      post(date, event_kind::notice);
      notice_sent_ = true;
      if (plan_ == plan_state::none && behaviour_ != behaviour::shock && rng_.chance(5000))
        outreach_pending_ = true;
    } else if (notice_sent_ && balance_ > 6 * due() && end_month_ > month.index + 2 &&
               rng_.chance(800)) {
      end_month_ = month.index + 2;  // the landlord terminates the tenancy: housing is lost
      terminated_ = true;
      if (outcomes_) post(date, event_kind::court_filing);
    }
  }

  /// The tenancy ends: charges stop; the balance is paid off or written off.
  void settle(const month_context& month) {
    finished_ = true;
    if (balance_ <= 0) return;
    if (rng_.chance(5500)) {
      pay_on(month, rng_.between(5, 25), balance_);
    } else {
      post(month.first + rng_.between(20, 28) - 1, event_kind::credit, balance_);
      balance_ = 0;
    }
  }

  static constexpr int max_scheduled = 2;

  random_stream rng_;
  month_journal* journal_ = nullptr;
  std::int64_t balance_ = 0;
  std::int64_t rent_ = 0;
  std::int64_t service_ = 0;
  std::int64_t instalment_ = 0;
  std::int64_t missed_allowance_ = 0;
  std::uint32_t index_;
  int start_month_ = 0;
  int end_month_ = never;
  int shock_month_ = never;
  int months_before_break_ = 0;
  int next_prepayment_ = 0;
  int scheduled_count_ = 0;
  int raise_month_ = 1;
  int pay_day_ = 1;
  int plan_pay_day_ = 1;
  int shock_length_ = 0;
  int benefit_share_ = 0;
  int benefit_day_ = 15;
  int benefit_paused_ = 0;
  int months_to_skip_ = 0;
  int prepay_months_ = 3;
  behaviour behaviour_ = behaviour::regular;
  plan_state plan_ = plan_state::none;
  bool outreach_pending_ = false;
  bool recovered_ = false;
  bool letter_sent_ = false;
  bool notice_sent_ = false;
  bool finished_ = false;
  bool outcomes_ = false;
  bool terminated_ = false;
  scheduled_event scheduled_[max_scheduled];
};

/// Writes CSV rows through a large buffer with hand-written number formatting.
class csv_writer {
 public:
  explicit csv_writer(std::FILE* out) : out_(out), buffer_(buffer_size) {}

  /// Appends one row.
  void operator()(const generated_event& e) {
    if (used_ + max_row > buffer_.size()) flush();
    char* p = buffer_.data() + used_;
    *p++ = 'H';
    *p++ = 'H';
    p = write_unsigned(p, e.household, 7);
    *p++ = ',';
    if (e.date != cached_date_) {
      earlywarn::format_date(e.date, date_text_);
      cached_date_ = e.date;
    }
    std::memcpy(p, date_text_, 10);
    p += 10;
    *p++ = ',';
    std::memcpy(p, e.type.data(), e.type.size());
    p += e.type.size();
    *p++ = ',';
    if (e.has_amount) {
      const auto cents = static_cast<std::uint64_t>(e.cents);
      p = write_unsigned(p, cents / 100, 1);
      *p++ = '.';
      const auto pair = static_cast<std::size_t>(cents % 100) * 2;
      *p++ = digit_pairs[pair];
      *p++ = digit_pairs[pair + 1];
    }
    *p++ = '\n';
    used_ = static_cast<std::size_t>(p - buffer_.data());
  }

  /// Appends raw text (the header).
  void write(std::string_view text) {
    if (used_ + text.size() > buffer_.size()) flush();
    std::memcpy(buffer_.data() + used_, text.data(), text.size());
    used_ += text.size();
  }

  /// Writes out everything buffered; throws std::runtime_error when the stream fails.
  void flush() {
    if (used_ > 0 && std::fwrite(buffer_.data(), 1, used_, out_) != used_)
      throw std::runtime_error("writing the ledger failed");
    used_ = 0;
  }

 private:
  static constexpr std::size_t buffer_size = std::size_t{1} << 20;
  static constexpr std::size_t max_row = 128;

  std::FILE* out_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  earlywarn::day cached_date_ = -2147483647 - 1;
  char date_text_[10] = {};
};

}  // namespace detail

/// The id text of household `index`: "HH" and at least 7 digits, zero padded ("HH0000042").
inline std::string household_id(std::uint32_t index) {
  char text[16] = {'H', 'H'};
  const char* end = detail::write_unsigned(text + 2, index, 7);
  return std::string(text, static_cast<std::size_t>(end - text));
}

/// The behaviour of household `index` under `seed`: its first draw, so it depends on nothing else.
inline behaviour household_behaviour(std::uint64_t seed, std::uint32_t index) noexcept {
  detail::random_stream rng = detail::household_stream(seed, index);
  return detail::pick_behaviour(rng);
}

/// Calls `sink(const generated_event&)` for every event, in (date, household) order, holding
/// one month of events at a time; throws std::invalid_argument when the period leaves 0001–9999.
template <class Sink>
void generate_ledger(const generator_options& options, Sink&& sink) {
  if (options.years < 1 || options.years > 5000)
    throw std::invalid_argument("generate_ledger: years must be between 1 and 5000");
  const earlywarn::day period_start = options.start;
  const earlywarn::day period_end = earlywarn::add_months(period_start, 12 * options.years);
  const earlywarn::civil_date first = earlywarn::to_civil(period_start);
  const earlywarn::civil_date last = earlywarn::to_civil(period_end - 1);
  if (first.year < 1 || last.year > 9999)
    throw std::invalid_argument("generate_ledger: the period must lie within years 0001-9999");
  const int months = (last.year - first.year) * 12 + (last.month - first.month) + 1;

  std::vector<detail::household_simulation> households;
  households.reserve(options.households);
  for (std::uint32_t h = 0; h < options.households; ++h)
    households.emplace_back(options.seed, h, months, options.outcomes);

  detail::month_journal journal;
  for (int m = 0; m < months; ++m) {
    const int month_number = first.month - 1 + m;
    const int year = first.year + month_number / 12;
    const int calendar_month = month_number % 12 + 1;
    journal.open({m, calendar_month, earlywarn::to_day({year, calendar_month, 1}),
                  earlywarn::days_in_month(year, calendar_month), period_start, period_end});
    for (detail::household_simulation& household : households) household.advance(journal);
    journal.drain(sink);
  }
}

/// The number of households whose ledger under `options` (its `households` ignored) has the
/// event count nearest to `events`; throws std::invalid_argument when that needs more than
/// 4,294,967,295 households.
inline std::uint32_t households_for_events(generator_options options, std::uint64_t events) {
  if (events == 0) return 0;
  // A household's history does not depend on the others, so the first h households of any
  // larger ledger are the ledger of h households: count per household once, then take the prefix
  // nearest the target. A small sample sizes that one counting pass.
  constexpr std::uint32_t sample = 1000;
  options.households = sample;
  std::uint64_t sampled = 0;
  generate_ledger(options, [&](const generated_event&) { ++sampled; });
  const std::uint64_t limit = 0xffffffffu;
  std::uint64_t guess = sampled == 0 ? limit : (events / sampled + 1) * sample * 11 / 10;
  for (;;) {
    if (guess > limit) guess = limit;
    options.households = static_cast<std::uint32_t>(guess);
    std::vector<std::uint32_t> per_household(options.households);
    generate_ledger(options, [&](const generated_event& e) { ++per_household[e.household]; });
    std::uint64_t total = 0;
    for (std::uint32_t h = 0; h < options.households; ++h) {
      const std::uint64_t next = total + per_household[h];
      if (next >= events) return next - events <= events - total ? h + 1 : h;
      total = next;
    }
    if (guess == limit) throw std::invalid_argument("households_for_events: too many events");
    guess *= 2;
  }
}

/// Writes the header "household,date,type,amount" and every generated row to `out`; throws
/// std::runtime_error when writing fails.
inline void write_ledger_csv(const generator_options& options, std::FILE* out) {
  detail::csv_writer writer(out);
  writer.write("household,date,type,amount\n");
  generate_ledger(options, writer);
  writer.flush();
}

}  // namespace earlywarn::bench

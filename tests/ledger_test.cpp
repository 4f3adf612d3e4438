#include "earlywarn/model/ledger.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/detail/effect_table.hpp"

namespace earlywarn {
namespace {

day on(std::string_view iso) { return *parse_date(iso); }

struct event_row {
  std::string date;
  std::string type;
  cents amount;
  friend bool operator==(const event_row&, const event_row&) = default;
};

std::ostream& operator<<(std::ostream& os, const event_row& e) {
  return os << '{' << e.date << ' ' << e.type << ' ' << e.amount << '}';
}

std::vector<event_row> rows(const ledger& l, household_index h) {
  std::vector<event_row> out;
  const household_events ev = l.events(h);
  for (std::size_t i = 0; i < ev.size(); ++i)
    out.push_back(
        {format_date(ev.dates[i]), std::string(l.types().name(ev.types[i])), ev.amounts[i]});
  return out;
}

std::vector<std::string> ids(const ledger& l) {
  std::vector<std::string> out;
  for (household_index h = 0; h < l.household_count(); ++h) out.emplace_back(l.household_id(h));
  return out;
}

TEST(type_table, builtin_types_have_fixed_ids) {
  const type_table t;
  EXPECT_EQ(t.size(), 5u);
  EXPECT_EQ(t.find("charge"), std::optional<type_id>(builtin_type::charge));
  EXPECT_EQ(t.find("payment"), std::optional<type_id>(builtin_type::payment));
  EXPECT_EQ(t.find("credit"), std::optional<type_id>(builtin_type::credit));
  EXPECT_EQ(t.find("plan"), std::optional<type_id>(builtin_type::plan));
  EXPECT_EQ(t.find("contact"), std::optional<type_id>(builtin_type::contact));
  EXPECT_EQ(t.name(builtin_type::charge), "charge");
  EXPECT_EQ(t.name(builtin_type::contact), "contact");
}

TEST(type_table, interns_new_names_once_after_the_builtins) {
  type_table t;
  EXPECT_EQ(t.intern("payment"), builtin_type::payment);
  const type_id letter = t.intern("letter");
  EXPECT_EQ(letter, builtin_type::count);
  EXPECT_EQ(t.intern("court_date_2"), builtin_type::count + 1);
  EXPECT_EQ(t.intern("letter"), letter);
  EXPECT_EQ(t.size(), 7u);
  EXPECT_EQ(t.name(letter), "letter");
  EXPECT_EQ(t.find("letter"), std::optional<type_id>(letter));
  EXPECT_EQ(t.find("notice"), std::nullopt);
}

TEST(type_table, refuses_names_outside_the_type_grammar) {
  type_table t;
  EXPECT_THROW(t.intern(""), std::invalid_argument);
  EXPECT_THROW(t.intern("Payment"), std::invalid_argument);
  EXPECT_THROW(t.intern("1st_notice"), std::invalid_argument);
  EXPECT_THROW(t.intern("_notice"), std::invalid_argument);
  EXPECT_THROW(t.intern("court-date"), std::invalid_argument);
  EXPECT_THROW(t.intern("court date"), std::invalid_argument);
  EXPECT_THROW(t.intern("dopis\xC5\xA1"), std::invalid_argument);
  EXPECT_THROW(t.intern(std::string(65, 'a')), std::invalid_argument);
  EXPECT_NO_THROW(t.intern(std::string(64, 'a')));
  EXPECT_EQ(t.size(), 6u);
}

// What was refused is named, so a caller can find it in the input.
TEST(ledger_builder, refusals_name_the_value_refused) {
  auto message = [](auto&& call) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  type_table t;
  EXPECT_EQ(message([&] { t.intern("court-date"); }),
            "event type 'court-date' must match [a-z][a-z0-9_]* (at most 64 bytes)");
  ledger_builder b;
  EXPECT_EQ(message([&] { b.intern_household(""); }), "household id must be 1-64 bytes, not empty");
  EXPECT_EQ(message([&] { b.intern_household(std::string(65, 'h')); }),
            "household id must be 1-64 bytes, not 65 ('" + std::string(65, 'h') + "')");
  EXPECT_EQ(message([&] { b.intern_household(std::string(90, 'h')); }),
            "household id must be 1-64 bytes, not 90 ('" + std::string(80, 'h') + "…')");
}

TEST(type_table, refuses_more_than_65535_types) {
  type_table t;
  // Appending, not "t" + std::to_string(i): GCC 12 warns falsely on that (-Wrestrict).
  for (std::size_t i = t.size(); i < max_event_types; ++i)
    t.intern(std::string("t").append(std::to_string(i)));
  EXPECT_EQ(t.size(), 65535u);
  EXPECT_TRUE(t.full());
  EXPECT_EQ(t.name(65534), "t65534");
  try {
    t.intern("one_too_many");
    ADD_FAILURE() << "interned a type past the limit";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("the limit is 65,535"), std::string::npos) << e.what();
  }
  EXPECT_EQ(t.intern("t65534"), 65534);
}

TEST(ledger_builder, reopens_and_grades_a_ledger_with_the_most_types) {
  // A full type table: a loop counting type ids in 16 bits would never end here.
  ledger_builder b;
  for (std::size_t i = builtin_type::count; i < max_event_types; ++i)
    b.add("HH1", 19000, std::string("t").append(std::to_string(i)), 0);
  const ledger full = std::move(b).build();
  ASSERT_EQ(full.types().size(), max_event_types);
  const ledger_builder reopened(full);
  EXPECT_EQ(reopened.type_name(65534), "t65534");
  const effect_table effects(full.types());
  EXPECT_EQ(effects[65534], balance_effect::neutral);
  EXPECT_EQ(effects[builtin_type::charge], balance_effect::increases);
}

TEST(ledger_builder, refuses_a_household_whose_amounts_overflow_64_bits) {
  // 9,223 of the largest amounts fit INT64_MAX hundredths; 9,224 do not.
  ledger_builder fits;
  for (int i = 0; i < 9'223; ++i) fits.add("HUGE", 19000, "charge", max_amount);
  fits.add("SMALL", 19000, "charge", 1);
  const ledger l = std::move(fits).build();
  EXPECT_EQ(l.event_count(), 9'224u);

  ledger_builder beyond(l);
  beyond.add("HUGE", 19001, "payment", max_amount);
  try {
    (void)std::move(beyond).build();
    ADD_FAILURE() << "a household beyond 64 bits was built";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "household 'HUGE': its amounts add up to more than 92233720368547758.07, the most "
              "one household's balance can hold in 64 bits");
  }
}

TEST(ledger, empty_ledger_has_nothing) {
  const ledger empty;
  EXPECT_EQ(empty.household_count(), 0u);
  EXPECT_EQ(empty.event_count(), 0u);
  EXPECT_EQ(empty.first_date(), std::nullopt);
  EXPECT_EQ(empty.last_date(), std::nullopt);
  EXPECT_EQ(empty.find_household("HH1"), std::nullopt);
  EXPECT_EQ(empty.types().size(), 5u);

  const ledger built = ledger_builder().build();
  EXPECT_EQ(built.household_count(), 0u);
  EXPECT_EQ(built.event_count(), 0u);
  EXPECT_EQ(built.first_date(), std::nullopt);
  EXPECT_EQ(built.find_household(""), std::nullopt);
  EXPECT_EQ(built.offsets().size(), 1u);
}

TEST(ledger_builder, orders_households_by_id) {
  ledger_builder b;
  b.add("HH0000042", on("2024-03-01"), "charge", 853250);
  b.add("HH0000007", on("2024-03-01"), "charge", 700000);
  b.add("HH0000100", on("2024-03-01"), "charge", 100);
  b.add("HH0000007", on("2024-03-04"), "payment", 700000);
  const ledger l = std::move(b).build();
  EXPECT_EQ(ids(l), (std::vector<std::string>{"HH0000007", "HH0000042", "HH0000100"}));
  EXPECT_EQ(l.household_count(), 3u);
  EXPECT_EQ(l.event_count(), 4u);
  EXPECT_EQ(std::vector<std::uint64_t>(l.offsets().begin(), l.offsets().end()),
            (std::vector<std::uint64_t>{0, 2, 3, 4}));
  EXPECT_EQ(rows(l, 0), (std::vector<event_row>{{"2024-03-01", "charge", 700000},
                                                {"2024-03-04", "payment", 700000}}));
  EXPECT_EQ(rows(l, 1), (std::vector<event_row>{{"2024-03-01", "charge", 853250}}));
}

TEST(ledger_builder, orders_ids_bytewise) {
  ledger_builder b;
  for (const char* id : {"b", "B", "a", "\xC3\xA9", "aa", "A"}) b.add(id, 0, "contact", 0);
  const ledger l = std::move(b).build();
  EXPECT_EQ(ids(l), (std::vector<std::string>{"A", "B", "a", "aa", "b", "\xC3\xA9"}));
}

TEST(ledger_builder, sorts_each_households_events_by_date) {
  ledger_builder b;
  b.add("HH1", on("2024-05-01"), "charge", 300);
  b.add("HH1", on("2024-03-01"), "charge", 100);
  b.add("HH2", on("2024-01-01"), "charge", 999);
  b.add("HH1", on("2024-04-01"), "charge", 200);
  b.add("HH1", on("2023-12-31"), "payment", 50);
  const ledger l = std::move(b).build();
  EXPECT_EQ(rows(l, 0), (std::vector<event_row>{{"2023-12-31", "payment", 50},
                                                {"2024-03-01", "charge", 100},
                                                {"2024-04-01", "charge", 200},
                                                {"2024-05-01", "charge", 300}}));
  EXPECT_EQ(rows(l, 1), (std::vector<event_row>{{"2024-01-01", "charge", 999}}));
}

TEST(ledger_builder, keeps_input_order_within_a_date) {
  ledger_builder b;
  b.add("HH1", on("2024-03-02"), "payment", 1);
  b.add("HH1", on("2024-03-01"), "charge", 2);
  b.add("HH1", on("2024-03-02"), "charge", 3);
  b.add("HH1", on("2024-03-01"), "payment", 4);
  b.add("HH1", on("2024-03-02"), "letter", 5);
  b.add("HH1", on("2024-03-01"), "contact", 6);
  const ledger l = std::move(b).build();
  EXPECT_EQ(rows(l, 0), (std::vector<event_row>{{"2024-03-01", "charge", 2},
                                                {"2024-03-01", "payment", 4},
                                                {"2024-03-01", "contact", 6},
                                                {"2024-03-02", "payment", 1},
                                                {"2024-03-02", "charge", 3},
                                                {"2024-03-02", "letter", 5}}));
}

TEST(ledger_builder, keeps_input_order_within_a_date_for_many_events) {
  // Enough events that a sort which is not stable would be likely to reorder them.
  ledger_builder b;
  for (int i = 0; i < 2000; ++i) b.add("HH1", on("2024-03-01") + (i * 7919) % 5, "charge", i);
  const ledger l = std::move(b).build();
  const household_events ev = l.events(0);
  ASSERT_EQ(ev.size(), 2000u);
  for (std::size_t i = 1; i < ev.size(); ++i) {
    ASSERT_LE(ev.dates[i - 1], ev.dates[i]);
    if (ev.dates[i - 1] == ev.dates[i]) {
      ASSERT_LT(ev.amounts[i - 1], ev.amounts[i]) << i;
    }
  }
}

TEST(ledger, find_household_by_id) {
  ledger_builder b;
  for (const char* id : {"HH3", "HH1", "HH2", "HH10"}) b.add(id, 0, "contact", 0);
  const ledger l = std::move(b).build();
  ASSERT_EQ(l.find_household("HH1"), std::optional<household_index>(0));
  EXPECT_EQ(l.find_household("HH10"), std::optional<household_index>(1));
  EXPECT_EQ(l.find_household("HH2"), std::optional<household_index>(2));
  EXPECT_EQ(l.find_household("HH3"), std::optional<household_index>(3));
  EXPECT_EQ(l.household_id(*l.find_household("HH2")), "HH2");
  EXPECT_EQ(l.find_household("HH"), std::nullopt);
  EXPECT_EQ(l.find_household("HH4"), std::nullopt);
  EXPECT_EQ(l.find_household("HH0"), std::nullopt);
  EXPECT_EQ(l.find_household(""), std::nullopt);
  EXPECT_EQ(l.find_household("hh1"), std::nullopt);
}

TEST(ledger, up_to_sees_exactly_the_events_on_or_before_a_date) {
  ledger_builder b;
  b.add("HH1", on("2024-03-01"), "charge", 100);
  b.add("HH1", on("2024-03-04"), "payment", 60);
  b.add("HH1", on("2024-03-04"), "payment", 40);
  b.add("HH1", on("2024-04-01"), "charge", 100);
  const ledger l = std::move(b).build();
  const household_events all = l.events(0);
  EXPECT_EQ(all.up_to(on("2024-02-29")).size(), 0u);
  EXPECT_TRUE(all.up_to(on("2024-02-29")).empty());
  EXPECT_EQ(all.up_to(on("2024-03-01")).size(), 1u);
  EXPECT_EQ(all.up_to(on("2024-03-03")).size(), 1u);
  EXPECT_EQ(all.up_to(on("2024-03-04")).size(), 3u);
  EXPECT_EQ(all.up_to(on("2024-03-31")).size(), 3u);
  EXPECT_EQ(all.up_to(on("2024-04-01")).size(), 4u);
  EXPECT_EQ(all.up_to(on("2099-01-01")).size(), 4u);
  const household_events march = all.up_to(on("2024-03-04"));
  EXPECT_EQ(march.amounts[2], 40);
  EXPECT_EQ(march.types[1], builtin_type::payment);
  EXPECT_EQ(march.types.size(), 3u);
  EXPECT_EQ(march.amounts.size(), 3u);
}

TEST(ledger, first_and_last_dates_span_all_households) {
  ledger_builder b;
  b.add("HH1", on("2024-03-01"), "charge", 1);
  b.add("HH2", on("2023-01-15"), "charge", 1);
  b.add("HH1", on("2024-07-31"), "payment", 1);
  b.add("HH3", on("2024-05-05"), "contact", 0);
  const ledger l = std::move(b).build();
  EXPECT_EQ(l.first_date(), std::optional<day>(on("2023-01-15")));
  EXPECT_EQ(l.last_date(), std::optional<day>(on("2024-07-31")));
}

TEST(ledger, first_and_last_dates_before_1970) {
  ledger_builder b;
  b.add("HH1", on("1969-12-31"), "charge", 1);
  b.add("HH1", on("1950-06-01"), "charge", 1);
  const ledger l = std::move(b).build();
  EXPECT_EQ(l.first_date(), std::optional<day>(on("1950-06-01")));
  EXPECT_EQ(l.last_date(), std::optional<day>(-1));
}

TEST(ledger_builder, ledger_types_keep_builtin_ids_and_intern_custom_ones) {
  ledger_builder b;
  EXPECT_EQ(b.intern_type("credit"), builtin_type::credit);
  const type_id notice = b.intern_type("notice");
  EXPECT_EQ(notice, builtin_type::count);
  b.add("HH1", 0, "notice", 0);
  b.add("HH1", 1, "charge", 5);
  const ledger l = std::move(b).build();
  EXPECT_EQ(l.types().find("notice"), std::optional<type_id>(notice));
  EXPECT_EQ(l.types().find("charge"), std::optional<type_id>(builtin_type::charge));
  EXPECT_EQ(l.events(0).types[0], notice);
  EXPECT_EQ(l.type_ids()[1], builtin_type::charge);
}

TEST(ledger_builder, refuses_invalid_type_names) {
  ledger_builder b;
  EXPECT_THROW(b.add("HH1", 0, "Payment", 1), std::invalid_argument);
  EXPECT_THROW(b.add("HH1", 0, "", 1), std::invalid_argument);
  EXPECT_THROW(b.intern_type("late-fee"), std::invalid_argument);
  EXPECT_EQ(b.event_count(), 0u);
}

TEST(ledger_builder, refuses_invalid_household_ids) {
  ledger_builder b;
  EXPECT_THROW(b.add("", 0, "charge", 1), std::invalid_argument);
  EXPECT_THROW(b.add(std::string(65, 'h'), 0, "charge", 1), std::invalid_argument);
  EXPECT_THROW(b.intern_household(""), std::invalid_argument);
  EXPECT_NO_THROW(b.add(std::string(64, 'h'), 0, "charge", 1));
  EXPECT_EQ(b.event_count(), 1u);
}

TEST(ledger_builder, refuses_amounts_outside_the_ledger_range) {
  ledger_builder b;
  const std::uint32_t hh = b.intern_household("HH1");
  EXPECT_THROW(b.add(hh, 0, builtin_type::charge, -1), std::invalid_argument);
  EXPECT_THROW(b.add(hh, 0, builtin_type::charge, max_amount + 1), std::invalid_argument);
  EXPECT_NO_THROW(b.add(hh, 0, builtin_type::charge, max_amount));
  EXPECT_NO_THROW(b.add(hh, 0, builtin_type::charge, 0));
  EXPECT_EQ(b.event_count(), 2u);
}

TEST(ledger_builder, interning_a_household_twice_gives_one_handle) {
  ledger_builder b;
  const std::uint32_t first = b.intern_household("HH1");
  EXPECT_EQ(b.intern_household("HH2"), first + 1);
  EXPECT_EQ(b.intern_household("HH1"), first);
  b.add(first, 10, builtin_type::charge, 100);
  b.add("HH1", 11, "payment", 100);
  const ledger l = std::move(b).build();
  ASSERT_TRUE(l.find_household("HH1").has_value());
  EXPECT_EQ(l.events(*l.find_household("HH1")).size(), 2u);
}

TEST(ledger_builder, a_refused_event_leaves_no_household_behind) {
  // A caller that catches the error and goes on must not find a household
  // that has no events in the built ledger.
  ledger_builder b;
  EXPECT_THROW(b.add("HH1", 0, "Bad-Type", 1), std::invalid_argument);
  EXPECT_THROW(b.add("HH2", 0, "charge", -1), std::invalid_argument);
  b.add("HH3", 0, "charge", 1);
  const ledger l = std::move(b).build();
  EXPECT_EQ(ids(l), (std::vector<std::string>{"HH3"}));
  EXPECT_EQ(l.household_count(), 1u);
}

TEST(ledger_builder, reopening_a_ledger_appends_to_it) {
  ledger_builder b;
  b.add("HH2", on("2024-03-01"), "charge", 100);
  b.add("HH2", on("2024-03-05"), "letter", 0);
  b.add("HH1", on("2024-03-01"), "charge", 200);
  b.add("HH1", on("2024-03-01"), "payment", 50);
  const ledger first = std::move(b).build();

  ledger_builder more(first);
  EXPECT_EQ(more.event_count(), 4u);
  more.add("HH1", on("2024-02-01"), "charge", 300);
  more.add("HH1", on("2024-03-01"), "contact", 0);
  more.add("HH0", on("2024-04-01"), "notice", 0);
  more.add("HH2", on("2024-03-05"), "payment", 100);
  const ledger second = std::move(more).build();

  EXPECT_EQ(ids(second), (std::vector<std::string>{"HH0", "HH1", "HH2"}));
  EXPECT_EQ(second.event_count(), 8u);
  EXPECT_EQ(rows(second, 0), (std::vector<event_row>{{"2024-04-01", "notice", 0}}));
  EXPECT_EQ(rows(second, 1), (std::vector<event_row>{{"2024-02-01", "charge", 300},
                                                     {"2024-03-01", "charge", 200},
                                                     {"2024-03-01", "payment", 50},
                                                     {"2024-03-01", "contact", 0}}));
  EXPECT_EQ(rows(second, 2), (std::vector<event_row>{{"2024-03-01", "charge", 100},
                                                     {"2024-03-05", "letter", 0},
                                                     {"2024-03-05", "payment", 100}}));
  EXPECT_EQ(second.first_date(), std::optional<day>(on("2024-02-01")));
  EXPECT_EQ(second.last_date(), std::optional<day>(on("2024-04-01")));

  // The original is untouched.
  EXPECT_EQ(first.event_count(), 4u);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"HH1", "HH2"}));
  EXPECT_EQ(rows(first, 1),
            (std::vector<event_row>{{"2024-03-01", "charge", 100}, {"2024-03-05", "letter", 0}}));
}

TEST(ledger_builder, reopening_an_empty_ledger_gives_a_fresh_builder) {
  const ledger empty;
  ledger_builder b(empty);
  EXPECT_EQ(b.event_count(), 0u);
  b.add("HH1", 5, "charge", 1);
  const ledger l = std::move(b).build();
  EXPECT_EQ(l.event_count(), 1u);
  EXPECT_EQ(l.first_date(), std::optional<day>(5));
}

TEST(ledger, columns_are_grouped_by_household) {
  ledger_builder b;
  b.add("B", 2, "payment", 20);
  b.add("A", 1, "charge", 10);
  b.add("B", 1, "charge", 30);
  const ledger l = std::move(b).build();
  EXPECT_EQ(std::vector<day>(l.dates().begin(), l.dates().end()), (std::vector<day>{1, 1, 2}));
  EXPECT_EQ(std::vector<cents>(l.amounts().begin(), l.amounts().end()),
            (std::vector<cents>{10, 30, 20}));
  EXPECT_EQ(
      std::vector<type_id>(l.type_ids().begin(), l.type_ids().end()),
      (std::vector<type_id>{builtin_type::charge, builtin_type::charge, builtin_type::payment}));
  EXPECT_GT(l.memory_bytes(), 0u);
}

// The events of household `h` as "date type amount code" lines, codes by name.
std::vector<std::string> coded_rows(const ledger& l, household_index h) {
  std::vector<std::string> out;
  const household_events ev = l.events(h);
  for (std::size_t i = 0; i < ev.size(); ++i)
    out.push_back(format_date(ev.dates[i]) + ' ' + std::string(l.types().name(ev.types[i])) + ' ' +
                  std::to_string(ev.amounts[i]) + ' ' + std::string(l.codes().name(ev.code(i))));
  return out;
}

TEST(ledger, has_no_code_column_until_an_event_has_a_code) {
  ledger_builder b;
  b.add("A", 1, "charge", 10);
  b.add("A", 2, "letter", 0, "");
  const ledger plain = std::move(b).build();
  EXPECT_TRUE(plain.code_ids().empty());
  EXPECT_TRUE(plain.events(0).codes.empty());
  EXPECT_EQ(plain.events(0).code(1), 0);
  EXPECT_EQ(plain.codes().size(), 1u);  // the empty code only
  EXPECT_EQ(plain.codes().name(0), "");
}

TEST(ledger_builder, keeps_each_code_with_its_event_through_the_date_sort) {
  ledger_builder b;
  b.add("B", on("2024-03-05"), "court_hearing", 0, "adjourned");
  b.add("A", on("2024-03-01"), "charge", 100);
  b.add("B", on("2024-03-01"), "letter", 0, "first_notice");
  b.add("B", on("2024-03-05"), "court_hearing", 0, "suspended_order");
  b.add("B", on("2024-02-01"), "charge", 500);
  b.add("B", on("2024-03-01"), "letter", 0, "first_notice");
  const ledger l = std::move(b).build();
  ASSERT_EQ(l.code_ids().size(), l.event_count());
  EXPECT_EQ(coded_rows(l, 0), (std::vector<std::string>{"2024-03-01 charge 100 "}));
  EXPECT_EQ(coded_rows(l, 1),
            (std::vector<std::string>{"2024-02-01 charge 500 ", "2024-03-01 letter 0 first_notice",
                                      "2024-03-01 letter 0 first_notice",
                                      "2024-03-05 court_hearing 0 adjourned",
                                      "2024-03-05 court_hearing 0 suspended_order"}));
  // Ids in order of first use; 0 is no code.
  EXPECT_EQ(l.codes().size(), 4u);
  EXPECT_EQ(l.codes().find("adjourned"), std::optional<code_id>(1));
  EXPECT_EQ(l.codes().find("first_notice"), std::optional<code_id>(2));
  EXPECT_EQ(l.codes().find("suspended_order"), std::optional<code_id>(3));
  // up_to keeps the codes beside the events it keeps.
  const household_events early = l.events(1).up_to(on("2024-03-01"));
  ASSERT_EQ(early.size(), 3u);
  ASSERT_EQ(early.codes.size(), 3u);
  EXPECT_EQ(early.code(2), 2);
}

TEST(ledger_builder, reopening_a_ledger_keeps_its_codes) {
  ledger_builder b;
  b.add("A", on("2024-03-01"), "court_hearing", 0, "adjourned");
  b.add("A", on("2024-03-02"), "charge", 100);
  const ledger first = std::move(b).build();

  ledger_builder more(first);
  more.add("A", on("2024-02-01"), "letter", 0, "final_warning");
  more.add("B", on("2024-03-05"), "court_hearing", 0, "adjourned");
  const ledger second = std::move(more).build();
  EXPECT_EQ(coded_rows(second, 0), (std::vector<std::string>{"2024-02-01 letter 0 final_warning",
                                                             "2024-03-01 court_hearing 0 adjourned",
                                                             "2024-03-02 charge 100 "}));
  EXPECT_EQ(coded_rows(second, 1),
            (std::vector<std::string>{"2024-03-05 court_hearing 0 adjourned"}));
  EXPECT_EQ(second.codes().find("adjourned"), first.codes().find("adjourned"));

  // Reopened and built with nothing added: the same ledger, codes and all.
  const ledger same = ledger_builder(second).build();
  EXPECT_EQ(coded_rows(same, 0), coded_rows(second, 0));
  EXPECT_EQ(std::vector<code_id>(same.code_ids().begin(), same.code_ids().end()),
            std::vector<code_id>(second.code_ids().begin(), second.code_ids().end()));
}

TEST(ledger_builder, a_refused_code_leaves_nothing_behind) {
  ledger_builder b;
  b.add("A", 1, "charge", 10);
  for (const std::string& bad :
       {std::string(65, 'c'), std::string(" lead"), std::string("trail "), std::string("a\"b"),
        std::string("a\\b"), std::string("tab\t"), std::string("line\nbreak"),
        std::string("bad\xFF"), std::string("bell\x07")})
    EXPECT_THROW(b.add("B", 1, "letter", 0, bad), std::invalid_argument) << bad;
  b.add("A", 2, "letter", 0, std::string(64, 'c'));
  b.add("A", 3, "letter", 0, "Dvo\xC5\x99\xC3\xA1k, inner space");
  const ledger l = std::move(b).build();
  EXPECT_EQ(ids(l), (std::vector<std::string>{"A"}));
  EXPECT_EQ(l.codes().size(), 3u);
  EXPECT_EQ(l.events(0).code(1), 1);
  EXPECT_EQ(l.events(0).code(2), 2);
}

TEST(ledger_from_columns, reads_codes_beside_the_events) {
  const std::vector<std::string_view> households = {"A", "A", "B"};
  const std::vector<day> dates = {2, 1, 1};
  const std::vector<std::string_view> types = {"letter", "charge", "letter"};
  const std::vector<cents> amounts = {0, 100, 0};
  const std::vector<std::string_view> codes = {"final", "", "first"};
  const ledger l = ledger_from_columns(households, dates, types, amounts, codes);
  EXPECT_EQ(l.events(0).code(0), 0);
  EXPECT_EQ(l.codes().name(l.events(0).code(1)), "final");
  EXPECT_EQ(l.codes().name(l.events(1).code(0)), "first");
  EXPECT_TRUE(ledger_from_columns(households, dates, types, amounts).code_ids().empty());
  const std::vector<std::string_view> short_codes = {"final"};
  EXPECT_THROW(ledger_from_columns(households, dates, types, amounts, short_codes),
               std::invalid_argument);
}

TEST(ledger, codes_cost_two_bytes_an_event_and_only_when_present) {
  auto build = [](bool coded) {
    ledger_builder b;
    for (int i = 0; i < 1000; ++i)
      b.add(std::string("H").append(std::to_string(i % 10)), i, "letter", 0,
            coded && i == 500 ? "x" : "");
    return std::move(b).build();
  };
  const ledger plain = build(false);
  const ledger coded = build(true);
  EXPECT_EQ(coded.memory_bytes(), plain.memory_bytes() + 1000 * sizeof(code_id));
}

}  // namespace
}  // namespace earlywarn

#include "earlywarn/loading/ledger_csv.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlywarn {

void PrintTo(const error& e, std::ostream* os) { *os << e.render() << " [row: " << e.text << ']'; }

namespace {

using namespace std::string_literals;

constexpr std::string_view header = "household,date,type,amount\n";

ledger_load parse(std::string_view text) { return parse_ledger_csv(text); }

ledger_load parse_with_rejects(std::string_view text) {
  ledger_csv_options options;
  options.reject_bad_rows = true;
  return parse_ledger_csv(text, options);
}

/// The error of a load that must have failed.
error failure(const ledger_load& load) {
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.events.event_count(), 0u);
  return load.error.value_or(row_error(error_kind::misuse, 0, 0, "(no error)"));
}

/// The error of the one data row in `header + row`.
error row_failure(std::string_view row) {
  return failure(parse(std::string(header) + std::string(row) + "\n"));
}

bool mentions(const std::string& message, std::string_view words) {
  return message.find(words) != std::string::npos;
}

struct event_row {
  std::string household;
  std::string date;
  std::string type;
  cents amount;
  friend bool operator==(const event_row&, const event_row&) = default;
};

std::ostream& operator<<(std::ostream& os, const event_row& e) {
  return os << '{' << e.household << ' ' << e.date << ' ' << e.type << ' ' << e.amount << '}';
}

std::vector<event_row> all_events(const ledger& l) {
  std::vector<event_row> out;
  for (household_index h = 0; h < l.household_count(); ++h) {
    const household_events ev = l.events(h);
    for (std::size_t i = 0; i < ev.size(); ++i)
      out.push_back({std::string(l.household_id(h)), format_date(ev.dates[i]),
                     std::string(l.types().name(ev.types[i])), ev.amounts[i]});
  }
  return out;
}

TEST(parse_ledger_csv, loads_the_canonical_example) {
  const ledger_load load = parse(
      "household,date,type,amount\n"
      "HH0000042,2024-03-01,charge,8532.50\n"
      "HH0000042,2024-03-04,payment,8532.50\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_TRUE(load.rejects.empty());
  EXPECT_EQ(load.rows_accepted, 2u);
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH0000042", "2024-03-01", "charge", 853250},
                                    {"HH0000042", "2024-03-04", "payment", 853250}}));
}

TEST(parse_ledger_csv, loads_every_builtin_and_custom_type) {
  const ledger_load load = parse(
      "household,date,type,amount\n"
      "H,2024-01-01,charge,100\n"
      "H,2024-01-02,payment,10\n"
      "H,2024-01-03,credit,20.5\n"
      "H,2024-01-04,plan,30\n"
      "H,2024-01-05,contact,\n"
      "H,2024-01-06,court_hearing_2,\n"
      "H,2024-01-07,benefit_clawback,12.34\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"H", "2024-01-01", "charge", 10000},
                                    {"H", "2024-01-02", "payment", 1000},
                                    {"H", "2024-01-03", "credit", 2050},
                                    {"H", "2024-01-04", "plan", 3000},
                                    {"H", "2024-01-05", "contact", 0},
                                    {"H", "2024-01-06", "court_hearing_2", 0},
                                    {"H", "2024-01-07", "benefit_clawback", 1234}}));
  EXPECT_EQ(load.events.types().find("charge"), std::optional<type_id>(builtin_type::charge));
  EXPECT_TRUE(load.events.types().find("court_hearing_2").has_value());
}

TEST(parse_ledger_csv, ignores_extra_columns) {
  const ledger_load load = parse(
      "household,date,type,amount,note,source\n"
      "HH1,2024-03-01,charge,100,\"March rent, flat 4\",export\n"
      "HH1,2024-03-02,payment,100,,\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH1", "2024-03-01", "charge", 10000},
                                    {"HH1", "2024-03-02", "payment", 10000}}));
}

TEST(parse_ledger_csv, rows_must_have_as_many_columns_as_the_header) {
  const error e =
      failure(parse("household,date,type,amount,note\n"
                    "HH1,2024-03-01,charge,100,x\n"
                    "HH1,2024-03-02,payment,100\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_TRUE(mentions(e.message, "expected 5 columns")) << e.message;
  EXPECT_TRUE(mentions(e.message, "found 4")) << e.message;
  EXPECT_EQ(e.text, "HH1,2024-03-02,payment,100");
}

TEST(parse_ledger_csv, accepts_crlf_line_endings) {
  const ledger_load load = parse(
      "household,date,type,amount\r\n"
      "HH1,2024-03-01,charge,100\r\n"
      "\r\n"
      "HH1,2024-03-02,contact,\r\n"
      "\"HH2\",2024-03-03,payment,\"7.5\"\r\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH1", "2024-03-01", "charge", 10000},
                                    {"HH1", "2024-03-02", "contact", 0},
                                    {"HH2", "2024-03-03", "payment", 750}}));
}

TEST(parse_ledger_csv, locates_errors_in_crlf_files_without_the_carriage_return) {
  const error e =
      failure(parse("household,date,type,amount\r\n"
                    "HH1,2024-03-01,charge,100\r\n"
                    "\r\n"
                    "HH1,2024-03-02,payment,1.234\r\n"));
  EXPECT_EQ(e.line, 4u);
  EXPECT_EQ(e.column, 24u);
  EXPECT_EQ(e.message, "amount has more than 2 decimal places '1.234'");
  EXPECT_EQ(e.text, "HH1,2024-03-02,payment,1.234");
}

TEST(parse_ledger_csv, skips_a_utf8_byte_order_mark) {
  const ledger_load load = parse(
      "\xEF\xBB\xBFhousehold,date,type,amount\n"
      "HH1,2024-03-01,charge,100\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH1", "2024-03-01", "charge", 10000}}));

  const error e =
      failure(parse("\xEF\xBB\xBFhousehold,date,type,amount\r\n"
                    "HH1,2024-03-01,charge,100\r\n"
                    "HH1,2024-3-01,charge,100\r\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 5u);
}

TEST(parse_ledger_csv, skips_blank_lines_and_counts_them) {
  const ledger_load load = parse(
      "\n"
      "household,date,type,amount\n"
      "\n"
      "HH1,2024-03-01,charge,100\n"
      "\n"
      "\n"
      "HH2,2024-03-01,charge,200\n"
      "\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.rows_accepted, 2u);
  EXPECT_EQ(load.events.household_count(), 2u);

  const error e =
      failure(parse("\n"
                    "household,date,type,amount\n"
                    "\n"
                    "HH1,2024-03-01,charge,100\n"
                    "\n"
                    "\n"
                    "HH2,2024-03-01,Charge,200\n"));
  EXPECT_EQ(e.line, 7u);
  EXPECT_EQ(e.column, 16u);
}

TEST(parse_ledger_csv, accepts_unsorted_rows) {
  const ledger_load load = parse(
      "household,date,type,amount\n"
      "HH2,2024-04-01,charge,2\n"
      "HH1,2024-03-05,payment,1\n"
      "HH2,2024-03-01,charge,1\n"
      "HH1,2024-03-01,charge,1\n"
      "HH1,2024-03-05,contact,\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH1", "2024-03-01", "charge", 100},
                                    {"HH1", "2024-03-05", "payment", 100},
                                    {"HH1", "2024-03-05", "contact", 0},
                                    {"HH2", "2024-03-01", "charge", 100},
                                    {"HH2", "2024-04-01", "charge", 200}}));
  EXPECT_EQ(load.events.first_date(), parse_date("2024-03-01"));
  EXPECT_EQ(load.events.last_date(), parse_date("2024-04-01"));
}

TEST(parse_ledger_csv, accepts_a_last_row_without_a_line_break) {
  const ledger_load load = parse("household,date,type,amount\nHH1,2024-03-01,charge,100");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.rows_accepted, 1u);
}

TEST(parse_ledger_csv, a_header_alone_is_an_empty_ledger) {
  const ledger_load load = parse("household,date,type,amount\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.events.event_count(), 0u);
  EXPECT_EQ(load.events.household_count(), 0u);
  EXPECT_EQ(load.rows_accepted, 0u);
}

TEST(parse_ledger_csv, unquotes_household_ids_with_commas_quotes_and_newlines) {
  const ledger_load load = parse(
      "household,date,type,amount\n"
      "\"Nováková, Jana\",2024-03-01,charge,1\n"
      "\"HH \"\"B\"\"\",2024-03-01,charge,2\n"
      "\"HH\n3\",2024-03-01,charge,3\n"
      "\"HH4\",\"2024-03-01\",\"payment\",\"4.00\"\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH\n3", "2024-03-01", "charge", 300},
                                    {"HH \"B\"", "2024-03-01", "charge", 200},
                                    {"HH4", "2024-03-01", "payment", 400},
                                    {"Nováková, Jana", "2024-03-01", "charge", 100}}));
  EXPECT_TRUE(load.events.find_household("Nováková, Jana").has_value());
}

TEST(parse_ledger_csv, counts_lines_after_a_multi_line_field) {
  const error e =
      failure(parse("household,date,type,amount\n"
                    "\"HH\n1\",2024-03-01,charge,1\n"
                    "\"HH\n\n2\",2024-03-01,charge,1\n"
                    "HH3,2024-03-01,charge,-1\n"));
  EXPECT_EQ(e.line, 7u);
  EXPECT_EQ(e.column, 23u);
  EXPECT_TRUE(mentions(e.message, "negative")) << e.message;
}

TEST(parse_ledger_csv, locates_an_error_after_a_line_break_inside_the_row) {
  // The date sits on the row's second physical line: line and column must
  // both point there, not pair line 2 with a column counted on line 3.
  const error e =
      failure(parse("household,date,type,amount\n"
                    "\"HH\n1\",2024-13-01,charge,1\n"));
  EXPECT_TRUE(mentions(e.message, "bad date '2024-13-01'")) << e.message;
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 4u);
  EXPECT_EQ(e.text, "\"HH\n1\",2024-13-01,charge,1");
}

TEST(parse_ledger_csv, amount_may_be_empty_for_contact_and_custom_types) {
  const ledger_load load = parse(
      "household,date,type,amount\n"
      "HH1,2024-03-01,contact,\n"
      "HH1,2024-03-02,letter,\n"
      "HH1,2024-03-03,letter,12.5\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH1", "2024-03-01", "contact", 0},
                                    {"HH1", "2024-03-02", "letter", 0},
                                    {"HH1", "2024-03-03", "letter", 1250}}));
}

TEST(parse_ledger_csv, amount_is_required_for_charge_payment_credit_and_plan) {
  for (const std::string_view type : {"charge", "payment", "credit", "plan"}) {
    const std::string row = "HH1,2024-03-01," + std::string(type) + ",";
    const error e = row_failure(row);
    EXPECT_EQ(e.line, 2u) << type;
    EXPECT_EQ(e.column, row.size() + 1) << type;
    EXPECT_TRUE(mentions(e.message, "amount is required")) << e.message;
    EXPECT_EQ(e.text, row);
  }
}

TEST(parse_ledger_csv, refuses_a_negative_amount) {
  const error e = row_failure("HH1,2024-03-01,payment,-5");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 24u);
  EXPECT_EQ(e.message, "amount must not be negative '-5'");
  EXPECT_EQ(e.text, "HH1,2024-03-01,payment,-5");
}

TEST(parse_ledger_csv, refuses_an_over_precise_amount) {
  const error e = row_failure("HH1,2024-03-01,charge,8532.505");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 23u);
  EXPECT_EQ(e.message, "amount has more than 2 decimal places '8532.505'");
}

TEST(parse_ledger_csv, refuses_amounts_that_are_not_plain_decimals) {
  for (const char* amount : {"1e5", "5,00", " 5", "5.", ".5", "+5", "CZK 5"}) {
    const std::string row = "HH1,2024-03-01,charge,\""s + amount + "\"";
    const error e = row_failure(row);
    EXPECT_EQ(e.line, 2u) << amount;
    EXPECT_EQ(e.column, 23u) << amount;
    EXPECT_TRUE(mentions(e.message, "not a decimal number")) << e.message;
  }
}

TEST(parse_ledger_csv, refuses_a_too_large_amount) {
  const error e = row_failure("HH1,2024-03-01,charge,10000000000001");
  EXPECT_EQ(e.column, 23u);
  EXPECT_EQ(e.message,
            "amount is too large (the largest accepted is 10000000000000.00) '10000000000001'");
}

TEST(parse_ledger_csv, refuses_cents_past_the_largest_amount_as_a_value) {
  // The library reports bad input as values; it must never throw on a row.
  ledger_load load;
  ASSERT_NO_THROW(load = parse(std::string(header) + "HH1,2024-03-01,charge,10000000000000.01\n"));
  const error e = failure(load);
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 23u);
  EXPECT_TRUE(mentions(e.message, "too large")) << e.message;
}

TEST(parse_ledger_csv, refuses_a_bad_date) {
  const error e = row_failure("HH1,2024-02-30,charge,100");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 5u);
  EXPECT_EQ(e.message,
            "bad date '2024-02-30': not a calendar date (dates from 0001-01-01 to 9999-12-31 "
            "are supported)");
  EXPECT_EQ(row_failure("HH1,0000-01-01,charge,100").message,
            "bad date '0000-01-01': not a calendar date (dates from 0001-01-01 to 9999-12-31 "
            "are supported)");
  EXPECT_EQ(row_failure("HH1,2024-3-01,charge,100").message,
            "bad date '2024-3-01': expected a date YYYY-MM-DD");
  for (const char* date :
       {"01.03.2024", "2024/03/01", "2023-02-29", "2024-03-1", "", "yesterday"}) {
    const error d = row_failure("HH1,"s + date + ",charge,100");
    EXPECT_EQ(d.column, 5u) << date;
    EXPECT_TRUE(mentions(d.message, "bad date '"s + date + "'")) << d.message;
  }
}

TEST(parse_ledger_csv, refuses_a_bad_event_type) {
  const error e = row_failure("HH1,2024-03-01,Payment,100");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 16u);
  EXPECT_EQ(e.message, "bad event type 'Payment': expected a name of the form [a-z][a-z0-9_]*");
  for (const char* type : {"late-fee", "1st", "court date", "platba\xC5\xA1"}) {
    const error t = row_failure("HH1,2024-03-01,"s + type + ",100");
    EXPECT_EQ(t.column, 16u) << type;
    EXPECT_TRUE(mentions(t.message, "bad event type")) << t.message;
  }
}

TEST(parse_ledger_csv, refuses_an_empty_event_type_on_the_first_row) {
  // An empty type must not inherit the type of an earlier row, or charge by default.
  const ledger_load load = parse(std::string(header) + "HH1,2024-03-01,,100\n");
  ASSERT_FALSE(load.ok()) << "loaded as " << ::testing::PrintToString(all_events(load.events));
  EXPECT_EQ(load.error->line, 2u);
  EXPECT_EQ(load.error->column, 16u);
  EXPECT_TRUE(mentions(load.error->message, "bad event type")) << load.error->message;
}

TEST(parse_ledger_csv, refuses_an_empty_event_type_after_good_rows) {
  const error e = failure(parse(std::string(header) + "HH1,2024-03-01,charge,100\n"
                                                      "HH1,2024-03-02,,100\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 16u);
  EXPECT_TRUE(mentions(e.message, "bad event type")) << e.message;
}

TEST(parse_ledger_csv, refuses_rows_with_the_wrong_column_count) {
  const error few = row_failure("HH1,2024-03-01,charge");
  EXPECT_EQ(few.line, 2u);
  EXPECT_EQ(few.column, 1u);
  EXPECT_EQ(few.message, "expected 4 columns as in the header, found 3");
  EXPECT_EQ(few.text, "HH1,2024-03-01,charge");

  const error many = row_failure("HH1,2024-03-01,charge,100,");
  EXPECT_EQ(many.column, 1u);
  EXPECT_EQ(many.message, "expected 4 columns as in the header, found 5");

  const error one = row_failure("just some text");
  EXPECT_EQ(one.message, "expected 4 columns as in the header, found 1");
}

TEST(parse_ledger_csv, refuses_a_duplicated_header_row) {
  const error e =
      failure(parse("household,date,type,amount\n"
                    "HH1,2024-03-01,charge,100\n"
                    "household,date,type,amount\n"
                    "HH2,2024-03-01,charge,100\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_EQ(e.message, "duplicated header row");
  EXPECT_EQ(e.text, "household,date,type,amount");
}

TEST(parse_ledger_csv, refuses_an_empty_file) {
  for (const std::string& text : {""s, "\n\n"s, "\r\n"s, "\xEF\xBB\xBF"s}) {
    const error e = failure(parse(text));
    EXPECT_EQ(e.line, 0u);
    EXPECT_EQ(e.column, 0u);
    EXPECT_TRUE(mentions(e.message, "empty file")) << e.message;
    EXPECT_TRUE(mentions(e.message, "household,date,type,amount")) << e.message;
  }
}

TEST(parse_ledger_csv, refuses_binary_data) {
  const std::string png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"s;
  const error e = failure(parse(png));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_TRUE(mentions(e.message, "not a ledger CSV")) << e.message;
  EXPECT_TRUE(mentions(e.message, "binary")) << e.message;

  const std::string elf =
      "\x7F"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"s;
  EXPECT_TRUE(mentions(failure(parse(elf)).message, "not a ledger CSV"));
}

TEST(parse_ledger_csv, refuses_a_wrong_header) {
  const error e = failure(parse("id,date,kind,amount\nHH1,2024-03-01,charge,100\n"));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_EQ(e.message,
            "not a ledger CSV: the header must begin 'household,date,type,amount', found "
            "'id,date,kind,amount'");

  for (const char* text :
       {"household,date,type\n", "household;date;type;amount\n", "HOUSEHOLD,DATE,TYPE,AMOUNT\n",
        "household,type,date,amount\n", "HH1,2024-03-01,charge,100\n", "{\"household\": 1}\n",
        "\"household\",\"date\",\"type\",\"amount\"\n"}) {
    const error h = failure(parse(text));
    EXPECT_EQ(h.line, 1u) << text;
    EXPECT_TRUE(mentions(h.message, "not a ledger CSV")) << text;
  }
}

TEST(parse_ledger_csv, locates_a_wrong_header_after_blank_lines) {
  const error e = failure(parse("\n\nid,date\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 1u);
}

TEST(parse_ledger_csv, refuses_household_ids_that_are_not_utf8) {
  for (const std::string& id :
       {"HH\xFF"
        "1"s,
        "HH\xC3"s, "\xC0\xAF"s, "HH\xED\xA0\x80"s, "\xF4\x90\x80\x80"s, "HH\x01"s, "HH\x7F"s}) {
    const error e = row_failure(id + ",2024-03-01,charge,100");
    EXPECT_EQ(e.line, 2u);
    EXPECT_EQ(e.column, 1u);
    EXPECT_TRUE(mentions(e.message, "not valid UTF-8")) << e.message;
  }
}

TEST(parse_ledger_csv, accepts_utf8_household_ids) {
  const ledger_load load = parse(std::string(header) +
                                 "Dvořák,2024-03-01,charge,1\n"
                                 "Łódź 12,2024-03-01,charge,1\n"
                                 "\"家\t1\",2024-03-01,charge,1\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.events.household_count(), 3u);
  EXPECT_TRUE(load.events.find_household("Dvořák").has_value());
}

TEST(parse_ledger_csv, household_ids_are_at_most_64_bytes) {
  const ledger_load ok =
      parse(std::string(header) + std::string(64, 'h') + ",2024-03-01,charge,1\n");
  ASSERT_TRUE(ok.ok()) << ok.error->render();
  EXPECT_EQ(ok.events.household_id(0).size(), 64u);

  const error e = row_failure(std::string(65, 'h') + ",2024-03-01,charge,1");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_EQ(e.message, "household id is longer than 64 bytes");

  // Bytes, not characters: 33 two-byte letters are 66 bytes.
  std::string czech;
  for (int i = 0; i < 33; ++i) czech += "ř";
  EXPECT_TRUE(mentions(row_failure(czech + ",2024-03-01,charge,1").message, "longer than 64"));
}

TEST(parse_ledger_csv, refuses_an_empty_household_id) {
  for (const char* id : {"", "\"\""}) {
    const error e = row_failure(std::string(id) + ",2024-03-01,charge,1");
    EXPECT_EQ(e.column, 1u) << id;
    EXPECT_EQ(e.message, "household id is empty");
  }
}

TEST(parse_ledger_csv, refuses_an_unterminated_quote) {
  const error e = failure(parse(std::string(header) + "HH1,2024-03-01,charge,1\n"
                                                      "\"HH2,2024-03-01,charge,1\n"
                                                      "HH3,2024-03-01,charge,1\n"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_EQ(e.message, "unterminated quoted field");
  EXPECT_EQ(e.text, "\"HH2,2024-03-01,charge,1");

  const error later = row_failure("HH2,\"2024-03-01,charge,1");
  EXPECT_EQ(later.line, 2u);
  EXPECT_EQ(later.column, 5u);
  EXPECT_EQ(later.message, "unterminated quoted field");
}

TEST(parse_ledger_csv, refuses_stray_quotes) {
  const error inside = row_failure("HH\"1,2024-03-01,charge,1");
  EXPECT_EQ(inside.line, 2u);
  EXPECT_EQ(inside.column, 3u);
  EXPECT_TRUE(mentions(inside.message, "quote inside an unquoted field")) << inside.message;

  const error after = row_failure("\"HH1\"x,2024-03-01,charge,1");
  EXPECT_EQ(after.line, 2u);
  EXPECT_EQ(after.column, 6u);
  EXPECT_TRUE(mentions(after.message, "after a closing quote")) << after.message;
}

TEST(parse_ledger_csv, the_first_fault_stops_a_default_load) {
  const ledger_load load = parse(std::string(header) +
                                 "HH1,2024-03-01,charge,1\n"
                                 "HH1,2024-03-41,charge,1\n"
                                 "HH1,2024-03-01,charge,-1\n");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error->line, 3u);
  EXPECT_EQ(load.events.event_count(), 0u);
  EXPECT_TRUE(load.rejects.empty());
}

TEST(parse_ledger_csv, rejects_mode_reports_every_bad_row_and_loads_the_rest) {
  const std::string text =
      "household,date,type,amount\r\n"       // 1
      "HH1,2024-03-01,charge,100\r\n"        // 2
      "HH1,2024-03-01,payment,-5\r\n"        // 3
      "\"HH\n2\",2024-03-02,charge,1.5\r\n"  // 4-5
      "HH3,2024-02-30,charge,1\r\n"          // 6
      "\r\n"                                 // 7
      "HH4,2024-03-01,Payment,1\r\n"         // 8
      "HH5,2024-03-01,charge\r\n"            // 9
      "household,date,type,amount\r\n"       // 10
      "HH6,2024-03-01,charge,1.001\r\n"      // 11
      "HH\xFF,2024-03-01,charge,1\r\n"       // 12
      "HH1,2024-03-05,contact,\r\n"          // 13
      "HH7,2024-03-01,plan,\r\n"             // 14
      "\"HH8,2024-03-01,charge,1\r\n"        // 15
      "HH9,2024-03-09,charge,9\r\n"          // 16
      "HH10,2024-03-10,charge,-1\r\n";       // 17
  const ledger_load load = parse_with_rejects(text);
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.rows_accepted, 4u);
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH\n2", "2024-03-02", "charge", 150},
                                    {"HH1", "2024-03-01", "charge", 10000},
                                    {"HH1", "2024-03-05", "contact", 0},
                                    {"HH9", "2024-03-09", "charge", 900}}));

  struct expected_reject {
    std::uint64_t line;
    std::uint32_t column;
    std::string words;
    std::string row;
  };
  const std::vector<expected_reject> expected = {
      {3, 24, "negative", "HH1,2024-03-01,payment,-5"},
      {6, 5, "bad date '2024-02-30'", "HH3,2024-02-30,charge,1"},
      {8, 16, "bad event type 'Payment'", "HH4,2024-03-01,Payment,1"},
      {9, 1, "expected 4 columns", "HH5,2024-03-01,charge"},
      {10, 1, "duplicated header row", "household,date,type,amount"},
      {11, 23, "more than 2 decimal places", "HH6,2024-03-01,charge,1.001"},
      {12, 1, "not valid UTF-8", "HH\xFF,2024-03-01,charge,1"},
      {14, 21, "amount is required", "HH7,2024-03-01,plan,"},
      {15, 1, "unterminated quoted field", "\"HH8,2024-03-01,charge,1"},
      {17, 24, "negative", "HH10,2024-03-10,charge,-1"},
  };
  ASSERT_EQ(load.rejects.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const error& r = load.rejects[i];
    EXPECT_EQ(r.line, expected[i].line) << i;
    EXPECT_EQ(r.column, expected[i].column) << i;
    EXPECT_TRUE(mentions(r.message, expected[i].words)) << i << ": " << r.message;
    EXPECT_EQ(r.text, expected[i].row) << i;
  }
}

TEST(parse_ledger_csv, rejects_mode_still_fails_on_a_bad_file) {
  ledger_csv_options options;
  options.reject_bad_rows = true;
  EXPECT_FALSE(parse_ledger_csv("", options).ok());
  const ledger_load load = parse_ledger_csv("id,when\nHH1,2024-03-01\n", options);
  ASSERT_FALSE(load.ok());
  EXPECT_TRUE(mentions(load.error->message, "not a ledger CSV"));
}

TEST(parse_ledger_csv, rejects_mode_with_only_bad_rows_gives_an_empty_ledger) {
  const ledger_load load = parse_with_rejects(std::string(header) +
                                              "HH1,2024-03-01,charge,-1\n"
                                              "HH2,2024-03-01,charge,x\n");
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load.rows_accepted, 0u);
  EXPECT_EQ(load.events.event_count(), 0u);
  ASSERT_EQ(load.rejects.size(), 2u);
  EXPECT_EQ(load.rejects[0].line, 2u);
  EXPECT_EQ(load.rejects[1].line, 3u);
}

TEST(parse_ledger_csv, reports_progress_up_to_the_whole_text) {
  const std::string text = std::string(header) + "HH1,2024-03-01,charge,1\n";
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  ledger_csv_options options;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    calls.emplace_back(done, total);
  };
  ASSERT_TRUE(parse_ledger_csv(text, options).ok());
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, text.size());
  EXPECT_EQ(calls.back().second, text.size());
}

/// A ledger whose row i names type `t<i>`: `types` distinct types after the built-ins.
std::string ledger_of_distinct_types(std::size_t types) {
  std::string text(header);
  for (std::size_t i = 0; i < types; ++i)
    text.append("HH1,2024-01-01,t").append(std::to_string(i)).append(",1\n");
  return text;
}

TEST(parse_ledger_csv, refuses_a_ledger_of_70000_types_at_the_first_type_past_the_limit) {
  // 65,530 types after the 5 built-ins fill the table; the row of the next one
  // (line 65,532: the header is line 1) is at fault. Cut into chunks or not,
  // on any thread count, in rejects mode too: the same located error, fast.
  const std::string text = ledger_of_distinct_types(70'000);
  for (const std::size_t chunk_bytes : {std::size_t{0}, std::size_t{4096}, std::size_t{600'000}}) {
    for (const bool rejects : {false, true}) {
      ledger_csv_options options;
      options.chunk_bytes = chunk_bytes;
      options.reject_bad_rows = rejects;
      options.threads = 2;
      const ledger_load load = parse_ledger_csv(text, options);
      const error e = failure(load);
      EXPECT_EQ(e.line, 65'532u) << chunk_bytes << ' ' << rejects;
      EXPECT_EQ(e.column, 16u) << chunk_bytes << ' ' << rejects;
      EXPECT_EQ(e.message,
                "too many distinct event types (the limit is 65,535 per ledger, built-ins "
                "included)")
          << chunk_bytes << ' ' << rejects;
      EXPECT_TRUE(load.rejects.empty());
    }
  }
}

TEST(parse_ledger_csv, a_quoted_row_past_the_type_limit_is_located_too) {
  std::string text = ledger_of_distinct_types(65'530);
  text += "\"H\nH\",2024-01-01,one_too_many,1\n";
  const error e = failure(parse(text));
  EXPECT_EQ(e.line, 65'533u);  // the row starts on line 65,532; its type is on the next
  EXPECT_EQ(e.column, 15u);    // after 'H",2024-01-01,'
  EXPECT_TRUE(mentions(e.message, "the limit is 65,535")) << e.message;
}

TEST(parse_ledger_csv, loads_tens_of_thousands_of_types_up_to_the_limit) {
  for (const std::size_t chunk_bytes : {std::size_t{0}, std::size_t{100'000}}) {
    ledger_csv_options options;
    options.chunk_bytes = chunk_bytes;
    options.threads = 2;
    const ledger_load load =
        parse_ledger_csv(ledger_of_distinct_types(max_event_types - builtin_type::count), options);
    ASSERT_TRUE(load.ok()) << load.error->message;
    EXPECT_EQ(load.events.types().size(), max_event_types);
    EXPECT_EQ(load.events.event_count(), max_event_types - builtin_type::count);
    EXPECT_EQ(load.events.types().name(65'534), "t65529");
  }
}

TEST(parse_ledger_csv, refuses_a_100_mb_line_with_its_line_keeping_200_bytes_of_it) {
  std::string text(header);
  text += "HH1,2024-01-01,charge,1\n";
  text.append(std::size_t{100} << 20, 'x');
  text += "\nHH2,2024-01-01,charge,2\n";
  const error e = failure(parse(text));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_TRUE(mentions(e.message, "row is longer than 1048576 bytes, the limit")) << e.message;
  EXPECT_EQ(e.text, std::string(200, 'x'));
  // In rejects mode the rows around it load.
  const ledger_load skipped = parse_with_rejects(text);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped.events.event_count(), 2u);
  ASSERT_EQ(skipped.rejects.size(), 1u);
  EXPECT_EQ(skipped.rejects[0].line, 3u);
  EXPECT_EQ(skipped.rejects[0].text.size(), 200u);
}

TEST(parse_ledger_csv, a_row_just_under_the_length_limit_loads) {
  // Extra columns are ignored: a long note is fine up to the limit.
  const std::string head = "household,date,type,amount,note\nHH1,2024-01-01,charge,1,";
  const std::string fits = head + std::string(detail::max_row_bytes - 24, 'n') + "\n";
  const ledger_load load = parse(fits);
  ASSERT_TRUE(load.ok()) << load.error->message;
  EXPECT_EQ(load.events.event_count(), 1u);
  const std::string over = head + std::string(detail::max_row_bytes - 23, 'n') + "\n";
  EXPECT_TRUE(mentions(failure(parse(over)).message, "row is longer than")) << over.size();
}

TEST(parse_ledger_csv, an_unterminated_quote_stops_at_the_row_length_limit) {
  // Without the limit the quoted field would run, and be copied, to the end
  // of the file.
  std::string text(header);
  text += "\"HH1,2024-01-01,charge,1\n";
  for (int i = 0; i < 100'000; ++i) text += "HH2,2024-01-01,charge,2\n";
  const error e = failure(parse(text));
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 1u);
  EXPECT_TRUE(mentions(e.message, "a quote that is never closed?")) << e.message;
  const ledger_load skipped = parse_with_rejects(text);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped.events.event_count(), 100'000u);
  // A short file still names the unterminated quote.
  EXPECT_EQ(failure(parse(std::string(header) + "\"HH1,2024-01-01,charge,1\n")).message,
            "unterminated quoted field");
}

TEST(parse_ledger_csv, a_bad_last_row_without_a_line_break_is_located) {
  const error e =
      failure(parse(std::string(header) + "HH1,2024-01-01,charge,1\nHH1,2024-01-02,charge,1.234"));
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 23u);
  EXPECT_EQ(e.message, "amount has more than 2 decimal places '1.234'");
  const error id =
      failure(parse(std::string(header) + std::string(65, 'H') + ",2024-01-01,charge,1"));
  EXPECT_EQ(id.line, 2u);
  EXPECT_EQ(id.message, "household id is longer than 64 bytes");
  const error quoted =
      failure(parse(std::string(header) + "\"" + std::string(65, 'H') + "\",2024-01-01,charge,1"));
  EXPECT_EQ(quoted.message, "household id is longer than 64 bytes");
}

// Every event as "household date type amount code", codes by name.
std::vector<std::string> coded_events(const ledger& l) {
  std::vector<std::string> out;
  for (household_index h = 0; h < l.household_count(); ++h) {
    const household_events ev = l.events(h);
    for (std::size_t i = 0; i < ev.size(); ++i)
      out.push_back(std::string(l.household_id(h)) + ' ' + format_date(ev.dates[i]) + ' ' +
                    std::string(l.types().name(ev.types[i])) + ' ' + std::to_string(ev.amounts[i]) +
                    ' ' + std::string(l.codes().name(ev.code(i))));
  }
  return out;
}

TEST(parse_ledger_csv, reads_a_code_column_in_any_position_after_the_fourth) {
  const std::vector<std::string> expected = {
      "HH1 2024-03-01 charge 10000 ",
      "HH1 2024-03-02 letter 0 final_warning",
      "HH1 2024-03-03 court_hearing 0 suspended_order",
      "HH2 2024-03-01 court_hearing 0 adjourned, costs",
      "HH2 2024-03-04 letter 0 final_warning",
  };
  const std::vector<std::pair<std::string, std::string>> layouts = {
      {"household,date,type,amount,code\n",
       "HH1,2024-03-01,charge,100,\n"
       "HH1,2024-03-02,letter,,final_warning\n"
       "HH2,2024-03-01,court_hearing,,\"adjourned, costs\"\n"
       "HH1,2024-03-03,court_hearing,,suspended_order\n"
       "HH2,2024-03-04,letter,,final_warning"},
      {"household,date,type,amount,note,code\r\n",
       "HH1,2024-03-01,charge,100,\"rent, March\",\r\n"
       "HH1,2024-03-02,letter,,,final_warning\r\n"
       "HH2,2024-03-01,court_hearing,,x,\"adjourned, costs\"\r\n"
       "HH1,2024-03-03,court_hearing,,,suspended_order\r\n"
       "HH2,2024-03-04,letter,,y,final_warning\r\n"},
      {"household,date,type,amount,code,note,source\n",
       "HH1,2024-03-01,charge,100,,,\n"
       "HH1,2024-03-02,letter,,final_warning,sent,crm\n"
       "HH2,2024-03-01,court_hearing,,\"adjourned, costs\",\"two\nlines\",court\n"
       "HH1,2024-03-03,court_hearing,,suspended_order,,\n"
       "HH2,2024-03-04,letter,,\"final_warning\",,\n"},
  };
  for (const auto& [head, rows] : layouts) {
    const ledger_load load = parse(head + rows);
    ASSERT_TRUE(load.ok()) << head << load.error->render();
    EXPECT_EQ(coded_events(load.events), expected) << head;
    // Ids in order of first appearance in the file.
    const code_table& codes = load.events.codes();
    ASSERT_EQ(codes.size(), 4u) << head;
    EXPECT_EQ(codes.name(1), "final_warning") << head;
    EXPECT_EQ(codes.name(2), "adjourned, costs") << head;
    EXPECT_EQ(codes.name(3), "suspended_order") << head;
    EXPECT_EQ(load.events.code_ids().size(), load.events.event_count()) << head;
  }
}

TEST(parse_ledger_csv, reads_many_alternating_codes_each_as_written) {
  // More distinct codes than the parser keeps at hand, of equal lengths and
  // ends, in an order that keeps replacing them: each row keeps its own.
  std::string text = "household,date,type,amount,code\n";
  std::vector<std::string> expected;
  for (int i = 0; i < 500; ++i) {
    const std::string code =
        i % 5 == 0 ? "" : std::string("c").append(std::to_string(i * 7 % 23)).append("x");
    text += "H,2024-01-01,letter,," + code + "\n";
    expected.push_back("H 2024-01-01 letter 0 " + code);
  }
  for (const std::size_t chunk_bytes : {std::size_t{0}, std::size_t{300}}) {
    ledger_csv_options options;
    options.chunk_bytes = chunk_bytes;
    const ledger_load load = parse_ledger_csv(text, options);
    ASSERT_TRUE(load.ok()) << load.error->render();
    EXPECT_EQ(coded_events(load.events), expected) << chunk_bytes;
    EXPECT_EQ(load.events.codes().size(), 24u) << chunk_bytes;
  }
}

TEST(parse_ledger_csv, an_empty_code_column_gives_a_ledger_without_codes) {
  const ledger_load load = parse(
      "household,date,type,amount,code\n"
      "HH1,2024-03-01,charge,100,\n"
      "HH1,2024-03-02,letter,,\"\"\n");
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.events.event_count(), 2u);
  EXPECT_TRUE(load.events.code_ids().empty());
  EXPECT_EQ(load.events.codes().size(), 1u);
}

TEST(parse_ledger_csv, reads_only_a_column_named_exactly_code) {
  for (const char* name : {"Code", "codes", " code", "code ", "\"code\""}) {
    const ledger_load load = parse("household,date,type,amount," + std::string(name) +
                                   "\nHH1,2024-03-02,letter,,final_warning\n");
    ASSERT_TRUE(load.ok()) << name;
    EXPECT_TRUE(load.events.code_ids().empty()) << name;
    EXPECT_EQ(load.events.codes().size(), 1u) << name;
  }
}

TEST(parse_ledger_csv, refuses_a_header_with_two_code_columns) {
  const error e = failure(parse(
      "household,date,type,amount,code,note,code\nHH1,2024-03-02,letter,,final_warning,,x\n"));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 38u);
  EXPECT_EQ(e.message,
            "the header names two columns 'code' (columns 5 and 7); a ledger has one column of "
            "event codes");
}

TEST(parse_ledger_csv, locates_a_bad_code) {
  struct bad_code {
    std::string field;  // as written in the row
    std::string message;
  };
  const std::vector<bad_code> cases = {
      {std::string(65, 'c'), "event code '" + std::string(60, 'c') + "' is longer than 64 bytes"},
      {" lead", "event code ' lead' begins or ends with a space"},
      {"trail ", "event code 'trail ' begins or ends with a space"},
      {"\"a\"\"b\"", "event code 'a\"b' holds a quote, backslash, tab or line break"},
      {"a\\b", "event code 'a\\b' holds a quote, backslash, tab or line break"},
      {"tab\tbed",
       "event code '(binary or non-ASCII data)' holds a quote, backslash, tab or "
       "line break"},
      {"bad\xFF",
       "event code '(binary or non-ASCII data)' is not UTF-8 text without control "
       "characters"},
  };
  for (const bad_code& c : cases) {
    const std::string row = "HH1,2024-03-02,letter,,x," + c.field;
    const error e = failure(
        parse("household,date,type,amount,note,code\nHH1,2024-03-01,charge,1,,ok\n" + row + "\n"));
    EXPECT_EQ(e.line, 3u) << c.field;
    EXPECT_EQ(e.column, 26u) << c.field;
    EXPECT_EQ(e.message, c.message) << c.field;
    EXPECT_EQ(e.text, row) << c.field;
  }
  // A quoted line break: the error is on the field's own line.
  const error broken =
      failure(parse("household,date,type,amount,code\nHH1,2024-03-02,letter,,\"two\nlines\"\n"));
  EXPECT_EQ(broken.line, 2u);
  EXPECT_EQ(broken.column, 24u);
  EXPECT_EQ(broken.message,
            "event code '(binary or non-ASCII data)' holds a quote, backslash, tab or line break");
  // The fields before the code are checked first.
  EXPECT_EQ(
      failure(parse("household,date,type,amount,code\nHH1,2024-03-02,letter,-1, x\n")).message,
      "amount must not be negative '-1'");
}

TEST(parse_ledger_csv, rejects_mode_skips_rows_with_bad_codes_and_their_codes) {
  const ledger_load load = parse_with_rejects(
      "household,date,type,amount,code\n"
      "HH1,2024-03-01,charge,100,\n"            // 2
      "HH1,2024-03-02,letter,, final\n"         // 3: a leading space
      "HH1,2024-03-03,payment,-1,never_seen\n"  // 4: a bad amount; its code is not kept
      "HH2,2024-03-04,letter,,final\n");        // 5
  ASSERT_TRUE(load.ok()) << load.error->render();
  ASSERT_EQ(load.rejects.size(), 2u);
  EXPECT_EQ(load.rejects[0].line, 3u);
  EXPECT_EQ(load.rejects[0].column, 24u);
  EXPECT_EQ(load.rejects[0].message, "event code ' final' begins or ends with a space");
  EXPECT_EQ(load.rejects[0].text, "HH1,2024-03-02,letter,, final");
  EXPECT_EQ(load.rejects[1].line, 4u);
  EXPECT_EQ(coded_events(load.events), (std::vector<std::string>{"HH1 2024-03-01 charge 10000 ",
                                                                 "HH2 2024-03-04 letter 0 final"}));
  EXPECT_EQ(load.events.codes().size(), 2u);
  EXPECT_FALSE(load.events.codes().find("never_seen"));
}

TEST(parse_ledger_csv, a_ledger_with_codes_costs_two_bytes_more_an_event) {
  std::string plain = "household,date,type,amount,code\n";
  std::string coded = plain;
  for (int i = 0; i < 1000; ++i) {
    const std::string row = "HH" + std::to_string(i % 7) + ",2024-03-01,letter,,";
    plain += row + "\n";
    coded += row + (i == 999 ? "last" : "") + "\n";
  }
  const ledger_load a = parse(plain);
  const ledger_load b = parse(coded);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b.events.memory_bytes(), a.events.memory_bytes() + 1000 * sizeof(code_id));
}

std::string ledger_of_distinct_codes(std::size_t codes) {
  std::string text = "household,date,type,amount,code\n";
  for (std::size_t i = 0; i < codes; ++i)
    text.append("HH1,2024-01-01,letter,,c").append(std::to_string(i)).append("\n");
  return text;
}

TEST(parse_ledger_csv, loads_codes_up_to_the_limit_and_locates_the_first_past_it) {
  // 65,534 codes beside "no code" fill the table; the row of the next one
  // (line 65,536: the header is line 1) is at fault, in rejects mode too.
  for (const std::size_t chunk_bytes : {std::size_t{0}, std::size_t{4096}, std::size_t{600'000}}) {
    ledger_csv_options options;
    options.chunk_bytes = chunk_bytes;
    options.threads = 2;
    const ledger_load full = parse_ledger_csv(ledger_of_distinct_codes(65'534), options);
    ASSERT_TRUE(full.ok()) << full.error->message;
    EXPECT_EQ(full.events.codes().size(), max_event_codes) << chunk_bytes;
    EXPECT_EQ(full.events.codes().name(65'534), "c65533") << chunk_bytes;
    for (const bool rejects : {false, true}) {
      options.reject_bad_rows = rejects;
      const ledger_load load = parse_ledger_csv(ledger_of_distinct_codes(66'000), options);
      const error e = failure(load);
      EXPECT_EQ(e.line, 65'536u) << chunk_bytes << ' ' << rejects;
      EXPECT_EQ(e.column, 24u) << chunk_bytes << ' ' << rejects;
      EXPECT_EQ(e.message, "too many distinct event codes (the limit is 65,534 per ledger)")
          << chunk_bytes << ' ' << rejects;
      EXPECT_TRUE(load.rejects.empty());
    }
  }
}

TEST(ledger_errors, are_of_kind_ledger_with_the_row_text) {
  const error e = row_failure("HH1,2024-03-01,payment,-5");
  EXPECT_EQ(e.kind, error_kind::ledger);
  EXPECT_EQ(e.text, "HH1,2024-03-01,payment,-5");
  EXPECT_EQ(e.file, "");  // parsed from text: no file
  EXPECT_EQ(e.render(), "line 2:24: amount must not be negative '-5'");
}

class load_ledger_csv_test : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("earlywarn_ledger_csv_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string write(const std::string& name, std::string_view bytes) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(load_ledger_csv_test, loads_a_file) {
  const std::string path = write("ledger.csv",
                                 "\xEF\xBB\xBFhousehold,date,type,amount,note\r\n"
                                 "HH0000042,2024-03-01,charge,8532.50,\r\n"
                                 "HH0000042,2024-03-04,payment,8532.50,\"paid, late\"\r\n");
  const ledger_load load = load_ledger_csv(path);
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(all_events(load.events),
            (std::vector<event_row>{{"HH0000042", "2024-03-01", "charge", 853250},
                                    {"HH0000042", "2024-03-04", "payment", 853250}}));
}

TEST_F(load_ledger_csv_test, a_missing_file_gives_the_reason) {
  const std::string path = (dir_ / "no_such_ledger.csv").string();
  const ledger_load load = load_ledger_csv(path);
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error->line, 0u);
  EXPECT_EQ(load.error->column, 0u);
  EXPECT_EQ(load.error->message, "cannot read the ledger: No such file or directory");
  EXPECT_EQ(load.error->kind, error_kind::io);
  EXPECT_EQ(load.error->render(), path + ": cannot read the ledger: No such file or directory");
}

TEST_F(load_ledger_csv_test, a_directory_is_not_a_ledger) {
  const ledger_load load = load_ledger_csv(dir_.string());
  ASSERT_FALSE(load.ok());
  EXPECT_TRUE(mentions(load.error->message, "cannot read the ledger")) << load.error->message;
  EXPECT_TRUE(mentions(load.error->message, "directory")) << load.error->message;
}

TEST_F(load_ledger_csv_test, an_empty_file_is_an_error) {
  const std::string path = write("empty.csv", "");
  const ledger_load load = load_ledger_csv(path);
  ASSERT_FALSE(load.ok());
  EXPECT_TRUE(mentions(load.error->message, "empty file")) << load.error->message;
  EXPECT_EQ(load.error->render().rfind(path + ": empty file", 0), 0u);
}

TEST_F(load_ledger_csv_test, a_binary_file_is_not_csv) {
  const std::string path = write("photo.csv", "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01"s);
  const ledger_load load = load_ledger_csv(path);
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error->render(),
            path +
                ":1:1: not a ledger CSV: the header must begin 'household,date,type,amount', "
                "found '(binary or non-ASCII data)'");
}

TEST_F(load_ledger_csv_test, row_errors_render_with_file_line_and_column) {
  const std::string path = write("ledger.csv",
                                 "household,date,type,amount\n"
                                 "HH1,2024-03-01,charge,100\n"
                                 "HH1,2024-03-02,payment,-5\n");
  const ledger_load load = load_ledger_csv(path);
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error->render(), path + ":3:24: amount must not be negative '-5'");
}

TEST_F(load_ledger_csv_test, rejects_mode_loads_the_good_rows_of_a_file) {
  const std::string path = write("ledger.csv",
                                 "household,date,type,amount\n"
                                 "HH1,2024-03-01,charge,100\n"
                                 "HH1,2024-03-02,payment,1.234\n"
                                 "HH2,2024-03-02,payment,1\n");
  ledger_csv_options options;
  options.reject_bad_rows = true;
  const ledger_load load = load_ledger_csv(path, options);
  ASSERT_TRUE(load.ok()) << load.error->render();
  EXPECT_EQ(load.rows_accepted, 2u);
  EXPECT_EQ(load.events.event_count(), 2u);
  ASSERT_EQ(load.rejects.size(), 1u);
  EXPECT_EQ(load.rejects[0].render(),
            path + ":3:24: amount has more than 2 decimal places '1.234'");
  EXPECT_EQ(load.rejects[0].text, "HH1,2024-03-02,payment,1.234");
}

}  // namespace
}  // namespace earlywarn

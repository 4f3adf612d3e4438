// The stream CLI's fast path for one ledger row: whatever it accepts, the
// batch loader accepts with the same household, date, type, amount and code;
// what it refuses goes to the loader, which must be left to word every error.

#include "earlywarn/detail/plain_row.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "earlywarn.hpp"

namespace {

using earlywarn::detail::no_code_column;
using earlywarn::detail::plain_row;
using earlywarn::detail::read_plain_row;

// The loader's reading of `row` under `header`: the event, if it took one.
std::optional<plain_row> loader_reading(const std::string& header, const std::string& row,
                                        std::string& storage) {
  earlywarn::ledger_csv_options one;
  one.threads = 1;
  const earlywarn::ledger_load load = earlywarn::parse_ledger_csv(header + "\n" + row + "\n", one);
  if (!load.ok() || load.events.event_count() != 1) return std::nullopt;
  const earlywarn::ledger& l = load.events;
  const earlywarn::household_events ev = l.events(0);
  storage = std::string(l.household_id(0)) + '\0' + std::string(l.types().name(ev.types[0])) +
            '\0' + std::string(l.codes().name(ev.code(0)));
  const std::size_t cut = storage.find('\0');
  const std::size_t cut2 = storage.find('\0', cut + 1);
  const std::string_view view(storage);
  return plain_row{view.substr(0, cut), ev.dates[0], view.substr(cut + 1, cut2 - cut - 1),
                   ev.amounts[0], view.substr(cut2 + 1)};
}

TEST(PlainRow, ReadsTheCommonRows) {
  const auto r = read_plain_row("HH0000004,2015-01-01,charge,8439.28", 4, no_code_column);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->household, "HH0000004");
  EXPECT_EQ(r->date, *earlywarn::parse_date("2015-01-01"));
  EXPECT_EQ(r->type, "charge");
  EXPECT_EQ(r->amount, 843928);

  const auto crlf = read_plain_row("a b,2024-02-29,payment,12\r", 4, no_code_column);
  ASSERT_TRUE(crlf);
  EXPECT_EQ(crlf->household, "a b");
  EXPECT_EQ(crlf->amount, 1200);

  const auto neutral = read_plain_row("h,2024-01-31,letter_sent,", 4, no_code_column);
  ASSERT_TRUE(neutral);
  EXPECT_EQ(neutral->type, "letter_sent");
  EXPECT_EQ(neutral->amount, 0);

  const auto extra = read_plain_row("h,2024-01-31,contact,,visit,notes", 6, no_code_column);
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->type, "contact");
  EXPECT_EQ(extra->code, "");
}

TEST(PlainRow, ReadsTheCodeColumn) {
  const auto last = read_plain_row("h,2024-01-31,court_hearing,,suspended_order", 5, 4);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->type, "court_hearing");
  EXPECT_EQ(last->code, "suspended_order");
  const auto crlf = read_plain_row("h,2024-01-31,court_hearing,,adjourned\r", 5, 4);
  ASSERT_TRUE(crlf);
  EXPECT_EQ(crlf->code, "adjourned");
  const auto middle = read_plain_row("h,2024-01-31,letter,,note,Dvo\xC5\x99\xC3\xA1k 2,x", 7, 5);
  ASSERT_TRUE(middle);
  EXPECT_EQ(middle->code, "Dvo\xC5\x99\xC3\xA1k 2");
  const auto none = read_plain_row("h,2024-01-31,charge,5,,note", 6, 4);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->code, "");
  // Codes the loader refuses are the loader's to word.
  for (const std::string& code :
       {std::string(65, 'c'), std::string(" lead"), std::string("trail "), std::string("a\\b"),
        std::string("tab\tbed"), std::string("bad\xFF")})
    EXPECT_FALSE(read_plain_row("h,2024-01-31,letter,," + code, 5, 4)) << code;
  EXPECT_TRUE(read_plain_row("h,2024-01-31,letter,," + std::string(64, 'c'), 5, 4));
}

TEST(PlainRow, LeavesEverythingElseToTheLoader) {
  for (const char* row : {
           "\"HH,1\",2015-01-01,charge,1.00",  // quoted
           "h,2015-02-30,charge,1.00",         // no such date
           "h,2015-01-01,Charge,1.00",         // bad type name
           "h,2015-01-01,charge,",             // a charge needs an amount
           "h,2015-01-01,payment,-5",          // negative
           "h,2015-01-01,payment,1.234",       // too precise
           ",2015-01-01,payment,1",            // no household
           "h\xC3\xA9,2015-01-01,payment,1",   // not ASCII: the loader checks its UTF-8
           "h,2015-01-01,payment",             // a column short
           "h,2015-01-01,payment,1,extra",     // a column over
           "household,date,type,amount",       // the header again
       })
    EXPECT_FALSE(read_plain_row(row, 4, no_code_column)) << row;
  EXPECT_FALSE(read_plain_row("h,2015-01-01,payment,1", 3, no_code_column));
  std::string long_id(65, 'x');
  EXPECT_FALSE(read_plain_row(long_id + ",2015-01-01,payment,1", 4, no_code_column));
  EXPECT_TRUE(read_plain_row(long_id.substr(1) + ",2015-01-01,payment,1", 4, no_code_column));
}

// Rows built from good and bad pieces: every row the fast path takes, the
// loader takes the same way; and it takes every good row without quotes or
// a non-ASCII id.
TEST(PlainRow, AgreesWithTheLoaderOnRandomRows) {
  const std::vector<std::string> households = {"HH1",
                                               "a b",
                                               "",
                                               std::string(64, 'h'),
                                               std::string(65, 'h'),
                                               "x\ty",
                                               "\xC3\xA9t\xC3\xA9",
                                               "\"q\"",
                                               "h\"",
                                               "#1",
                                               " lead"};
  const std::vector<std::string> dates = {"2024-01-31", "2024-02-29", "2023-02-29", "2024-1-31",
                                          "31.1.2024",  "",           "0000-01-01", "9999-12-31",
                                          "2024-13-01", "2024-01-31 "};
  const std::vector<std::string> types = {"charge",
                                          "payment",
                                          "credit",
                                          "plan",
                                          "contact",
                                          "letter_sent",
                                          "Charge",
                                          "",
                                          "9x",
                                          "a-b",
                                          std::string(64, 'z'),
                                          std::string(65, 'z')};
  const std::vector<std::string> codes = {"",
                                          "suspended_order",
                                          "adjourned",
                                          "a b",
                                          "\xC3\xA9t\xC3\xA9",
                                          std::string(64, 'c'),
                                          std::string(65, 'c'),
                                          " lead",
                                          "trail ",
                                          "a\\b",
                                          "tab\tbed",
                                          "\"quoted, code\"",
                                          "bad\xFF",
                                          "bell\x07"};
  const std::vector<std::string> amounts = {"0",
                                            "12",
                                            "12.5",
                                            "12.50",
                                            "12.505",
                                            "-1",
                                            "",
                                            "1e3",
                                            "1,000.00",
                                            " 1",
                                            "1. ",
                                            ".5",
                                            "00.01",
                                            "99999999999.99",
                                            "9999999999999.99",
                                            "99999999999999.99",
                                            "12.50\r"};
  std::mt19937 random(20261123);
  auto pick = [&](const std::vector<std::string>& v) { return v[random() % v.size()]; };
  int taken = 0, good = 0, coded = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::size_t extra = random() % 3;
    // With extra columns, one of them holds the codes half the time.
    const std::size_t code_column =
        extra > 0 && random() % 2 == 0 ? 4 + random() % extra : no_code_column;
    std::string header = "household,date,type,amount";
    std::string row =
        pick(households) + ',' + pick(dates) + ',' + pick(types) + ',' + pick(amounts);
    for (std::size_t e = 0; e < extra; ++e) {
      if (4 + e == code_column) {
        header += ",code";
        row += ',' + pick(codes);
        continue;
      }
      header += ",note" + std::to_string(e);
      row += random() % 4 == 0 ? ",\"quoted, note\"" : ",note";
    }
    if (random() % 8 == 0) row += ",surplus";
    std::string storage;
    const auto loaded = loader_reading(header, row, storage);
    const auto fast = read_plain_row(row, 4 + extra, code_column);
    bool plain = row.find('"') == row.npos;
    if (loaded)
      for (const char c : loaded->household) plain = plain && c >= 0x20 && c <= 0x7E;
    // A good row without quotes or a non-ASCII id is the fast path's own.
    if (loaded && plain) {
      ++good;
      EXPECT_TRUE(fast) << row;
    }
    if (!fast) continue;
    ++taken;
    ASSERT_TRUE(loaded) << row;
    EXPECT_EQ(fast->household, loaded->household) << row;
    EXPECT_EQ(fast->date, loaded->date) << row;
    EXPECT_EQ(fast->type, loaded->type) << row;
    EXPECT_EQ(fast->amount, loaded->amount) << row;
    EXPECT_EQ(fast->code, loaded->code) << row;
    coded += !fast->code.empty();
  }
  EXPECT_GT(good, 300);
  EXPECT_GT(coded, 30);
  EXPECT_EQ(taken, good);
}

// The public row reader: the fast path for common rows, the loader's
// values and messages for the rest, at the row's line of the input.
TEST(LedgerRowReader, ReadsEachRowAsTheLoaderDoesAndLocatesErrors) {
  earlywarn::ledger_row_reader rows("household,date,type,amount,code\r");
  std::optional<earlywarn::ledger_row> event;
  ASSERT_FALSE(rows.read("H1,2024-03-01,charge,853.25,", 2, event));
  ASSERT_TRUE(event);
  EXPECT_EQ(event->household, "H1");
  EXPECT_EQ(event->date, *earlywarn::parse_date("2024-03-01"));
  EXPECT_EQ(event->type, "charge");
  EXPECT_EQ(event->amount, 85325);
  EXPECT_EQ(event->code, "");
  // Quotes take the loader's path; the values are the same.
  ASSERT_FALSE(rows.read("\"H 2\",2024-03-02,letter,,\"final\"", 3, event));
  ASSERT_TRUE(event);
  EXPECT_EQ(event->household, "H 2");
  EXPECT_EQ(event->type, "letter");
  EXPECT_EQ(event->code, "final");
  // A blank row holds no event.
  ASSERT_FALSE(rows.read("", 4, event));
  EXPECT_FALSE(event);
  // An error names the row's line and the loader's column and reason.
  const auto bad = rows.read("H3,2024-02-30,charge,1,", 57, event);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->line, 57u);
  EXPECT_EQ(bad->column, 4u);
  const auto loader =
      earlywarn::parse_ledger_csv("household,date,type,amount,code\nH3,2024-02-30,charge,1,\n");
  ASSERT_TRUE(loader.error);
  EXPECT_EQ(bad->message, loader.error->message);
  EXPECT_FALSE(event);
  // A bad header is reported at line 1, by every read.
  earlywarn::ledger_row_reader headless("household,day,type,amount");
  const auto header = headless.read("H1,2024-03-01,charge,1", 2, event);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->line, 1u);
}

}  // namespace

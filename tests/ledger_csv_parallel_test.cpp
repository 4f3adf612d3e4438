// The chunked, multi-threaded CSV load against the same load in one chunk on
// one thread: on random and adversarial ledgers (every kind of bad row,
// quoted fields with commas, quotes and line breaks, CRLF, a byte-order mark,
// blank lines, extra columns, a code column anywhere among them, large
// amounts, custom types and codes first seen late), cut into chunks of every
// size down to one byte so that cuts fall inside rows and inside quoted
// fields, both must give the same ledger (households, events, type and code
// ids), the same first error and the same rejects, line for line.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/loading/ledger_csv.hpp"
#include "earlywarn/model/money.hpp"

namespace earlywarn {
namespace {

using namespace std::string_literals;

ledger_load load(std::string_view text, bool rejects, unsigned threads, std::size_t chunk_bytes) {
  ledger_csv_options options;
  options.reject_bad_rows = rejects;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  return parse_ledger_csv(text, options);
}

/// The load as one pass over the text: one chunk, one thread.
ledger_load serial(std::string_view text, bool rejects) {
  return load(text, rejects, 1, detail::max_chunk_bytes);
}

void expect_same_error(const error& a, const error& b, const std::string& what) {
  EXPECT_EQ(a.line, b.line) << what;
  EXPECT_EQ(a.column, b.column) << what;
  EXPECT_EQ(a.message, b.message) << what;
  EXPECT_EQ(a.text, b.text) << what;
}

template <class T>
std::vector<T> copy(std::span<const T> s) {
  return {s.begin(), s.end()};
}

void expect_same(const ledger_load& expected, const ledger_load& actual, const std::string& what) {
  ASSERT_EQ(expected.ok(), actual.ok()) << what;
  if (!expected.ok()) expect_same_error(*expected.error, *actual.error, what);
  EXPECT_EQ(expected.rows_accepted, actual.rows_accepted) << what;
  ASSERT_EQ(expected.rejects.size(), actual.rejects.size()) << what;
  for (std::size_t i = 0; i < expected.rejects.size(); ++i)
    expect_same_error(expected.rejects[i], actual.rejects[i],
                      what + ", reject " + std::to_string(i));

  const ledger& a = expected.events;
  const ledger& b = actual.events;
  ASSERT_EQ(a.household_count(), b.household_count()) << what;
  for (household_index h = 0; h < a.household_count(); ++h)
    ASSERT_EQ(a.household_id(h), b.household_id(h)) << what;
  EXPECT_EQ(copy(a.offsets()), copy(b.offsets())) << what;
  EXPECT_EQ(copy(a.dates()), copy(b.dates())) << what;
  EXPECT_EQ(copy(a.type_ids()), copy(b.type_ids())) << what;
  EXPECT_EQ(copy(a.amounts()), copy(b.amounts())) << what;
  ASSERT_EQ(a.types().size(), b.types().size()) << what;
  for (std::size_t t = 0; t < a.types().size(); ++t)
    EXPECT_EQ(a.types().name(static_cast<type_id>(t)), b.types().name(static_cast<type_id>(t)))
        << what;
  EXPECT_EQ(copy(a.code_ids()), copy(b.code_ids())) << what;
  ASSERT_EQ(a.codes().size(), b.codes().size()) << what;
  for (std::size_t c = 0; c < a.codes().size(); ++c)
    EXPECT_EQ(a.codes().name(static_cast<code_id>(c)), b.codes().name(static_cast<code_id>(c)))
        << what;
  EXPECT_EQ(a.first_date(), b.first_date()) << what;
  EXPECT_EQ(a.last_date(), b.last_date()) << what;
}

/// Loads `text` with every thread count and chunk size of interest and
/// compares each with the one-pass load, with and without rejects.
void expect_chunking_invisible(const std::string& text, const std::string& what) {
  for (const bool rejects : {false, true}) {
    const ledger_load expected = serial(text, rejects);
    for (const unsigned threads : {1u, 2u, 5u})
      for (const std::size_t chunk :
           {std::size_t{1}, std::size_t{7}, std::size_t{33}, std::size_t{256}, std::size_t{0}})
        expect_same(expected, load(text, rejects, threads, chunk),
                    what + " rejects=" + std::to_string(rejects) +
                        " threads=" + std::to_string(threads) + " chunk=" + std::to_string(chunk));
  }
}

class csv_writer {
 public:
  explicit csv_writer(std::uint64_t seed) : rng_(seed) {}

  long long pick(long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng_);
  }

  /// A random ledger CSV; with `bad_rows`, one row in four is broken somehow.
  std::string ledger(bool bad_rows) {
    eol_ = pick(0, 2) == 0 ? "\r\n" : "\n";
    // Mostly the four columns; else a note, codes, or both in either order.
    static const std::vector<std::vector<std::string>> layouts = {
        {}, {}, {}, {"note"}, {"code"}, {"note", "code"}, {"code", "note"}};
    extras_ = layouts[pick(0, layouts.size() - 1)];
    std::string text;
    if (pick(0, 3) == 0) text += "\xEF\xBB\xBF";
    for (long long i = pick(0, 4) == 0 ? pick(1, 2) : 0; i > 0; --i) text += eol_;
    text += header();
    text += eol_;
    const long long rows = pick(0, 250);
    for (long long r = 0; r < rows; ++r) {
      const long long kind = pick(0, 99);
      if (kind < 55)
        text += good_row(false);
      else if (kind < 70)
        text += good_row(true);
      else if (kind < 75)
        text += bad_rows && pick(0, 1) ? "\r" : "";  // "\r\r\n" is not a blank line
      else if (bad_rows)
        text += bad_row();
      else
        text += good_row(false);
      if (r + 1 < rows || pick(0, 3) != 0) text += eol_;
    }
    return text;
  }

 private:
  std::string date() {
    if (pick(0, 2) == 0 && !last_date_.empty()) return last_date_;  // runs of one date
    last_date_ = format_date(to_day({2020, 1, 1}) + static_cast<day>(pick(0, 2200)));
    return last_date_;
  }

  std::string household(bool quoted) {
    static const std::vector<std::string> plain = {"HH01",
                                                   "HH02",
                                                   "HH03",
                                                   "HH04",
                                                   "HH05",
                                                   "HH06",
                                                   "HH07",
                                                   "HH08",
                                                   "H",
                                                   "Dvořák 7",
                                                   "家1",
                                                   std::string(64, 'x'),
                                                   "HH0000000000000017",
                                                   "a"};
    static const std::vector<std::string> needs_quotes = {
        "Nováková, Jana", "HH \"B\"", "multi\nline", "two\n\nbreaks", "crlf\r\ninside"};
    if (quoted && pick(0, 1) == 0) return quote(needs_quotes[pick(0, needs_quotes.size() - 1)]);
    const std::string& id = plain[pick(0, plain.size() - 1)];
    return quoted ? quote(id) : id;
  }

  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + '"';
  }

  std::string type() {
    static const std::vector<std::string> types = {"charge",  "payment", "credit",         "plan",
                                                   "contact", "letter",  "court_hearing_2"};
    // Custom types first seen in later chunks test that type ids follow
    // first appearance in the file, as a one-pass load numbers them.
    if (pick(0, 9) == 0) return "custom_" + std::to_string(pick(0, 30));
    return types[pick(0, types.size() - 1)];
  }

  std::string amount(const std::string& type) {
    const bool required =
        type == "charge" || type == "payment" || type == "credit" || type == "plan";
    switch (pick(0, 7)) {
      case 0:
        return required ? "0" : "";
      case 1:
        return "50000000.00";  // 5·10^9 hundredths: past 32 bits
      case 2:
        return "10000000000000";  // the largest amount
      case 3:
        return std::to_string(pick(0, 99999)) + "." + std::to_string(pick(10, 99));
      case 4:
        return std::to_string(pick(0, 9999)) + "." + std::to_string(pick(0, 9));
      default:
        return std::to_string(pick(0, 20000));
    }
  }

  std::string header() const {
    std::string out = "household,date,type,amount";
    for (const std::string& column : extras_) out += "," + column;
    return out;
  }

  std::string code(bool quoted, const std::string& type) {
    // A plan's code is its frequency.
    if (type == "plan") {
      static const std::vector<std::string> frequencies = {"", "weekly", "fortnightly",
                                                           "four_weekly", "monthly"};
      return frequencies[pick(0, frequencies.size() - 1)];
    }
    static const std::vector<std::string> codes = {"suspended_order", "adjourned", "final_warning",
                                                   "Dvořák 7",        "a-b.c/d",   "x"};
    static const std::vector<std::string> needs_quotes = {"adjourned, costs", "Nováková, J."};
    switch (pick(0, 5)) {
      case 0:
      case 1:
        return "";
      case 2:
        // Codes first seen in later chunks: ids follow first appearance in the file.
        return "code_" + std::to_string(pick(0, 40));
      default:
        if (quoted && pick(0, 1) == 0) return quote(needs_quotes[pick(0, needs_quotes.size() - 1)]);
        const std::string& c = codes[pick(0, codes.size() - 1)];
        return quoted ? quote(c) : c;
    }
  }

  std::string bad_code() {
    static const std::vector<std::string> bad = {
        " lead",      "trail ",  "a\\b",           std::string(65, 'c'),
        "\"a\"\"b\"", "bad\xFF", "\"two\nlines\"", "\"tab\tbed\""};
    return bad[pick(0, bad.size() - 1)];
  }

  // The fields after the amount; `bad_code` writes a refused code.
  std::string extras(bool quoted, const std::string& type, bool with_bad_code = false) {
    std::string out;
    for (const std::string& column : extras_) {
      out += ',';
      if (column == "code") {
        out += with_bad_code ? bad_code() : code(quoted, type);
      } else if (quoted && pick(0, 1) == 0) {
        out += "\"note, with\nline break\"";
      } else if (pick(0, 1)) {
        out += "x";
      }
    }
    return out;
  }

  bool has_codes() const {
    return std::find(extras_.begin(), extras_.end(), "code") != extras_.end();
  }

  std::string good_row(bool quoted) {
    const std::string t = type();
    std::string a = amount(t);
    if (quoted && pick(0, 2) == 0) a = quote(a);
    return household(quoted) + "," + date() + "," + t + "," + a + extras(quoted, t);
  }

  std::string bad_row() {
    const std::string tail(extras_.size(), ',');
    if (has_codes() && pick(0, 5) == 0)
      return household(pick(0, 1)) + "," + date() + ",letter," + extras(false, "letter", true);
    if (has_codes() && pick(0, 9) == 0) {  // a plan whose code is no frequency
      std::string row = household(pick(0, 1)) + "," + date() + ",plan,5";
      for (const std::string& column : extras_) row += column == "code" ? ",fortnighly" : ",";
      return row;
    }
    switch (pick(0, 18)) {
      case 0:
        return "HH01,2024-02-30,charge,1" + tail;
      case 1:
        return "HH01,2024/01/01,charge,1" + tail;
      case 2:
        return "," + date() + ",charge,1" + tail;
      case 3:
        return std::string(65, 'y') + "," + date() + ",charge,1" + tail;
      case 4:
        return "HH\xFF," + date() + ",charge,1" + tail;
      case 5:
        return "HH01," + date() + ",Payment,1" + tail;
      case 6:
        return "HH01," + date() + ",,1" + tail;
      case 7:
        return "HH01," + date() + ",payment,-5" + tail;
      case 8:
        return "HH01," + date() + ",charge,1.001" + tail;
      case 9:
        return "HH01," + date() + ",charge,1e5" + tail;
      case 10:
        return "HH01," + date() + ",charge,10000000000000.01" + tail;
      case 11:
        return "HH01," + date() + ",plan," + tail;
      case 12:
        return "HH01," + date() + ",charge";
      case 13:
        return header();
      case 14:
        return "\"HH09," + date() + ",charge,1" + tail;  // unterminated: runs to the next quote
      case 15:
        return "HH\"1," + date() + ",charge,1" + tail;
      case 16:
        return "\"HH1\"x," + date() + ",charge,1" + tail;
      case 17:
        return "HH\x01," + date() + ",charge,1" + tail;
      default:
        return "HH01," + date() + ",charge,1,extra" + tail;
    }
  }

  std::mt19937_64 rng_;
  std::string eol_ = "\n";
  std::vector<std::string> extras_;
  std::string last_date_;
};

TEST(parse_ledger_csv_in_chunks, equals_one_pass_on_random_ledgers) {
  int bad_codes = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    csv_writer writer(seed);
    const std::string text = writer.ledger(seed % 3 != 0);
    expect_chunking_invisible(text, "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
    for (const error& r : serial(text, true).rejects)
      bad_codes += r.message.starts_with("event code");
  }
  EXPECT_GT(bad_codes, 5);  // the writer's bad codes reach the comparison
}

TEST(parse_ledger_csv_in_chunks, equals_one_pass_on_good_ledgers_of_many_chunks) {
  // Good rows only: the loads succeed, so the merge of many chunks is compared in full.
  int coded = 0;
  for (std::uint64_t seed = 100; seed < 110; ++seed) {
    csv_writer writer(seed);
    std::string text;
    do text = writer.ledger(false);
    while (text.size() < 3000);
    const ledger_load expected = serial(text, false);
    ASSERT_TRUE(expected.ok()) << "seed " << seed << ": " << expected.error->render();
    ASSERT_GT(expected.events.event_count(), 50u);
    coded += expected.events.codes().size() > 10;
    expect_chunking_invisible(text, "seed " + std::to_string(seed));
  }
  EXPECT_GE(coded, 2);  // some ledgers have codes enough to number differently per chunk
}

TEST(parse_ledger_csv_in_chunks, a_quoted_line_break_across_a_cut_is_not_a_row_start) {
  // Cut after any of its line breaks, the quoted id looks like a bad row
  // followed by good rows; only the whole file's parse knows it is one id.
  const std::string id = "A\nHH9,2024-13-01,charge,1\nHH8,2024-01-02,charge,5\nB";
  const std::string text =
      "household,date,type,amount\n"
      "HH1,2024-01-01,charge,1\n"
      "\"" +
      id +
      "\",2024-01-03,payment,2\n"
      "HH2,2024-01-04,charge,-1\n";
  for (const std::size_t chunk :
       {std::size_t{1}, std::size_t{30}, std::size_t{40}, std::size_t{60}}) {
    const ledger_load l = load(text, false, 2, chunk);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error->line, 7u) << chunk;  // the row after the four-line quoted id
    EXPECT_EQ(l.error->message, "amount must not be negative '-1'") << chunk;
    EXPECT_EQ(l.rows_accepted, 2u) << chunk;

    const ledger_load r = load(text, true, 2, chunk);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.rejects.size(), 1u) << chunk;
    EXPECT_EQ(r.rejects[0].line, 7u) << chunk;
    ASSERT_EQ(r.events.household_count(), 2u) << chunk;
    EXPECT_EQ(r.events.household_id(0), id) << chunk;
    EXPECT_EQ(r.events.household_id(1), "HH1") << chunk;
    EXPECT_FALSE(r.events.find_household("HH8").has_value()) << chunk;
  }
}

TEST(parse_ledger_csv_in_chunks, the_first_bad_row_in_the_file_wins) {
  // Bad rows in several chunks: the load reports the first, whichever thread
  // finds which first, and counts only the rows before it.
  std::string text = "household,date,type,amount\n";
  for (int i = 0; i < 400; ++i) {
    text += "HH" + std::to_string(i % 17) + ",2024-01-01,charge,1\n";
    if (i == 150) text += "HH1,2024-01-01,charge,x\n";
    if (i == 300) text += "HH1,2024-01-01,charge,-1\n";
  }
  for (const unsigned threads : {1u, 2u, 8u}) {
    const ledger_load l = load(text, false, threads, 64);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error->line, 153u) << threads;
    EXPECT_EQ(l.rows_accepted, 151u) << threads;
    EXPECT_EQ(l.events.event_count(), 0u) << threads;
  }
}

TEST(parse_ledger_csv_in_chunks, too_many_types_fail_at_the_row_one_pass_names) {
  // The type table holds 65,535 types, the 5 built-ins included; the one-pass
  // load fails at the row naming the next (t65530, line 65,532), unless a bad
  // row stops it first. Chunks must agree on both.
  std::string text = "household,date,type,amount\n";
  for (int i = 0; i < 65540; ++i) text += "H,2024-01-01,t" + std::to_string(i) + ",\n";
  ledger_csv_options options;
  options.chunk_bytes = 100000;
  for (const unsigned threads : {1u, 2u}) {
    options.threads = threads;
    const ledger_load l = parse_ledger_csv(text, options);
    ASSERT_FALSE(l.ok()) << threads;
    EXPECT_EQ(l.error->line, 65'532u) << threads;
    EXPECT_EQ(l.error->column, 14u) << threads;
    EXPECT_EQ(l.error->message, too_many_types_message) << threads;
  }
  const std::string stopped =
      "household,date,type,amount\nH,2024-01-01,charge,x\n" + text.substr(27);
  for (const unsigned threads : {1u, 2u}) {
    options.threads = threads;
    const ledger_load l = parse_ledger_csv(stopped, options);
    ASSERT_FALSE(l.ok()) << threads;
    EXPECT_EQ(l.error->line, 2u) << threads;
  }
}

TEST(parse_ledger_csv_in_chunks, progress_is_reported_on_the_calling_thread) {
  std::string text = "household,date,type,amount\n";
  for (int i = 0; i < 5000; ++i) text += "HH" + std::to_string(i % 300) + ",2024-01-01,charge,1\n";
  ledger_csv_options options;
  options.threads = 4;
  options.chunk_bytes = 4096;
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::uint64_t> done;
  bool elsewhere = false;
  options.progress = [&](std::uint64_t d, std::uint64_t total) {
    elsewhere |= std::this_thread::get_id() != caller;
    EXPECT_EQ(total, text.size());
    done.push_back(d);
  };
  ASSERT_TRUE(parse_ledger_csv(text, options).ok());
  EXPECT_FALSE(elsewhere);
  ASSERT_FALSE(done.empty());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), text.size());
}

// The loader's fast path for amounts such as "9242.08" must read exactly what
// parse_amount reads, and leave everything else to it.
void expect_amount_fast_path_agrees(const std::string& text) {
  cents fast = -1;
  if (!detail::parse_two_place_amount(text, fast)) return;
  const parsed_amount slow = parse_amount(text);
  EXPECT_EQ(slow.error, amount_error::none) << text;
  EXPECT_EQ(slow.value, fast) << text;
}

TEST(parse_ledger_csv_amount_fast_path, agrees_with_parse_amount_on_every_short_text) {
  const std::string alphabet = "059.-a/:, \r";
  for (std::size_t length = 0; length <= 6; ++length) {
    std::vector<std::size_t> at(length, 0);
    for (;;) {
      std::string text;
      for (const std::size_t i : at) text += alphabet[i];
      expect_amount_fast_path_agrees(text);
      std::size_t k = 0;
      while (k < length && ++at[k] == alphabet.size()) at[k++] = 0;
      if (k == length) break;
    }
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(parse_ledger_csv_amount_fast_path, takes_the_common_form_and_nothing_else) {
  cents value = 0;
  EXPECT_TRUE(detail::parse_two_place_amount("9242.08", value));
  EXPECT_EQ(value, 924208);
  EXPECT_TRUE(detail::parse_two_place_amount("0.00", value));
  EXPECT_EQ(value, 0);
  EXPECT_TRUE(detail::parse_two_place_amount("9999999999999.99", value));
  EXPECT_EQ(value, 999999999999999);
  for (const char* other : {"", "1", "1.5", ".05", "10000000000000.00", "99999999999999.99",
                            "-1.00", "1.000", "1.0x", "x.00", "1x.00", "1..00", "1.-0", "1.0-"})
    EXPECT_FALSE(detail::parse_two_place_amount(other, value)) << other;
  for (const char* edge : {"10000000000000.00", "10000000000000.01", "99999999999999.99",
                           "00000000000000000.00", "1.00\r"})
    expect_amount_fast_path_agrees(edge);
}

TEST(parse_ledger_csv_in_chunks, amounts_on_the_fast_path_and_off_it_load_alike) {
  const std::string text =
      "household,date,type,amount\n"
      "A,2020-01-01,charge,12.34\n"
      "B,2020-01-01,charge,12.3\n"
      "C,2020-01-01,charge,12\r\n"
      "D,2020-01-01,charge,0012.34\r\n"
      "E,2020-01-01,charge,9999999999999.99\n"
      "F,2020-01-01,charge,10000000000000.00\n"
      "G,2020-01-01,charge,1.2x\n"
      "H,2020-01-01,charge,12.345\n"
      "I,2020-01-01,charge,-12.34\n"
      "J,2020-01-01,charge,10000000000000.01\n"
      "K,2020-01-01,payment,7.05";
  ledger_csv_options options;
  options.reject_bad_rows = true;
  const ledger_load got = parse_ledger_csv(text, options);
  ASSERT_EQ(got.rejects.size(), 4u);
  EXPECT_EQ(got.rejects[0].line, 8u);
  EXPECT_EQ(got.rejects[0].column, 21u);
  EXPECT_EQ(got.rejects[1].line, 9u);
  EXPECT_EQ(got.rejects[2].line, 10u);
  EXPECT_EQ(got.rejects[3].line, 11u);
  const ledger& l = got.events;
  ASSERT_EQ(l.household_count(), 7u);
  const cents expected[] = {1234, 1230, 1200, 1234, 999999999999999, max_amount, 705};
  for (std::size_t h = 0; h < 7; ++h) {
    ASSERT_EQ(l.events(h).size(), 1u) << h;
    EXPECT_EQ(l.events(h).amounts[0], expected[h]) << h;
  }
}

}  // namespace
}  // namespace earlywarn

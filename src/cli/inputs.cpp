#include "inputs.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "terminal.hpp"

namespace earlywarn::cli {

param_overrides params_option(const std::vector<std::string>& params) {
  param_overrides overrides;
  for (const std::string& p : params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error("--param takes NAME=VALUE, like --param grace_days=20");
    overrides.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  return overrides;
}

std::string read_stdin(const std::string& what) {
  // Standard input can be read once: a second '-' would silently get nothing.
  static std::string first_reader;
  if (!first_reader.empty())
    throw usage_error(what + " and " + first_reader +
                      " both read standard input ('-'): give one of them a file");
  first_reader = what;
  std::string text;
  char block[1 << 16];
  std::size_t n;
  while ((n = std::fread(block, 1, sizeof block, stdin)) > 0) text.append(block, n);
  if (std::ferror(stdin)) {
    std::fprintf(stderr, "earlywarn: reading standard input (%s -) failed\n", what.c_str());
    throw reported_failure{1};
  }
  return text;
}

std::string shown_path(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string located(error e, const std::string& file) {
  if (e.file.empty()) e.file = file;
  return e.render();
}

ruleset load_rules_or_report(const std::string& path, const std::vector<std::string>& params,
                             const std::string& what) {
  rules_load load = path == "-"
                        ? compile_rules(read_stdin(what), shown_path(path), params_option(params))
                        : load_rules(path, params_option(params));
  std::fputs(load.report().c_str(), stderr);
  if (!load.ok()) throw reported_failure{1};
  return std::move(*load.rules);
}

namespace {

/// The most rejected rows --max-rejects allows among `rows` data rows.
struct rejects_limit {
  std::uint64_t count = 0;  // with percent: hundredths of a percent
  bool percent = false;
  std::string text;  // as given, for messages

  bool exceeded(std::uint64_t rejected, std::uint64_t rows) const {
    if (!percent) return rejected > count;
    // rejected / rows > count / 10000, in integers.
    return static_cast<detail::int128>(rejected) * 10000 >
           static_cast<detail::int128>(count) * rows;
  }
};

rejects_limit parse_max_rejects(const std::string& text) {
  rejects_limit limit;
  limit.text = text;
  std::string number = text;
  if (!number.empty() && number.back() == '%') {
    limit.percent = true;
    number.pop_back();
  }
  // A count, or a percentage with at most two decimals (0.5%).
  std::uint64_t whole = 0, fraction = 0;
  std::size_t i = 0, digits = 0, places = 0;
  bool good = !number.empty();
  for (; i < number.size() && number[i] >= '0' && number[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + static_cast<std::uint64_t>(number[i] - '0');
    if (whole > 1'000'000'000'000) good = false;
  }
  if (limit.percent && i < number.size() && number[i] == '.') {
    for (++i; i < number.size() && number[i] >= '0' && number[i] <= '9'; ++i, ++places)
      if (places < 2) fraction = fraction * 10 + static_cast<std::uint64_t>(number[i] - '0');
    if (places == 0 || places > 2) good = false;
    if (places == 1) fraction *= 10;
  }
  if (!good || digits == 0 || i != number.size() ||
      (limit.percent && whole * 100 + fraction > 10000))
    throw usage_error(
        "--max-rejects takes a number of rows (like 10) or a percentage of the "
        "data rows from 0% to 100% (like 1% or 0.5%), got '" +
        text + "'");
  limit.count = limit.percent ? whole * 100 + fraction : whole;
  return limit;
}

void write_rejects(const std::string& path, const ledger_load& load) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::fprintf(stderr, "earlywarn: cannot write the rejects file %s\n", path.c_str());
    throw reported_failure{1};
  }
  std::string text = "line,column,reason,row\n";
  for (const error& e : load.rejects) {
    text += std::to_string(e.line) + ',' + std::to_string(e.column) + ',';
    append_csv_field(text, e.message);
    text += ',';
    append_csv_field(text, e.text);
    text += '\n';
  }
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "earlywarn: writing the rejects file %s failed\n", path.c_str());
    throw reported_failure{1};
  }
}

// Reports the ledger's unknown event types, but those the command line names
// (`backtest --outcomes eviction`: a type named is known to be meant); true
// when they must stop the run.
bool report_unknown_types(const std::string& path, const ledger_load& load, const ruleset* rules,
                          unknown_type_policy policy, const std::vector<std::string>& named) {
  if (policy == unknown_type_policy::ignore) return false;
  std::vector<unknown_event_type> unknown = unknown_event_types(load.events, rules);
  std::erase_if(unknown, [&](const unknown_event_type& u) {
    return std::find(named.begin(), named.end(), u.name) != named.end();
  });
  if (unknown.empty()) return false;
  const char* level = policy == unknown_type_policy::error ? "error" : "warning";
  // A ledger of thousands of stray types needs the first few to be fixed, not a page each.
  constexpr std::size_t shown = 20;
  for (std::size_t i = 0; i < unknown.size() && i < shown; ++i) {
    const unknown_event_type& u = unknown[i];
    const std::uint64_t line =
        u.type < load.type_first_line.size() ? load.type_first_line[u.type] : 0;
    std::string where = path;
    if (line > 0) where += ':' + std::to_string(line);
    std::fprintf(stderr, "%s: %s: %s\n", where.c_str(), level, describe(u).c_str());
  }
  if (unknown.size() > shown)
    std::fprintf(stderr, "%s: %s: %zu more unknown event types not shown\n", path.c_str(), level,
                 unknown.size() - shown);
  if (policy == unknown_type_policy::error) {
    std::fprintf(stderr,
                 "earlywarn: %s: event types unknown to the built-in types and the rules "
                 "(--unknown-types error); correct them, declare them in the rules, or give "
                 "--unknown-types warn\n",
                 path.c_str());
    return true;
  }
  return false;
}

}  // namespace

ledger load_ledger_or_report(const arguments& args, const ruleset* rules, unsigned threads,
                             const std::vector<std::string>& named_types) {
  const std::string given = args.require("ledger");
  const std::string path = shown_path(given);
  const std::optional<std::string> rejects = args.get("rejects");
  const std::optional<std::string> max_rejects = args.get("max-rejects");
  if (max_rejects && !rejects)
    throw usage_error(
        "--max-rejects needs --rejects FILE (without it the first bad row stops the run)");
  const rejects_limit limit = parse_max_rejects(max_rejects.value_or("1%"));
  const std::string policy_text = args.get("unknown-types").value_or("warn");
  const std::optional<unknown_type_policy> policy = parse_unknown_type_policy(policy_text);
  if (!policy) throw usage_error("--unknown-types is warn, error or ignore");

  ledger_csv_options options;
  options.reject_bad_rows = rejects.has_value();
  options.threads = threads;
  ledger_load load;
  {
    // Cleared before anything below prints.
    progress_line progress("loading " + path);
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
      progress.update(done, total);
    };
    load = given == "-" ? parse_ledger_csv(read_stdin("--ledger"), options)
                        : load_ledger_csv(path, options);
  }
  if (!load.ok()) {
    std::fprintf(stderr, "%s\n", located(*load.error, path).c_str());
    throw reported_failure{1};
  }
  if (rejects) {
    write_rejects(*rejects, load);
    const std::uint64_t rejected = load.rejects.size();
    const std::uint64_t rows = rejected + load.rows_accepted;
    std::fprintf(stderr,
                 "earlywarn: %s: %llu bad row%s rejected (written to %s), %llu rows loaded\n",
                 path.c_str(), static_cast<unsigned long long>(rejected), rejected == 1 ? "" : "s",
                 rejects->c_str(), static_cast<unsigned long long>(load.rows_accepted));
    if (limit.exceeded(rejected, rows)) {
      std::fprintf(stderr,
                   "earlywarn: %s: %llu of %llu data rows rejected, more than --max-rejects %s "
                   "allows%s; see %s\n",
                   path.c_str(), static_cast<unsigned long long>(rejected),
                   static_cast<unsigned long long>(rows), limit.text.c_str(),
                   max_rejects ? "" : " (the default)", rejects->c_str());
      throw reported_failure{1};
    }
  }
  if (report_unknown_types(path, load, rules, *policy, named_types)) throw reported_failure{1};
  if (const auto attributes = args.get("attributes"))
    attach_attributes_or_report(*attributes, load.events, rules);
  return std::move(load.events);
}

attributes_load load_attributes_or_report(const std::string& given, const ruleset* rules) {
  const std::string path = shown_path(given);
  attributes_load load =
      given == "-" ? parse_attributes_csv(read_stdin("--attributes")) : load_attributes_csv(path);
  if (!load.ok()) {
    std::fprintf(stderr, "%s\n", located(*load.error, path).c_str());
    throw reported_failure{1};
  }
  const household_attributes& table = load.attributes;
  if (rules != nullptr) {
    constexpr std::size_t shown = 20;
    const std::vector<error> problems = check_attributes(*rules, load, shown + 1);
    for (std::size_t i = 0; i < problems.size() && i < shown; ++i)
      std::fprintf(stderr, "%s\n", located(problems[i], path).c_str());
    if (!problems.empty()) {
      std::fprintf(stderr,
                   "earlywarn: %s: %s attribute values the rules cannot read; correct them, "
                   "leave them empty (no value), or change the declaration's kind\n",
                   path.c_str(), problems.size() > shown ? "more than 20" : "these");
      throw reported_failure{1};
    }
    for (const attribute_declaration& a : rules->attributes)
      if (!table.find_column(a.name))
        std::fprintf(stderr,
                     "%s: warning: no column '%s', which the rules declare (line %u): every "
                     "household has no value for it\n",
                     path.c_str(), a.name.c_str(), a.where.line);
  }
  return load;
}

void attach_attributes_or_report(const std::string& path, ledger& events, const ruleset* rules) {
  attributes_load load = load_attributes_or_report(path, rules);
  const household_attributes& table = load.attributes;
  std::uint64_t absent = 0, first_absent = 0;
  for (std::uint32_t row = 0; row < table.household_count(); ++row)
    if (!events.find_household(table.household_id(row)) && absent++ == 0)
      first_absent = row < load.lines.size() ? load.lines[row] : 0;
  if (absent > 0)
    std::fprintf(stderr,
                 "%s:%llu: warning: %llu household%s not in the ledger (the first on this line); "
                 "%s attributes are not read\n",
                 shown_path(path).c_str(), static_cast<unsigned long long>(first_absent),
                 static_cast<unsigned long long>(absent), absent == 1 ? " is" : "s are",
                 absent == 1 ? "its" : "their");
  events.set_attributes(std::move(load.attributes));
}

void set_attributes_or_report(const std::string& path, stream_engine& engine) {
  const ruleset& rules = engine.rules();
  const attributes_load load = load_attributes_or_report(path, &rules);
  const household_attributes& table = load.attributes;
  for (const attribute_declaration& a : rules.attributes) {
    const auto column = table.find_column(a.name);
    if (!column) continue;
    for (std::uint32_t row = 0; row < table.household_count(); ++row)
      engine.set_attribute(table.household_id(row), a.name, table.text(row, *column));
  }
}

worklist_columns columns_option(const arguments& args, const ledger& events) {
  worklist_columns out;
  const auto text = args.get("columns");
  if (!text) return out;
  if (!args.get("attributes"))
    throw usage_error("--columns shows columns of the --attributes file: give --attributes FILE");
  out.attributes = events.attributes();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text->find(',', start);
    std::string name = text->substr(start, comma == std::string::npos ? comma : comma - start);
    for (const char* taken : {"household", "rule", "severity", "score", "message", "rules"})
      if (name == taken)
        throw usage_error("--columns '" + name + "': the worklist has a column of that name");
    if (name.empty()) throw usage_error("--columns takes names separated by commas: district,team");
    if (!out.attributes || !out.attributes->find_column(name)) {
      std::string known;
      if (out.attributes)
        for (const std::string& n : out.attributes->names())
          known += (known.empty() ? "" : ", ") + n;
      throw usage_error("--columns '" + name + "': the attributes file has no such column" +
                        (known.empty() ? std::string() : " (it has " + known + ")"));
    }
    out.names.push_back(std::move(name));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

day date_option(const std::string& name, const std::string& text) {
  if (const auto d = parse_date(text)) return *d;
  throw usage_error("--" + name + " '" + text + "': " + describe_bad_date(text));
}

std::optional<day> latest_recorded_or_warn(const ledger& events, const ruleset* rules) {
  const std::optional<day> latest =
      rules != nullptr ? latest_recorded_date(events, *rules) : events.last_date();
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const day today = static_cast<day>(now.time_since_epoch().count());
  if (latest && *latest > today)
    std::fprintf(stderr,
                 "earlywarn: warning: the ledger's latest event is dated %s, after today (%s), and "
                 "evaluation defaults to that date. Declare the types of planned dates "
                 "'event TYPE scheduled' (docs/language.md, Scheduled events), or give the "
                 "date with --as-of (or --to).\n",
                 format_date(*latest).c_str(), format_date(today).c_str());
  return latest;
}

day as_of_or_latest(const arguments& args, const ledger& events, const ruleset* rules) {
  if (const auto text = args.get("as-of")) return date_option("as-of", *text);
  if (const auto last = latest_recorded_or_warn(events, rules)) return *last;
  // The input lacks the date the default comes from: bad input, not usage.
  std::fprintf(stderr, "%s: %s; give --as-of DATE\n", shown_path(args.require("ledger")).c_str(),
               events.event_count() == 0 ? "the ledger holds no event"
                                         : "the ledger holds only scheduled events");
  throw reported_failure{1};
}

unsigned threads_option(const arguments& args) {
  const auto text = args.get("threads");
  if (!text) return 0;
  try {
    std::size_t used = 0;
    const unsigned long n = std::stoul(*text, &used);
    if (used == text->size() && n <= 1024) return static_cast<unsigned>(n);
  } catch (const std::exception&) {
  }
  throw usage_error("--threads takes a whole number (0 = all cores)");
}

evaluation_options evaluation_options_from(const arguments& args, progress_line& progress) {
  evaluation_options options;
  options.threads = threads_option(args);
  options.progress = [&progress](std::size_t done, std::size_t total) {
    progress.update(done, total);
  };
  return options;
}

void write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::perror("earlywarn: writing the output failed");
    throw reported_failure{1};
  }
}

}  // namespace earlywarn::cli

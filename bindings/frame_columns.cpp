#include "frame_columns.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <variant>

#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/model/plan_frequency.hpp"

namespace earlywarn::python {
namespace {

enum check_kind { household_check, date_check, type_check, amount_check, code_check };

constexpr std::int64_t nanoseconds_per_day = 86'400'000'000'000;
constexpr std::int64_t not_a_time = INT64_MIN;  // numpy's NaT

// At most 60 printable characters of a bad value, as the CSV loader quotes it.
std::string excerpt(const std::string& s) {
  const std::string cut = s.substr(0, 60);
  for (const char c : cut)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
      return "(binary or non-ASCII data)";
  return cut;
}

std::string amount_message(amount_error e, const std::string& text) {
  std::string message(describe(e));
  if (!text.empty()) message += " '" + excerpt(text) + "'";
  return message;
}

// A number as the message quotes it: `-5`, `12.345`.
std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

bool needs_amount(const std::string& type) {
  return type == "charge" || type == "payment" || type == "credit" || type == "plan";
}

}  // namespace

column_input column_from(const py::tuple& t) {
  if (t.size() != 3) throw std::invalid_argument("a column is (data, names, kind)");
  return {t[0].cast<py::array>(),
          t[1].is_none() ? std::vector<std::string>{} : t[1].cast<std::vector<std::string>>(),
          t[2].cast<std::string>()};
}

std::int64_t frame_reader::numbers::integer(std::size_t i) const noexcept {
  const char* p = data + static_cast<py::ssize_t>(i) * stride;
  if (kind == 'u') {
    switch (item) {
      case 1:
        return *reinterpret_cast<const std::uint8_t*>(p);
      case 2:
        return *reinterpret_cast<const std::uint16_t*>(p);
      case 4:
        return *reinterpret_cast<const std::uint32_t*>(p);
      default: {
        const std::uint64_t v = *reinterpret_cast<const std::uint64_t*>(p);
        return v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
      }
    }
  }
  switch (item) {
    case 1:
      return *reinterpret_cast<const std::int8_t*>(p);
    case 2:
      return *reinterpret_cast<const std::int16_t*>(p);
    case 4:
      return *reinterpret_cast<const std::int32_t*>(p);
    default:
      return *reinterpret_cast<const std::int64_t*>(p);
  }
}

double frame_reader::numbers::real(std::size_t i) const noexcept {
  const char* p = data + static_cast<py::ssize_t>(i) * stride;
  return item == 4 ? static_cast<double>(*reinterpret_cast<const float*>(p))
                   : *reinterpret_cast<const double*>(p);
}

frame_reader::numbers frame_reader::view(const column_input& c, const char* field) {
  if (c.data.ndim() != 1)
    throw std::invalid_argument(std::string("column '") + field + "' must be one-dimensional");
  numbers n;
  n.data = static_cast<const char*>(c.data.data());
  n.stride = c.data.strides(0);
  n.kind = c.data.dtype().kind();
  n.item = c.data.itemsize();
  const bool integral = (n.kind == 'i' || n.kind == 'u') &&
                        (n.item == 1 || n.item == 2 || n.item == 4 || n.item == 8);
  const bool real = n.kind == 'f' && (n.item == 4 || n.item == 8);
  if (c.kind == "float" ? !real : !integral)
    throw std::invalid_argument(std::string("column '") + field + "' has an unsupported dtype");
  return n;
}

frame_reader::frame_reader(column_input household, column_input date, column_input type,
                           column_input amount, std::optional<column_input> code)
    : keep_{std::move(household), std::move(date), std::move(type), std::move(amount)},
      keep_code_(std::move(code)) {
  const char* fields[4] = {"household", "date", "type", "amount"};
  for (int i = 0; i < 4; ++i) {
    const std::string& kind = keep_[i].kind;
    const bool known = kind == "codes" || (i == 1 && (kind == "ns" || kind == "days")) ||
                       (i == 3 && (kind == "float" || kind == "integer"));
    if (!known) throw std::invalid_argument(std::string("column '") + fields[i] + "': bad kind");
  }
  household_codes_ = view(keep_[0], fields[0]);
  dates_ = view(keep_[1], fields[1]);
  type_codes_ = view(keep_[2], fields[2]);
  amounts_ = view(keep_[3], fields[3]);
  size_ = static_cast<std::size_t>(keep_[0].data.shape(0));
  for (const column_input& c : keep_)
    if (static_cast<std::size_t>(c.data.shape(0)) != size_)
      throw std::invalid_argument("ledger columns must have the same length");
  date_kind_ = keep_[1].kind;
  amount_kind_ = keep_[3].kind;
  coded* columns[4] = {&household_, &date_, &type_, &amount_};
  for (int i = 0; i < 4; ++i) {
    coded& c = *columns[i];
    c.names = std::move(keep_[i].names);
    c.state.assign(c.names.size(), 0);
    c.reason.resize(c.names.size());
    c.parsed.assign(c.names.size(), 0);
  }
  requires_amount_.assign(type_.names.size(), -1);
  if (keep_code_) {
    if (keep_code_->kind != "codes") throw std::invalid_argument("column 'code': bad kind");
    code_codes_ = view(*keep_code_, "code");
    if (static_cast<std::size_t>(keep_code_->data.shape(0)) != size_)
      throw std::invalid_argument("ledger columns must have the same length");
    code_.names = std::move(keep_code_->names);
    code_.state.assign(code_.names.size(), 0);
    code_.reason.resize(code_.names.size());
    code_.parsed.assign(code_.names.size(), 0);
  }
}

// Checks a distinct value the first time a row uses it; the verdict is kept.
std::optional<std::string> frame_reader::check(coded& c, std::uint32_t code, int what) {
  if (c.state[code] == 0) {
    const std::string& text = c.names[code];
    std::string why;
    switch (what) {
      case household_check:
        if (text.empty())
          why = "household id is empty";
        else if (text.size() > max_household_id_length)
          why = "household id is longer than 64 bytes";
        else if (!detail::is_clean_utf8(text))
          why = "household id is not valid UTF-8 text (bad encoding or control characters)";
        break;
      case date_check:
        if (const std::optional<day> d = parse_date(text))
          c.parsed[code] = *d;
        else
          why = "bad date '" + excerpt(text) + "': " + describe_bad_date(text);
        break;
      case type_check:
        if (!is_valid_type_name(text))
          why =
              "bad event type '" + excerpt(text) + "': expected a name of the form [a-z][a-z0-9_]*";
        break;
      case amount_check: {
        const parsed_amount parsed = parse_amount(text);
        if (parsed.error == amount_error::none)
          c.parsed[code] = parsed.value;
        else
          why = amount_message(parsed.error, text);
        break;
      }
      case code_check:
        if (const std::optional<std::string_view> problem = code_problem(text))
          why = "event code '" + excerpt(text) + "' " + std::string(*problem);
        break;
    }
    c.state[code] = why.empty() ? 1 : 2;
    c.reason[code] = std::move(why);
  }
  if (c.state[code] == 2) return c.reason[code];
  return std::nullopt;
}

std::optional<frame_error> frame_reader::read(std::size_t row, frame_row& out) {
  auto fail = [&](const char* field, std::string message) {
    return std::optional<frame_error>(frame_error{row, field, std::move(message)});
  };
  auto code_of = [&](const numbers& n, const coded& c, const char* field,
                     const char* missing) -> std::variant<std::uint32_t, frame_error> {
    const std::int64_t v = n.integer(row);
    if (v < 0) return frame_error{row, field, missing};
    if (static_cast<std::uint64_t>(v) >= c.names.size())
      return frame_error{row, field, "code out of range of the column's values"};
    return static_cast<std::uint32_t>(v);
  };

  auto household = code_of(household_codes_, household_, "household", "household id is missing");
  if (auto* e = std::get_if<frame_error>(&household)) return *e;
  out.household = std::get<std::uint32_t>(household);
  if (auto why = check(household_, out.household, household_check))
    return fail("household", std::move(*why));

  if (date_kind_ == "ns") {
    const std::int64_t ns = dates_.integer(row);
    if (ns == not_a_time) return fail("date", "date is missing");
    // Floor, not truncation: times before 1970 still belong to their own day.
    std::int64_t days = ns / nanoseconds_per_day;
    if (ns % nanoseconds_per_day < 0) --days;
    out.date = static_cast<day>(days);
  } else if (date_kind_ == "days") {
    const std::int64_t days = dates_.integer(row);
    constexpr day first = *parse_date(first_supported_date);
    constexpr day last = *parse_date(last_supported_date);
    if (days < first || days > last)
      return fail("date", "date is outside the supported dates " +
                              std::string(first_supported_date) + " to " +
                              std::string(last_supported_date));
    out.date = static_cast<day>(days);
  } else {
    auto date = code_of(dates_, date_, "date", "date is missing");
    if (auto* e = std::get_if<frame_error>(&date)) return *e;
    const std::uint32_t code = std::get<std::uint32_t>(date);
    if (auto why = check(date_, code, date_check)) return fail("date", std::move(*why));
    out.date = static_cast<day>(date_.parsed[code]);
  }

  auto type = code_of(type_codes_, type_, "type", "event type is missing");
  if (auto* e = std::get_if<frame_error>(&type)) return *e;
  out.type = std::get<std::uint32_t>(type);
  if (auto why = check(type_, out.type, type_check)) return fail("type", std::move(*why));
  std::int8_t& requires_amount = requires_amount_[out.type];
  if (requires_amount < 0) requires_amount = needs_amount(type_.names[out.type]) ? 1 : 0;

  // A missing amount counts as 0 where the type allows it, as an empty CSV field does.
  bool missing = false;
  if (amount_kind_ == "float") {
    const double units = amounts_.real(row);
    if (std::isnan(units)) {
      missing = true;
    } else if (units < 0) {
      return fail("amount", amount_message(amount_error::negative, number_text(units)));
    } else if (!std::isfinite(units) || units * 100 > static_cast<double>(max_amount)) {
      return fail("amount", amount_message(amount_error::too_large, number_text(units)));
    } else {
      const double hundredths = units * 100;
      const double nearest = std::nearbyint(hundredths);
      // Decimal amounts with two places come within rounding error of a whole
      // number of hundredths; anything further had more places.
      if (std::fabs(hundredths - nearest) > 1e-6 + std::fabs(nearest) * 1e-15)
        return fail("amount", amount_message(amount_error::too_precise, number_text(units)));
      out.amount = static_cast<cents>(nearest);
    }
  } else if (amount_kind_ == "integer") {
    const std::int64_t units = amounts_.integer(row);
    if (units < 0)
      return fail("amount", amount_message(amount_error::negative, std::to_string(units)));
    if (units > max_amount / 100)
      return fail("amount", amount_message(amount_error::too_large, std::to_string(units)));
    out.amount = units * 100;
  } else {
    const std::int64_t code = amounts_.integer(row);
    if (code < 0 || (static_cast<std::uint64_t>(code) < amount_.names.size() &&
                     amount_.names[static_cast<std::size_t>(code)].empty())) {
      missing = true;
    } else {
      auto amount = code_of(amounts_, amount_, "amount", "");
      if (auto* e = std::get_if<frame_error>(&amount)) return *e;
      const std::uint32_t c = std::get<std::uint32_t>(amount);
      if (auto why = check(amount_, c, amount_check)) return fail("amount", std::move(*why));
      out.amount = amount_.parsed[c];
    }
  }
  if (missing) {
    if (requires_amount) return fail("amount", std::string(describe(amount_error::empty)));
    out.amount = 0;
  }

  // A missing or empty code is no code, as an empty CSV field is.
  out.code = frame_row::no_code;
  if (keep_code_) {
    const std::int64_t code = code_codes_.integer(row);
    if (code >= 0) {
      if (static_cast<std::uint64_t>(code) >= code_.names.size())
        return fail("code", "code out of range of the column's values");
      const auto c = static_cast<std::uint32_t>(code);
      if (!code_.names[c].empty()) {
        if (auto why = check(code_, c, code_check)) return fail("code", std::move(*why));
        if (type_.names[out.type] == builtin_type_names[builtin_type::plan])
          if (const auto problem = code_problem_for(builtin_type::plan, code_.names[c]))
            return fail("code",
                        "event code '" + excerpt(code_.names[c]) + "' " + std::string(*problem));
        out.code = c;
      }
    }
  }
  return std::nullopt;
}

}  // namespace earlywarn::python

#pragma once
// Checks on rules text before it is parsed: its size, and that it is UTF-8
// text. A file that fails them is not parsed, since every later message would
// be about bytes the author cannot see.

#include <string>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"

namespace earlywarn::rules_front {

/// Removes a UTF-8 byte-order mark at the start of `source`: it only says the
/// text is UTF-8.
void drop_byte_order_mark(std::string& source);

/// Appends an error for text that is too large, empty, or not UTF-8 text (the
/// first offending byte of each line); true when the text may be parsed.
bool check_rules_text(const std::string& source, std::vector<diagnostic>& out);

}  // namespace earlywarn::rules_front

// The one translation unit that compiles the Spirit X3 grammar.

#include "grammar_def.hpp"

namespace earlywarn::grammar {

void skip_blank(iterator& first, iterator last) { x3::parse(first, last, *skipper); }

item_status parse_item(iterator& first, iterator last, syntax::item& out, position_tagger& tagger,
                       parse_failure& failure) {
  skip_blank(first, last);
  if (first == last) return item_status::end_of_input;
  nesting_depth depth;
  const auto parser = x3::with<nesting_tag>(
      std::ref(depth))[x3::with<x3::error_handler_tag>(std::ref(tagger))[item]];
  iterator it = first;
  try {
    if (!x3::phrase_parse(it, last, parser, skipper, out)) return item_status::no_item;
  } catch (const x3::expectation_failure<iterator>& e) {
    failure.where = e.where();
    failure.expected = e.which();
    return item_status::expectation_failed;
  } catch (const nesting_too_deep& e) {
    failure.where = e.where;
    return item_status::too_deep;
  }
  first = it;
  return item_status::parsed;
}

}  // namespace earlywarn::grammar

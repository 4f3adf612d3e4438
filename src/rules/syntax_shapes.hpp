#pragma once
// What an operand or argument of the syntax tree consists of, when it is one
// bare thing (perhaps in parentheses): a name, a call, a quoted text or a
// duration. The checker asks where a function takes event types, windows or
// codes rather than values.

#include "syntax_tree.hpp"

namespace earlywarn::rules_front {

/// The bare name an argument consists of, if it is one.
inline const syntax::name* as_name(const syntax::expression& e) {
  const syntax::expression* at = &e;
  for (;;) {
    if (!at->rest.empty()) return nullptr;
    if (const auto* n = boost::get<syntax::name>(&at->first)) return n;
    const auto* inner = boost::get<syntax::x3::forward_ast<syntax::expression>>(&at->first);
    if (inner == nullptr) return nullptr;
    at = &inner->get();
  }
}

/// The bare name an operand consists of, if it is one.
inline const syntax::name* operand_name(const syntax::operand& o) {
  if (const auto* n = boost::get<syntax::name>(&o)) return n;
  const auto* inner = boost::get<syntax::x3::forward_ast<syntax::expression>>(&o);
  return inner == nullptr ? nullptr : as_name(inner->get());
}

/// The call an argument consists of, if it is one.
inline const syntax::call* as_call(const syntax::expression& e) {
  if (!e.rest.empty()) return nullptr;
  if (const auto* c = boost::get<syntax::x3::forward_ast<syntax::call>>(&e.first)) return &c->get();
  const auto* inner = boost::get<syntax::x3::forward_ast<syntax::expression>>(&e.first);
  return inner == nullptr ? nullptr : as_call(inner->get());
}

const syntax::text_literal* as_text(const syntax::expression& e);

/// The quoted code an operand consists of, if it is one.
inline const syntax::text_literal* operand_text(const syntax::operand& o) {
  if (const auto* t = boost::get<syntax::text_literal>(&o)) return t;
  const auto* inner = boost::get<syntax::x3::forward_ast<syntax::expression>>(&o);
  return inner == nullptr ? nullptr : as_text(inner->get());
}

/// The quoted code an argument consists of, if it is one.
inline const syntax::text_literal* as_text(const syntax::expression& e) {
  return e.rest.empty() ? operand_text(e.first) : nullptr;
}

/// The duration literal an argument consists of, if it is one.
inline const syntax::duration_literal* as_duration(const syntax::expression& e) {
  const syntax::expression* at = &e;
  for (;;) {
    if (!at->rest.empty()) return nullptr;
    if (const auto* d = boost::get<syntax::duration_literal>(&at->first)) return d;
    const auto* inner = boost::get<syntax::x3::forward_ast<syntax::expression>>(&at->first);
    if (inner == nullptr) return nullptr;
    at = &inner->get();
  }
}

}  // namespace earlywarn::rules_front

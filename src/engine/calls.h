// Internal to src/engine's parser: a call `f(args)` resolved against the op catalogue — which
// op, which arguments are tensors, which are keyword values (checked by the op's own keyword
// descriptions), and reshape's sizes. The parser keeps no list of functions: names, arities,
// keywords, defaults and usage texts all come from the ops' OpDef entries.
// Depends on syntax.h and op.h.
#pragma once

#include "syntax.h"

#include <string>
#include <vector>

namespace gs::parsing {

// The op a call names (by its name or an alias), among the ops the language can call; null if none.
const OpDef* find_callable(std::string_view name);
// Every name a call may use, in expression_functions() order (for "did you mean").
std::vector<std::string> callable_names();

// A call with its arguments sorted into graph inputs and attributes.
struct ResolvedCall {
  const OpDef* def = nullptr;
  std::vector<int> tensors;        // expr indices
  OpAttrs attrs;
  std::vector<double> dims;        // reshape's target extents, as written
  std::vector<int> dim_offsets;
};

class CallResolver {
 public:
  CallResolver(std::string_view text, const Program& prog) : text_(text), prog_(prog) {}
  // The call at prog.exprs[call]; ParseError naming the column for an unknown function, a wrong
  // number of arguments, an unknown or repeated keyword, or a keyword value out of its range.
  ResolvedCall resolve(int call) const;

 private:
  // "ln takes 1 argument, got 2 at column 1"; functions with options also show their usage.
  [[noreturn]] void arity_error(const ResolvedCall& r, const std::string& name, const Expr& e, int got) const;

  std::string_view text_;
  const Program& prog_;
};

}  // namespace gs::parsing

// Calls resolved against the op catalogue (calls.h), and the list of the language's functions
// that parse.h offers for completion and help. Depends on calls.h.
#include "calls.h"

#include <array>

namespace gs {
namespace parsing {

const OpDef* find_callable(std::string_view name) {
  Op op;
  if (!op_from_name(name, &op) || !op_def(op).callable()) return nullptr;
  return &op_def(op);
}

std::vector<std::string> callable_names() {
  std::vector<std::string> names;
  for (const FunctionInfo& f : expression_functions()) names.push_back(f.name);
  return names;
}

ResolvedCall CallResolver::resolve(int call) const {
  const Expr& e = prog_.exprs[call];
  const std::size_t at = static_cast<std::size_t>(e.op_offset);
  const std::string name(text_.substr(at, static_cast<std::size_t>(e.op_length)));
  ResolvedCall r;
  r.def = find_callable(name);
  if (!r.def) {
    std::string guess = closest_name(name, callable_names());
    fail_at(text_, at, "unknown function '" + name + "'" + (guess.empty() ? "" : " {at} (did you mean '" + guess + "'?)"),
            e.op_length);
  }
  const OpDef& def = *r.def;
  const int keywords = def.keyword_count();
  r.attrs = default_attrs(def.op);
  std::array<bool, kMaxKeywords> given{};
  auto set_keyword = [&](int k, double v, bool boolean, int offset, int length) {
    const OpKeyword& kw = def.keywords[static_cast<std::size_t>(k)];
    if (given[static_cast<std::size_t>(k)])
      fail_at(text_, static_cast<std::size_t>(offset), "argument '" + std::string(kw.name) + "' given twice", length);
    if (boolean && !kw.boolean)
      fail_at(text_, static_cast<std::size_t>(offset),
              std::string(kw.name) + " must be " + kw.range_text + ", got " + (v != 0 ? "true" : "false"), length);
    given[static_cast<std::size_t>(k)] = true;
    if (std::string problem = check_keyword_value(kw, v); !problem.empty())
      fail_at(text_, static_cast<std::size_t>(offset), problem, length);
    set_attr_value(&r.attrs, kw.slot, v);
  };

  // Positional arguments: the tensors first; a number literal once the required tensors are
  // there is a keyword's value (sum(x, 1) is an axis; conv2d(x, W, b) has a bias).
  int next_keyword = 0;
  const int positional = static_cast<int>(e.args.size());
  for (int i = 0; i < positional; ++i) {
    const Expr& arg = prog_.exprs[e.args[i]];
    // true/false are values of a switch (sum(x, 1, true)), never inputs, where a keyword is due.
    const std::optional<bool> boolean =
        arg.kind == ExprKind::Name && next_keyword < keywords && r.tensors.size() >= static_cast<std::size_t>(def.min_arity)
            ? boolean_literal(text_.substr(static_cast<std::size_t>(arg.op_offset), static_cast<std::size_t>(arg.op_length)))
            : std::nullopt;
    const bool literal = arg.kind == ExprKind::Number || boolean.has_value();
    const int have = static_cast<int>(r.tensors.size());
    const bool takes_tensor = have < def.min_arity || (have < def.max_arity && (!literal || keywords == 0));
    if (def.sizes && !r.tensors.empty()) {
      if (!literal) fail_at(text_, static_cast<std::size_t>(arg.begin), name + "'s sizes must be numbers", arg.end - arg.begin);
      r.dims.push_back(arg.number);
      r.dim_offsets.push_back(arg.begin);
    } else if (takes_tensor) {
      r.tensors.push_back(e.args[i]);
    } else if (next_keyword < keywords) {
      if (!literal)
        fail_at(text_, static_cast<std::size_t>(arg.begin),
                name + "'s argument " + std::to_string(i + 1) + " (" +
                    def.keywords[static_cast<std::size_t>(next_keyword)].name + ") must be a number",
                arg.end - arg.begin);
      set_keyword(next_keyword++, boolean ? (*boolean ? 1.0 : 0.0) : arg.number, boolean.has_value(), arg.begin,
                  arg.end - arg.begin);
    } else {
      arity_error(r, name, e, positional);
    }
  }
  for (const Keyword& kw : e.keywords) {
    std::string key(text_.substr(static_cast<std::size_t>(kw.name_offset), static_cast<std::size_t>(kw.name_length)));
    int k = 0;
    auto named = [&](const OpKeyword& w) { return key == w.name || (w.alias && key == w.alias); };
    while (k < keywords && !named(def.keywords[static_cast<std::size_t>(k)])) ++k;
    if (k == keywords) {
      std::vector<std::string> known;
      for (int j = 0; j < keywords; ++j) known.emplace_back(def.keywords[static_cast<std::size_t>(j)].name);
      std::string guess = closest_name(key, known);
      fail_at(text_, static_cast<std::size_t>(kw.name_offset),
              name + " has no argument '" + key + "' {at}" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"),
              kw.name_length);
    }
    set_keyword(k, kw.value, kw.boolean, kw.value_offset, kw.value_length);
  }
  bool required_missing = false;
  for (int k = 0; k < keywords; ++k)
    required_missing = required_missing || (def.keywords[static_cast<std::size_t>(k)].required && !given[static_cast<std::size_t>(k)]);
  if (static_cast<int>(r.tensors.size()) < def.min_arity || required_missing || (def.sizes && r.dims.empty()))
    arity_error(r, name, e, positional);
  // Keywords whose default is another's value (a pool's stride = its kernel) follow it.
  for (int k = 0; k < keywords; ++k) {
    const OpKeyword& kw = def.keywords[static_cast<std::size_t>(k)];
    if (!given[static_cast<std::size_t>(k)] && kw.default_from != AttrSlot::None)
      set_attr_value(&r.attrs, kw.slot, attr_value(r.attrs, kw.default_from));
  }
  return r;
}

// "ln takes 1 argument, got 2 at column 1"; functions with options also show their usage.
void CallResolver::arity_error(const ResolvedCall& r, const std::string& name, const Expr& e, int got) const {
  const OpDef& def = *r.def;
  int required = 0;
  for (int k = 0; k < def.keyword_count(); ++k) required += def.keywords[static_cast<std::size_t>(k)].required ? 1 : 0;
  const int lo = def.min_arity + required, hi = def.max_arity + def.keyword_count();
  std::string takes;
  if (def.sizes)
    takes = "takes a tensor and its new sizes";
  else if (lo == hi)
    takes = "takes " + plural(lo, "argument");
  else
    takes = "takes " + std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
  const bool show_usage = lo != hi || def.keyword_count() > 0 || def.sizes;
  fail_at(text_, static_cast<std::size_t>(e.op_offset),
          name + " " + takes + ", got " + std::to_string(got) + " {at}" +
              (show_usage ? " (usage: " + op_usage(def, name) + ")" : ""),
          e.op_length);
}

}  // namespace parsing

const std::vector<FunctionInfo>& expression_functions() {
  // Catalogue order, each op's own name before its aliases: suggestions prefer the common name.
  static const std::vector<FunctionInfo> infos = [] {
    std::vector<FunctionInfo> v;
    for (const OpDef& d : op_catalogue()) {
      if (!d.callable()) continue;
      for (const char* n : {d.name, d.aliases[0], d.aliases[1]})
        if (n) v.push_back(FunctionInfo{n, op_usage(d, n), d.op});
    }
    return v;
  }();
  return infos;
}

}  // namespace gs

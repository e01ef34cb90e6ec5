// Trace export. Every row is the engine's text; this file only quotes and arranges it. No ImGui.
#include "app/graph/trace_export.h"

#include <cctype>
#include <vector>

namespace gs::app {

namespace {

struct Row {
  std::string trace, variable, formula, numbers, value;
};

Row row(const char* trace, const TraceCells& c) { return Row{trace, c.lhs, c.formula, c.numbers, c.value}; }

// The engine's cells of every row (trace.h): the exporters quote them and add nothing.
std::vector<Row> collect(const Lesson& l) {
  std::vector<Row> rows;
  for (const ForwardStep& s : l.forward_rows()) rows.push_back(row("forward", trace_cells(s)));
  for (const ReverseStep& s : l.reverse_rows()) rows.push_back(row("reverse", trace_cells(s)));
  if (l.cursor().mode == StepMode::Tangent)
    for (const TangentStep& s : l.tangent_rows()) rows.push_back(row("tangent", trace_cells(s)));
  return rows;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// A name of the traces in LaTeX: a function of the catalogue as LaTeX sets it (\ln, \sin, \exp,
// \tanh, \max; \operatorname{relu} for the others), a variable with its digits as a subscript
// (v3 -> v_{3}, x1 -> x_{1}, W2 -> W_{2}), a longer name upright (lr -> \mathrm{lr}).
std::string latex_name(const std::string& word) {
  static constexpr const char* kLatexFunctions[] = {"ln", "log", "exp", "sin", "cos", "tan", "tanh", "max", "min"};
  Op op;
  if (op_from_name(word, &op) && op_def(op).callable()) {
    for (const char* f : kLatexFunctions)
      if (word == f) return "\\" + word;
    std::string escaped;
    for (char c : word) escaped += c == '_' ? std::string("\\_") : std::string(1, c);
    return "\\operatorname{" + escaped + "}";
  }
  std::size_t end = word.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(word[end - 1]))) --end;
  std::string head = word.substr(0, end), digits = word.substr(end);
  if (head.empty()) return word;
  std::string escaped;
  for (char c : head) escaped += c == '_' ? std::string("\\_") : std::string(1, c);
  const std::string base = head.size() == 1 ? escaped : "\\mathrm{" + escaped + "}";
  return digits.empty() ? base : base + "_{" + digits + "}";
}

// Unicode of the traces to LaTeX math: v̄3 -> \bar{v}_{3}, v̇3 -> \dot{v}_{3}, · -> \cdot, ...
std::string latex_math(const std::string& s) {
  struct Sub {
    const char* from;
    const char* to;
  };
  static constexpr Sub kSubs[] = {{"·", " \\cdot "}, {"−", "-"}, {"×", "\\times "}, {"ᵀ", "^{\\top}"}, {"σ", "\\sigma"},
                                  {"∂", "\\partial "}, {"²", "^{2}"}, {"≥", "\\geq "}, {"→", "\\to "}, {"…", "\\ldots "},
                                  {"%", "\\%"}, {"_", "\\_"}, {"#", "\\#"}, {"&", "\\&"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    // v + combining mark + digits: the seed's \bar{v}_{i} and \dot{v}_{i}.
    if (s[i] == 'v' && i + 2 < s.size() && (s.compare(i + 1, 2, "\u0304") == 0 || s.compare(i + 1, 2, "\u0307") == 0)) {
      const bool bar = s.compare(i + 1, 2, "\u0304") == 0;
      std::size_t j = i + 3;
      std::string digits;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) digits += s[j++];
      out += std::string(bar ? "\\bar{v}" : "\\dot{v}") + (digits.empty() ? "" : "_{" + digits + "}");
      i = j;
      continue;
    }
    // A name that starts here (not inside a number such as 1e-05): see latex_name.
    if (std::isalpha(static_cast<unsigned char>(s[i])) &&
        (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_' || s[i - 1] == '.'))) {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out += latex_name(s.substr(i, j - i));
      i = j;
      continue;
    }
    bool replaced = false;
    for (const Sub& sub : kSubs) {
      const std::size_t n = std::char_traits<char>::length(sub.from);
      if (s.compare(i, n, sub.from) == 0) {
        out += sub.to;
        i += n;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

}  // namespace

const char* trace_format_extension(TraceFormat f) {
  return f == TraceFormat::Csv ? ".csv" : f == TraceFormat::Markdown ? ".md" : ".tex";
}

std::string export_traces(const Lesson& lesson, TraceFormat format) {
  const std::vector<Row> rows = collect(lesson);
  std::string out;
  if (format == TraceFormat::Csv) {
    out = "trace,variable,formula,with_numbers,value\n";
    for (const Row& r : rows)
      out += csv_field(r.trace) + "," + csv_field(r.variable) + "," + csv_field(r.formula) + "," + csv_field(r.numbers) + "," + csv_field(r.value) + "\n";
  } else if (format == TraceFormat::Markdown) {
    std::string trace;
    for (const Row& r : rows) {
      if (r.trace != trace) {
        trace = r.trace;
        out += (out.empty() ? "" : "\n") + std::string("### ") + trace + "\n\n| variable | formula | with numbers | value |\n|---|---|---|---|\n";
      }
      out += "| " + markdown_cell(r.variable) + " | " + markdown_cell(r.formula) + " | " + markdown_cell(r.numbers) + " | " + markdown_cell(r.value) + " |\n";
    }
  } else {
    std::string trace;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      if (r.trace != trace) {
        if (!trace.empty()) out += "\\end{aligned}\n\\]\n\n";
        trace = r.trace;
        out += "% " + trace + " trace\n\\[\n\\begin{aligned}\n";
      }
      out += latex_math(r.variable) + " &= " + latex_math(r.formula);
      if (!r.numbers.empty()) out += " = " + latex_math(r.numbers);
      out += " = " + latex_math(r.value) + " \\\\\n";
    }
    if (!trace.empty()) out += "\\end{aligned}\n\\]\n";
  }
  return out;
}

}  // namespace gs::app

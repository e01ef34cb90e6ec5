// Trace export as CSV, Markdown and LaTeX, for seed 004. No GL.
#include "app/graph/session.h"
#include "app/graph/trace_export.h"

#include "seed004_session.h"

#include <gtest/gtest.h>

using namespace gs::app;

namespace {
int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST(TraceExport, CsvHasAHeaderAndOneLinePerRow) {
  Session s = seed004_session();
  const std::string csv = export_traces(s.lesson(), TraceFormat::Csv);
  EXPECT_EQ(count_lines(csv), 1 + 7 + 7);
  EXPECT_NE(csv.find("forward,v3,ln v1,ln 2,0.69315"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",5.5\n"), std::string::npos);
}

TEST(TraceExport, MarkdownHasOneTablePerTrace) {
  Session s = seed004_session();
  const std::string md = export_traces(s.lesson(), TraceFormat::Markdown);
  EXPECT_NE(md.find("### forward"), std::string::npos);
  EXPECT_NE(md.find("### reverse"), std::string::npos);
  EXPECT_NE(md.find("| v4 | v1·v2 | 2·5 | 10 |"), std::string::npos) << md;
}

TEST(TraceExport, LatexUsesTheSeedsNotation) {
  Session s = seed004_session();
  const std::string tex = export_traces(s.lesson(), TraceFormat::Latex);
  EXPECT_NE(tex.find("\\bar{v}_{1}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("v_{4} &= v_{1} \\cdot v_{2}"), std::string::npos) << tex;
  EXPECT_EQ(tex.find("·"), std::string::npos);
  EXPECT_EQ(tex.find("\u0304"), std::string::npos);
}

// The exporters quote the engine's cells (trace.h) and bracket nothing themselves: a negative
// operand and a compound local derivative read as in the trace table and the CLI.
TEST(TraceExport, CellsAreTheEnginesTraceCells) {
  Session s;
  ASSERT_TRUE(s.set_expression("y = x1 - sin(x2) * (0 - x1)"));
  s.edit([](GraphModel& m) {
    for (const DocNode& n : m.nodes())
      if (n.kind == gs::NodeKind::Input) m.find(n.id)->value = gs::TensorD::scalar(n.name == "x1" ? -2.0 : 5.0);
  });
  const std::string csv = export_traces(s.lesson(), TraceFormat::Csv);
  const Lesson& l = s.lesson();
  std::size_t checked = 0;
  auto expect_row = [&](const char* trace, const gs::TraceCells& c) {
    const std::string line = std::string(trace) + "," + c.lhs + "," + c.formula + "," + c.numbers + "," + c.value;
    if (line.find_first_of("\"") != std::string::npos || c.numbers.find(',') != std::string::npos) return;
    EXPECT_NE(csv.find(line + "\n"), std::string::npos) << line << "\n" << csv;
    ++checked;
  };
  for (const gs::ForwardStep& r : l.forward_rows()) expect_row("forward", gs::trace_cells(r));
  for (const gs::ReverseStep& r : l.reverse_rows()) expect_row("reverse", gs::trace_cells(r));
  EXPECT_GE(checked, l.forward_rows().size());
  // The engine's bracketing, once: a negative number after an operator is bracketed.
  EXPECT_NE(csv.find("− (-"), std::string::npos) << csv;
}

// LaTeX as the notes set it: \ln, \sin, input names with subscripts, \bar{v}; functions that
// LaTeX does not know upright; numbers untouched.
TEST(TraceExport, LatexSetsFunctionsAndNamesAsLatexDoes) {
  Session s = seed004_session();
  const std::string tex = export_traces(s.lesson(), TraceFormat::Latex);
  EXPECT_NE(tex.find("v_{3} &= \\ln v_{1} = \\ln 2 = 0.69315"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\sin v_{2}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\cos v_{2}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("v_{1} &= x_{1}"), std::string::npos) << tex;
  EXPECT_EQ(tex.find(" ln "), std::string::npos) << tex;
  EXPECT_EQ(tex.find(" sin v"), std::string::npos) << tex;
  Session t;
  ASSERT_TRUE(t.set_expression("L = relu(lr * x1) + exp(-x1)"));
  const std::string relu = export_traces(t.lesson(), TraceFormat::Latex);
  EXPECT_NE(relu.find("\\operatorname{relu}"), std::string::npos) << relu;
  EXPECT_NE(relu.find("\\mathrm{lr}"), std::string::npos) << relu;
  EXPECT_NE(relu.find("\\exp"), std::string::npos) << relu;
}

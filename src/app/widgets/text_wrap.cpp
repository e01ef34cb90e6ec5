#include "app/widgets/text_wrap.h"

#include <imgui.h>

#include <algorithm>

namespace gs::app::widgets {

std::vector<std::string> WrapAtSpaces(std::string_view text, float width, const std::function<float(std::string_view)>& measure) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view para = text.substr(start, end - start);
    // Greedy: add words to the line while it fits; a break drops the spaces at it.
    std::string line;
    std::size_t i = 0;
    while (i < para.size()) {
      const std::size_t word_end = std::min(para.find(' ', i), para.size());
      std::size_t next = word_end;
      while (next < para.size() && para[next] == ' ') ++next;
      const std::string_view spaces = para.substr(word_end, next - word_end);
      const std::string_view word = para.substr(i, word_end - i);
      if (line.empty() || measure(std::string(line) + std::string(word)) <= width) {
        line += word;
      } else {
        while (!line.empty() && line.back() == ' ') line.pop_back();
        lines.push_back(std::move(line));
        line = std::string(word);
      }
      line += spaces;
      i = next;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    if (end >= text.size()) break;
    start = end + 1;
  }
  return lines;
}

float ImGuiTextWidth(std::string_view text) { return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x; }

void TextWrappedAtSpaces(const std::string& text) {
  const std::vector<std::string> lines = WrapAtSpaces(text, ImGui::GetContentRegionAvail().x, ImGuiTextWidth);
  std::string joined;
  for (const std::string& l : lines) {
    if (!joined.empty()) joined += '\n';
    joined += l;
  }
  ImGui::TextUnformatted(joined.c_str(), joined.c_str() + joined.size());
}

std::vector<std::string> FirstLines(std::vector<std::string> lines, std::size_t max_lines, float width,
                                    const std::function<float(std::string_view)>& measure) {
  if (lines.size() <= max_lines || max_lines == 0) return lines;
  lines.resize(max_lines);
  std::string& last = lines.back();
  const std::string tail = " \xE2\x80\xA6";  // " …"
  while (measure(last + tail) > width && last.find(' ') != std::string::npos) last.resize(last.rfind(' '));
  last += tail;
  return lines;
}

}  // namespace gs::app::widgets

// Tensor literals: "2.5", "-1e-3", "[1, 2]", "[[1, 2], [3, 4]]" (up to rank 4), read depth first
// with NestedListShape checking that the lists form a tensor; every error names its column.
// Depends on parse_text.h and nested_list.h.
#include "parse_text.h"

#include "nested_list.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <vector>

namespace gs {
namespace {

using namespace parsing;

// Nested lists read depth first; NestedListShape checks that they form a tensor.
class LiteralParser {
 public:
  explicit LiteralParser(std::string_view text) : text_(text), end_(text.size()) {}
  // The literal at [begin, end) of a longer text (a formula), its errors placed in that text.
  LiteralParser(std::string_view text, std::size_t begin, std::size_t end) : text_(text), pos_(begin), end_(end) {}

  TensorD parse() {
    skip_space();
    if (pos_ >= end_) throw ParseError("empty value: write a number or a list such as [1, 2]", 0);
    value(0);
    skip_space();
    if (pos_ < end_)
      fail_at(text_, pos_, "unexpected '" + shown(pos_) + "' {at} after the value", static_cast<int>(word_at(pos_).size()));
    TensorD t = TensorD::uninitialized(shape_.shape());
    std::copy(values_.begin(), values_.end(), t.data());
    return t;
  }

 private:
  void skip_space() {
    while (pos_ < end_ && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  }

  // The number-like word at `at`, or the single character there.
  std::string_view word_at(std::size_t at) const {
    std::size_t end = at;
    while (end < end_ && (is_name_char(text_[end]) || text_[end] == '.' || text_[end] == '+' || text_[end] == '-')) ++end;
    if (end == at) end = at + 1;
    return text_.substr(at, end - at);
  }
  // For messages: non-UTF-8 bytes escaped.
  std::string shown(std::size_t at) const {
    std::string_view w = word_at(at);
    return w.size() == 1 ? character_at(text_, at) : std::string(w);
  }

  void value(int depth) {
    skip_space();
    if (pos_ >= end_) fail_at(text_, pos_, "unexpected end of value {at} (expected a number or '[')");
    if (text_[pos_] == '[') {
      list(depth);
    } else {
      number(depth);
    }
  }

  void list(int depth) {
    const std::size_t open = pos_;
    if (std::string problem = shape_.enter_list(depth); !problem.empty()) fail_at(text_, open, problem);
    ++pos_;
    Index count = 0;
    while (true) {
      skip_space();
      if (pos_ < end_ && text_[pos_] == ']') break;
      shape_.enter_item(depth, static_cast<int>(count) + 1);
      value(depth + 1);
      ++count;
      skip_space();
      if (pos_ >= end_) fail_at(text_, open, "unbalanced bracket: '[' {at} is never closed");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] != ']')
        fail_at(text_, pos_, "expected ',' or ']' {at}, found '" + shown(pos_) + "'",
                static_cast<int>(word_at(pos_).size()));
    }
    ++pos_;  // ']'
    if (std::string problem = shape_.leave_list(depth, count); !problem.empty()) fail_at(text_, open, problem);
  }

  void number(int depth) {
    std::size_t start = pos_;
    std::string_view word = word_at(start);
    std::size_t skip = (!word.empty() && word[0] == '+') ? 1 : 0;
    double v = 0;
    auto [ptr, ec] = std::from_chars(word.data() + skip, word.data() + word.size(), v);
    bool ok = ec == std::errc() && ptr == word.data() + word.size() && word.size() > skip;
    if (!ok && ec == std::errc::result_out_of_range)
      fail_at(text_, start, "number '" + std::string(word) + "' is out of range", static_cast<int>(word.size()));
    if (!ok) fail_at(text_, start, "expected a number, found '" + shown(start) + "'", static_cast<int>(word.size()));
    if (std::string problem = shape_.number(depth); !problem.empty())
      fail_at(text_, start, problem, static_cast<int>(word.size()));
    values_.push_back(v);
    pos_ = start + word.size();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  NestedListShape shape_;
  std::vector<double> values_;
};

}  // namespace

TensorD parse_tensor_literal(std::string_view text) { return LiteralParser(text).parse(); }

namespace parsing {
TensorD parse_tensor_literal_in(std::string_view text, std::size_t begin, std::size_t end) {
  return LiteralParser(text, begin, end).parse();
}
}  // namespace parsing

}  // namespace gs

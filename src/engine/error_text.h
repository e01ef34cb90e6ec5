// Text from files and users made safe for messages and terminals. error_text: what() is a C
// string, so a NUL byte that came from a file (a config's "loss": "x\u0000y", a CSV field) would
// end the message there ("unknown loss 'x"); it is kept as the four characters \x00 instead
// (every error type of src/engine and src/nn — FileError, ParseError, GraphError, BindingError,
// nn::InputError — builds its message through it). printable_text: control characters shown, never
// obeyed. Depends on the standard library only (printable_text is defined in json_text.cpp).
#pragma once

#include <string>
#include <string_view>

namespace gs {

inline std::string error_text(std::string message) {
  bool nul = false;
  for (char c : message) nul = nul || c == 0;
  if (!nul) return message;
  std::string out;
  for (char c : message) {
    if (c == 0)
      out += "\\x00";
    else
      out += c;
  }
  return out;
}

// Text from a file or the user (a graph title, a config name, a message quoting them) made safe
// to print on a terminal or in a one-line comment: control characters (C0, DEL, and C1 written
// as UTF-8, U+0080–U+009F) become \xNN or \uNNNN, so an escape sequence is shown, never obeyed,
// and a line break cannot start a new line; other UTF-8 text (中文) is kept.
std::string printable_text(std::string_view text);

}  // namespace gs

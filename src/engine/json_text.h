// gradscope's JSON conventions, apart from any file format: numbers at full precision (17
// significant digits) with NaN and infinities as "nan", "inf", "-inf"; tensors as nested lists;
// the readable layout of every JSON text gradscope writes (graph files, `gradscope-cli --json`);
// and the error text of malformed JSON. Depends on tensor.h and nlohmann-json; no printing.
#pragma once

#include "error_text.h"
#include "tensor.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace gs {

// A malformed file or JSON value: the message names the place ("node 4: unknown op 'sine'",
// "values.x row 2: expected a number").
class FileError : public std::runtime_error {
 public:
  explicit FileError(std::string message) : std::runtime_error(error_text(std::move(message))) {}
};

// Numbers and tensors for JSON output: nested lists of full-precision numbers; NaN/inf as strings.
nlohmann::json number_to_json(double v);
nlohmann::json tensor_to_json(const TensorD& t);
// Reads a number (or "nan"/"inf"/"-inf") or a nested list; throws FileError naming `where`.
TensorD tensor_from_json(const nlohmann::json& j, const std::string& where);

// What a value is, for messages: "an object", "a list", "the string \"x\"", "the number 2".
std::string describe_json(const nlohmann::json& j);

// The text of any JSON, keys in insertion order: two-space indentation, with numbers, short lists
// and short records (a graph node, a trace step) kept on one line so that it reads like what it
// describes. gradscope-cli's --json output and graph files use it.
std::string pretty_json(const nlohmann::ordered_json& j);

// "[json.exception.parse_error.101] parse error at ..." without the library's prefix, and with
// the bytes of a binary file shown as \xNN rather than written raw to a terminal.
std::string clean_json_message(const std::string& what);

}  // namespace gs

// The op catalogue indexed by Op, assembled from the op families, and the expression-language
// names. Every Op must have exactly one definition (checked when the table is built).
#include "op_table.h"

#include <array>
#include <stdexcept>
#include <string>

namespace gs {
namespace {

// Update when adding an op: the families must then define it (checked below).
static_assert(kOpCount == 43, "a new op needs its OpDef in one of the ops_*.cpp families");

std::array<OpDef, kOpCount> build_table() {
  std::array<OpDef, kOpCount> table{};
  for (auto& d : table) d.name = nullptr;
  add_elementwise_ops(table.data());
  add_tensor_ops(table.data());
  add_loss_ops(table.data());
  add_conv_ops(table.data());
  for (int i = 0; i < kOpCount; ++i) {
    const OpDef& d = table[i];
    if (!d.name || static_cast<int>(d.op) != i || !d.infer_shape || !d.forward || !d.vjp || !d.jvp || !d.formula)
      throw std::logic_error("op catalogue: op #" + std::to_string(i) + " is missing or incomplete");
  }
  return table;
}

const std::array<OpDef, kOpCount>& table() {
  static const std::array<OpDef, kOpCount> t = build_table();
  return t;
}

struct Alias {
  const char* name;
  Op op;
};
constexpr Alias kAliases[] = {{"log", Op::Ln}, {"hadamard", Op::Mul}, {"maximum", Op::Max},
                              {"log_softmax", Op::LogSoftmax}, {"logsoftmax", Op::LogSoftmax}};

}  // namespace

const OpDef& op_def(Op op) { return table()[static_cast<int>(op)]; }

bool op_from_name(std::string_view name, Op* op) {
  for (const OpDef& d : table()) {
    if (name == d.name) {
      *op = d.op;
      return true;
    }
  }
  for (const Alias& a : kAliases) {
    if (name == a.name) {
      *op = a.op;
      return true;
    }
  }
  return false;
}

}  // namespace gs

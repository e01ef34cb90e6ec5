// Internal to src/engine: iteration over a broadcast output with the flat indices of both
// operands (NumPy rules: axes aligned from the end, extent-1 axes repeat). Shared by the
// elementwise ops and the broadcast/sum-to ops.
#pragma once

#include "tensor.h"

namespace gs {

// Calls fn(k, ia, ib) for every output element k with the flat indices of the two operands.
template <class Fn>
void for_each_broadcast(const Shape& out, const Shape& sa, const Shape& sb, Fn&& fn) {
  const Index n = out.size();
  if (sa == out && sb == out) {
    for (Index k = 0; k < n; ++k) fn(k, k, k);
    return;
  }
  if (sa.size() == 1 && sb == out) {
    for (Index k = 0; k < n; ++k) fn(k, 0, k);
    return;
  }
  if (sb.size() == 1 && sa == out) {
    for (Index k = 0; k < n; ++k) fn(k, k, 0);
    return;
  }
  const int r = out.rank();
  Index stride_a[kMaxRank] = {}, stride_b[kMaxRank] = {}, counter[kMaxRank] = {};
  Index acc_a = 1, acc_b = 1;
  for (int k = r - 1; k >= 0; --k) {
    int ia = sa.rank() - r + k, ib = sb.rank() - r + k;
    Index da = ia >= 0 ? sa[ia] : 1, db = ib >= 0 ? sb[ib] : 1;
    stride_a[k] = da == 1 ? 0 : acc_a;
    stride_b[k] = db == 1 ? 0 : acc_b;
    acc_a *= da;
    acc_b *= db;
  }
  Index ia = 0, ib = 0;
  for (Index k = 0; k < n; ++k) {
    fn(k, ia, ib);
    for (int axis = r - 1; axis >= 0; --axis) {
      ia += stride_a[axis];
      ib += stride_b[axis];
      if (++counter[axis] < out[axis]) break;
      ia -= stride_a[axis] * out[axis];
      ib -= stride_b[axis] * out[axis];
      counter[axis] = 0;
    }
  }
}

}  // namespace gs

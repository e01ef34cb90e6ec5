// Float kernels on whole SIMD registers through Eigen's packet math: a packet type with the
// arithmetic and the functions the elementwise rules of ops_elementwise.cpp are written in, so
// that a rule's value and partial adjoint, written once over S, also run 16 floats at a time
// (AVX-512; 8 with AVX). Every element, the last partial register's too, goes through the same
// packet code, so a value never depends on its position in a tensor or on its address: the
// training curve stays the same bit for bit. The approximations are Eigen's (tanh rational, exp by
// range reduction; a few ulp); sqrt and the arithmetic are IEEE.
// Internal to src/engine. Depends on Eigen only.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>

namespace gs::packet {

namespace ei = Eigen::internal;
using RawF = ei::packet_traits<float>::type;
inline constexpr std::ptrdiff_t kLanes = ei::unpacket_traits<RawF>::size;

// 16 (or 8) floats; constants of a rule (`1.0 - y`) are rounded to float.
struct PacketF {
  RawF v;
};
inline PacketF splat(double c) { return {ei::pset1<RawF>(static_cast<float>(c))}; }

inline PacketF operator+(PacketF a, PacketF b) { return {ei::padd(a.v, b.v)}; }
inline PacketF operator-(PacketF a, PacketF b) { return {ei::psub(a.v, b.v)}; }
inline PacketF operator*(PacketF a, PacketF b) { return {ei::pmul(a.v, b.v)}; }
inline PacketF operator/(PacketF a, PacketF b) { return {ei::pdiv(a.v, b.v)}; }
inline PacketF operator-(PacketF a) { return {ei::pnegate(a.v)}; }
inline PacketF operator+(PacketF a, double b) { return a + splat(b); }
inline PacketF operator-(PacketF a, double b) { return a - splat(b); }
inline PacketF operator*(PacketF a, double b) { return a * splat(b); }
inline PacketF operator/(PacketF a, double b) { return a / splat(b); }
inline PacketF operator+(double a, PacketF b) { return splat(a) + b; }
inline PacketF operator-(double a, PacketF b) { return splat(a) - b; }
inline PacketF operator*(double a, PacketF b) { return splat(a) * b; }
inline PacketF operator/(double a, PacketF b) { return splat(a) / b; }

// Lanes where `mask` is set take a, the others b.
inline PacketF select(RawF mask, PacketF a, PacketF b) { return {ei::pselect(mask, a.v, b.v)}; }
inline RawF less(PacketF a, PacketF b) { return ei::pcmp_lt(a.v, b.v); }  // false where either is NaN
inline RawF less_equal(PacketF a, PacketF b) { return ei::pcmp_le(a.v, b.v); }

// The functions, with PyTorch's values at the kinks as in sym.h's scalar namespace.
inline PacketF exp(PacketF a) { return {ei::pexp(a.v)}; }
inline PacketF ln(PacketF a) { return {ei::plog(a.v)}; }
inline PacketF sqrt(PacketF a) { return {ei::psqrt(a.v)}; }
inline PacketF abs(PacketF a) { return {ei::pabs(a.v)}; }
inline PacketF tanh(PacketF a) { return {ei::ptanh(a.v)}; }
// σ(x) as sym.h's scalar sigmoid: 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below, both sides
// computed and the right one selected (never exp of a large positive number; full relative
// accuracy far into the negative tail, where Eigen's logistic approximation loses it).
inline PacketF sigmoid(PacketF a) {
  const PacketF e = exp(select(less(a, splat(0)), a, -a));  // e^−|x|, NaN stays NaN
  const PacketF one = splat(1);
  return select(less(a, splat(0)), e / (one + e), one / (one + e));
}
// relu: x where x > 0 or x is NaN, else 0.
inline PacketF relu(PacketF a) { return select(less_equal(a, splat(0)), splat(0), a); }
// [x > 0]: relu'(0) = 0.
inline PacketF step(PacketF a) { return select(less(splat(0), a), splat(1), splat(0)); }
inline PacketF sign(PacketF a) {
  return select(less(splat(0), a), splat(1), select(less(a, splat(0)), splat(-1), splat(0)));
}

// y[k] = f(x[k]) for k < n; y may be x. The last, partial register is computed on a zero-padded
// copy, through the same code.
template <class F>
void map(const float* x, float* y, std::ptrdiff_t n, F f) {
  std::ptrdiff_t k = 0;
  for (; k + kLanes <= n; k += kLanes) ei::pstoreu(y + k, f(PacketF{ei::ploadu<RawF>(x + k)}).v);
  if (k == n) return;
  alignas(64) float in[kLanes] = {}, out[kLanes];
  std::copy(x + k, x + n, in);
  ei::pstore(out, f(PacketF{ei::pload<RawF>(in)}).v);
  std::copy(out, out + (n - k), y + k);
}

// out[k] = f(a[k], b[k], c[k]); out may be any of the inputs.
template <class F>
void map3(const float* a, const float* b, const float* c, float* out, std::ptrdiff_t n, F f) {
  std::ptrdiff_t k = 0;
  for (; k + kLanes <= n; k += kLanes)
    ei::pstoreu(out + k, f(PacketF{ei::ploadu<RawF>(a + k)}, PacketF{ei::ploadu<RawF>(b + k)},
                           PacketF{ei::ploadu<RawF>(c + k)}).v);
  if (k == n) return;
  alignas(64) float ta[kLanes] = {}, tb[kLanes] = {}, tc[kLanes] = {}, t[kLanes];
  std::copy(a + k, a + n, ta);
  std::copy(b + k, b + n, tb);
  std::copy(c + k, c + n, tc);
  ei::pstore(t, f(PacketF{ei::pload<RawF>(ta)}, PacketF{ei::pload<RawF>(tb)}, PacketF{ei::pload<RawF>(tc)}).v);
  std::copy(t, t + (n - k), out + k);
}

}  // namespace gs::packet

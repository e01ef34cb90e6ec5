// One minus sign on screen (issue 9): on_screen() writes every minus of the engine's text as
// U+2212, and adding a negative number as a subtraction; hyphens in words and arrows stay. No GL.
#include "app/base/i18n.h"

#include <gtest/gtest.h>

using gs::app::on_screen;

TEST(OnScreenMinus, NumbersAndFormulasGetTheMinusSign) {
  EXPECT_EQ(on_screen("v̄5 = v̄7·(−1) = 1·(-1) = -1"), "v̄5 = v̄7·(−1) = 1·(−1) = −1");
  EXPECT_EQ(on_screen("-0.28366"), "−0.28366");
  EXPECT_EQ(on_screen("[[0.3, -2], [1e-07, 4]]"), "[[0.3, −2], [1e−07, 4]]");
  EXPECT_EQ(on_screen("v2 → v5 → v7: 0.28366·(-1) = -0.28366"), "v2 → v5 → v7: 0.28366·(−1) = −0.28366");
  EXPECT_EQ(on_screen("-inf"), "−inf");
}

TEST(OnScreenMinus, AddingANegativeNumberReadsAsASubtraction) {
  EXPECT_EQ(on_screen("nan + 0.5 + -0.5"), "nan + 0.5 − 0.5");
  EXPECT_EQ(on_screen("= 1 + -2 + 3"), "= 1 − 2 + 3");
  EXPECT_EQ(on_screen("x1 - x2"), "x1 − x2");  // an ASCII operator too
}

TEST(OnScreenMinus, HyphensInWordsArrowsAndOtherTextStay) {
  EXPECT_EQ(on_screen("x-axis"), "x-axis");
  EXPECT_EQ(on_screen("a -> b"), "a -> b");
  EXPECT_EQ(on_screen("v̄₁→₃ = 0.5"), "v̄₁→₃ = 0.5");
  EXPECT_EQ(on_screen(""), "");
  EXPECT_EQ(on_screen("+ -1"), "− 1");
}

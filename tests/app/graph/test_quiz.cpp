// Predict the adjoint: right and wrong within the stated tolerance, a typo named and nothing lost,
// a row revealed without an answer, the score counted once per row, forward, reverse and tangent
// rows; and its feedback drawn under the banner (frame record).
#include "app/graph/quiz.h"
#include "app/graph/view_step_notes.h"

#include "../headless_imgui.h"
#include "seed004_session.h"
#include "step_notes_frame.h"

#include <gtest/gtest.h>

using namespace gs;
using namespace gs::app;

TEST(Quiz, NumbersAsStudentsTypeThem) {
  EXPECT_EQ(parse_quiz_number("5.5"), 5.5);
  EXPECT_EQ(parse_quiz_number("  -0.39 "), -0.39);
  EXPECT_EQ(parse_quiz_number("+2"), 2.0);
  EXPECT_EQ(parse_quiz_number("1e-3"), 0.001);
  EXPECT_EQ(parse_quiz_number("\xE2\x88\x92" "1"), -1.0) << "the traces' minus sign";
  EXPECT_FALSE(parse_quiz_number("5,5"));
  EXPECT_FALSE(parse_quiz_number("1/2"));
  EXPECT_FALSE(parse_quiz_number(""));
  EXPECT_FALSE(parse_quiz_number("-"));
  EXPECT_FALSE(parse_quiz_number("5.5x"));
  EXPECT_FALSE(parse_quiz_number("inf"));
}

TEST(Quiz, TheToleranceIsOnePercentAndAtLeastAThousandth) {
  EXPECT_DOUBLE_EQ(Quiz::tolerance(5.5), 0.055);
  EXPECT_DOUBLE_EQ(Quiz::tolerance(-0.5), 0.005);
  EXPECT_DOUBLE_EQ(Quiz::tolerance(0.0), 0.001);
}

TEST(Quiz, InputsAreNotAskedAndTheFirstOpIs) {
  Session s = seed004_session();
  Quiz q;
  EXPECT_FALSE(q.question(s.lesson())) << "off";
  q.set_on(true);
  EXPECT_FALSE(q.question(s.lesson())) << "v1 = x1: its value is given";
  q.next(s.lesson());
  q.next(s.lesson());
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Forward, 2}));
  const auto asked = q.question(s.lesson());
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->lhs, "v3");
  EXPECT_EQ(asked->formula, "ln v1");
  EXPECT_DOUBLE_EQ(asked->value, std::log(2.0));
}

TEST(Quiz, ARightAnswerRevealsTheRowAndCounts) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().jump({StepMode::Forward, 2});
  EXPECT_EQ(q.answer(s.lesson(), "0.69"), QuizVerdict::Right) << "within 1% of ln 2";
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Forward, 3}));
  EXPECT_EQ(q.right(), 1);
  EXPECT_EQ(q.answered(), 1);
  EXPECT_EQ(quiz_feedback_text(q.feedback()), "Right: v3 = 0.69315 (you said 0.69; right within ±0.0069315)");
}

TEST(Quiz, AWrongAnswerSaysWhatWasTypedAndHowFarOff) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().jump({StepMode::Reverse, 6});
  q.draft = "5";
  q.next(s.lesson());
  EXPECT_EQ(q.feedback().verdict, QuizVerdict::Wrong);
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Reverse, 7})) << "revealed all the same";
  EXPECT_EQ(q.right(), 0);
  EXPECT_EQ(q.answered(), 1);
  EXPECT_EQ(quiz_feedback_text(q.feedback()), "Not quite: you said 5, but v̄1 = 5.5: off by 0.5 (right within ±0.055)");
  EXPECT_TRUE(q.draft.empty()) << "ready for the next answer";
}

TEST(Quiz, ATypoIsNamedAndNothingIsLostOrCounted) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().jump({StepMode::Reverse, 6});
  q.draft = "5,5";
  q.next(s.lesson());
  EXPECT_EQ(q.feedback().verdict, QuizVerdict::NotANumber);
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Reverse, 6})) << "not revealed";
  EXPECT_EQ(q.draft, "5,5") << "the text stays to be corrected";
  EXPECT_EQ(q.answered(), 0);
  EXPECT_EQ(quiz_feedback_text(q.feedback()),
            "\"5,5\" is not a number: nothing was counted; correct it and press Enter (a decimal point, not a comma: 5.5?)");
  q.draft = "5.5";
  q.next(s.lesson());
  EXPECT_EQ(q.feedback().verdict, QuizVerdict::Right);
  EXPECT_EQ(q.right(), 1);
}

TEST(Quiz, NextWithNothingTypedRevealsWithoutCounting) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().jump({StepMode::Forward, 7});
  const auto asked = q.question(s.lesson());
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->lhs, "v̄7") << "the reverse trace continues the forward one";
  q.next(s.lesson());
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Reverse, 1}));
  EXPECT_EQ(q.feedback().verdict, QuizVerdict::Skipped);
  EXPECT_EQ(q.answered(), 0);
  EXPECT_EQ(quiz_feedback_text(q.feedback()), "Shown without an answer: v̄7 = 1 (not counted)");
}

TEST(Quiz, EachRowCountsOnceAndGoingBackAsksAgain) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().jump({StepMode::Reverse, 5});
  EXPECT_EQ(q.answer(s.lesson(), "1.7163"), QuizVerdict::Right);
  EXPECT_EQ(q.answer(s.lesson(), "6"), QuizVerdict::Wrong);
  EXPECT_EQ(q.right(), 1);
  EXPECT_EQ(q.answered(), 2);
  q.previous(s.lesson());
  EXPECT_EQ(q.feedback().verdict, QuizVerdict::None);
  EXPECT_EQ(q.question(s.lesson())->lhs, "v̄1");
  EXPECT_EQ(q.answer(s.lesson(), "5.5"), QuizVerdict::Right);
  EXPECT_EQ(q.right(), 1) << "the first answer to a row is the one counted";
  EXPECT_EQ(q.answered(), 2);
  EXPECT_FALSE(q.question(s.lesson())) << "the end of the pass";
}

TEST(Quiz, TangentRowsAreAskedToo) {
  Session s = seed004_session();
  Quiz q;
  q.set_on(true);
  s.lesson().set_tangent_input("x1");
  s.lesson().start_tangent();
  s.lesson().jump({StepMode::Tangent, 3});
  const auto asked = q.question(s.lesson());
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->lhs, "v̇4");
  EXPECT_DOUBLE_EQ(asked->value, 5.0);
  EXPECT_EQ(q.answer(s.lesson(), "5"), QuizVerdict::Right);
  EXPECT_EQ(s.lesson().cursor(), (Cursor{StepMode::Tangent, 4}));
}

TEST(Quiz, TheQuestionAndTheVerdictAreDrawnUnderTheBanner) {
  const test_support::HeadlessImGui imgui(ImVec2(1024, 768));
  Session s = seed004_session();
  Quiz quiz;
  quiz.set_on(true);
  s.lesson().jump({StepMode::Reverse, 6});
  quiz.draft = "5";
  quiz.next(s.lesson());
  quiz.previous(s.lesson());
  quiz.draft = "5,5";
  quiz.next(s.lesson());
  const FrameRecord record = draw_step_notes_once(s, nullptr, &quiz);
  const nlohmann::json& r = record.quiz;
  ASSERT_FALSE(r.is_null());
  EXPECT_EQ(r["asking"], "v̄1");
  EXPECT_EQ(r["question"], "Predict v̄1 = v̄4·v2 + v̄3·(1/v1)");
  EXPECT_EQ(r["verdict"], "not_a_number");
  EXPECT_EQ(r["draft"], "5,5");
  EXPECT_EQ(r["score"], "Score 0/1");
  EXPECT_GT(r["field_rect"][2].get<float>(), r["field_rect"][0].get<float>());
  EXPECT_LE(r["field_rect"][2].get<float>(), 1024.0f);
  EXPECT_GT(r["message_rect"][1].get<float>(), r["field_rect"][1].get<float>()) << "the message under the question";
}

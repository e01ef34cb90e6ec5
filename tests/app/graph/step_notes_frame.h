// Draws the Graph page's step notes (the lesson file's note, the quiz) once in an ImGui context
// without a renderer and returns what the frame record got. Shared by the lesson-file and quiz
// tests (one definition: they compile as a unity build). No GL.
#pragma once

#include "app/graph/view_step_notes.h"

inline gs::app::FrameRecord draw_step_notes_once(gs::app::Session& session, const gs::app::LessonFile* file, gs::app::Quiz* quiz) {
  gs::app::FrameRecord record;
  gs::app::Focus focus;
  gs::app::FontSet fonts;
  gs::app::RedrawTimer redraw;
  gs::app::StepNotesView notes;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1024, 300));
  ImGui::Begin("step_notes", nullptr, ImGuiWindowFlags_NoDecoration);
  gs::app::ViewContext ctx{session, focus, fonts, redraw, &record};
  ctx.lesson_file = file;
  ctx.quiz = quiz;
  notes.draw(ctx);
  ImGui::End();
  ImGui::Render();
  return record;
}

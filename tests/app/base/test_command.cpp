// Commands: names in step with the enum, the shell's share, first in first out. No ImGui.
#include "app/base/command.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace gs::app;

TEST(Command, EveryCommandHasItsOwnName) {
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(CommandId::kCount); ++i) names.insert(command_name(static_cast<CommandId>(i)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(CommandId::kCount));
  EXPECT_EQ(names.count("?"), 0u);
  EXPECT_STREQ(command_name(CommandId::SaveAs), "save_as");
}

TEST(Command, ShellCommandsAreThePageSwitchLanguageTextSizePictureAndQuitting) {
  for (CommandId id : {CommandId::ShowPage, CommandId::SetLanguage, CommandId::TextLarger, CommandId::TextSmaller,
                       CommandId::ExportPng, CommandId::Quit, CommandId::QuitWithoutSaving})
    EXPECT_TRUE(is_shell_command(id)) << command_name(id);
  for (CommandId id : {CommandId::New, CommandId::Open, CommandId::Save, CommandId::Undo, CommandId::Fit, CommandId::ExportCsv})
    EXPECT_FALSE(is_shell_command(id)) << command_name(id);
}

TEST(CommandQueue, TakesEverythingInTheOrderPushed) {
  CommandQueue q;
  q.push(CommandId::Open, "a.json");
  q.push(Command{CommandId::Save, {}, true});
  q.push(CommandId::Undo);
  const auto all = q.take();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, CommandId::Open);
  EXPECT_EQ(all[0].arg, "a.json");
  EXPECT_TRUE(all[1].then_quit);
  EXPECT_EQ(all[2].id, CommandId::Undo);
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.take().empty());
}

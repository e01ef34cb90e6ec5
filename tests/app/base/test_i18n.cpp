// The translation table: both languages everywhere, placeholders kept. No GL.
#include "app/base/i18n.h"

#include <gtest/gtest.h>

#include <string>

using namespace gs::app;

TEST(Translation, EveryStringHasBothLanguages) {
  for (int i = 0; i < static_cast<int>(Tr::kCount); ++i) {
    const Tr id = static_cast<Tr>(i);
    EXPECT_STRNE(tr(id, Language::English), "") << "entry " << i;
    EXPECT_STRNE(tr(id, Language::Chinese), "") << "entry " << i;
  }
}

TEST(Translation, PlaceholdersMatchAcrossLanguages) {
  for (int i = 0; i < static_cast<int>(Tr::kCount); ++i) {
    const std::string en = tr(static_cast<Tr>(i), Language::English), zh = tr(static_cast<Tr>(i), Language::Chinese);
    for (const char* p : {"{0}", "{1}", "{2}", "{3}"})
      EXPECT_EQ(en.find(p) == std::string::npos, zh.find(p) == std::string::npos) << "entry " << i << " placeholder " << p << ": " << en;
  }
}

TEST(Translation, SwitchingLanguageChangesTextNotIds) {
  set_language(Language::Chinese);
  EXPECT_EQ(trf(Tr::StepOf, "前向", "4", "7"), "前向：第 4 步，共 7 步");
  EXPECT_EQ(label(Tr::Reset, "reset"), std::string(tr(Tr::Reset)) + "###reset");
  set_language(Language::English);
  EXPECT_EQ(trf(Tr::StepOf, "Forward", "4", "7"), "Forward step 4 of 7");
}

// Screenshot tests of the Training page: `gradscope --screenshot --view training` under xvfb-run,
// checked through the frame record. The loss curve after K synchronous steps equals, step for
// step, the `loss` column of `gradscope-cli train --metrics` for the same config (the CLI is run
// here too); the spiral's decision boundary and accuracy are shown; a run with a far too high
// learning rate stops at the sentinel with a banner that names the step and the layer; Fashion-MNIST
// shows its image grid and confusion matrix; the Chinese interface.
#include "../screenshot.h"
#include "../../cli/run_cli.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

// The `loss` column of `gradscope-cli train ARGS --metrics FILE`.
std::vector<double> cli_losses(std::vector<std::string> args, const std::string& name) {
  const std::string csv = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + "-cli.csv";
  args.insert(args.begin(), "train");
  for (const char* a : {"--quiet", "--metrics"}) args.push_back(a);
  args.push_back(csv);
  const gs::test::CliRun r = gs::test::run_cli(args);
  EXPECT_EQ(r.status, 0) << r.err;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  int column = -1, k = 0;
  std::stringstream header(line);
  for (std::string cell; std::getline(header, cell, ','); ++k)
    if (cell == "loss") column = k;
  EXPECT_GE(column, 0) << "no loss column in " << line;
  std::vector<double> losses;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string cell;
    for (int c = 0; c <= column; ++c) std::getline(row, cell, ',');
    losses.push_back(std::stod(cell));
  }
  return losses;
}

std::string write_config(const std::string& name, const json& config) {
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  const std::string path = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + ".json";
  std::ofstream(path) << config.dump(2);
  return path;
}

// The spiral preset run for `epochs` epochs (10 steps each), as a config file.
json spiral(int epochs) {
  const gs::test::CliRun r = gs::test::run_cli({"train", "--preset", "spiral", "--print-config"});
  EXPECT_EQ(r.status, 0) << r.err;
  json c = json::parse(r.out);
  c["epochs"] = epochs;
  return c;
}

// The classroom's diverging run: 10 epochs of the spiral, squared error, plain SGD at lr 2 (its
// loss overflows at step 21; in the lab the explosion guard pauses it at step 4, the loss 3.4 >
// 10 × 1/3, the loss of guessing).
json spiral_diverging_at_lr2() {
  json c = spiral(10);
  c["loss"] = "mse";
  c["optimizer"] = {{"name", "sgd"}, {"lr", 2.0}};
  c.erase("schedule");
  return c;
}

// Six points in two classes, a hinge loss, SGD at lr 0.5: every margin is met from step 3 on, and
// from then every gradient is exactly 0 (what a log axis cannot draw).
json points_with_hinge() {
  json c = spiral(10);
  c["data"] = {{"name", "points"},
               {"points", {{-0.6, 0.5, 0}, {-0.5, 0.7, 0}, {-0.3, 0.6, 0}, {0.5, -0.6, 1}, {0.6, -0.4, 1}, {0.4, -0.7, 1}}},
               {"test_fraction", 0.0}};
  c["model"]["layers"].back()["out"] = 2;
  c["epochs"] = 40;  // one batch an epoch
  c["loss"] = "hinge";
  c["optimizer"] = {{"name", "sgd"}, {"lr", 0.5}};
  c.erase("schedule");
  return c;
}

// Fashion-MNIST's short class names as the grid writes them under a tile.
std::string training_class_name(int k) {
  static const char* const kNames[] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"};
  return k >= 0 && k < 10 ? kNames[k] : "";
}

constexpr const char* kLoss = "Loss##loss";

}  // namespace

TEST(ScreenshotTraining, SpiralLossCurveEqualsTheClisAndTheBoundaryIsDrawn) {
  const std::string config = write_config("training_spiral_config", spiral(20));
  TAKE_OR_SKIP(d, "training_spiral", "--view training --config '" + config + "' --train-steps 120");
  EXPECT_EQ(d["page"], "training");
  const json& t = d["training"];
  EXPECT_EQ(t["state"], "ready");
  EXPECT_EQ(t["step"], 120);
  EXPECT_EQ(t["epoch"], 12);
  ASSERT_TRUE(t["train_accuracy"].is_number());
  EXPECT_GT(t["train_accuracy"].get<double>(), 0.5);

  // The raw loss, step for step the CLI's (both run from the config's seed).
  const json* p = plot(d, kLoss);
  ASSERT_NE(p, nullptr);
  const json* raw = series(*p, "spiral (raw)");
  ASSERT_NE(raw, nullptr) << (*p)["series"].dump().substr(0, 300);
  const std::vector<double> cli = cli_losses({"--config", config}, "training_spiral");
  ASSERT_EQ(cli.size(), 200u);
  const std::vector<double> gui = (*raw)["y"].get<std::vector<double>>();
  ASSERT_EQ(gui.size(), 120u);
  for (std::size_t i = 0; i < gui.size(); ++i) ASSERT_NEAR(gui[i], cli[i], 1e-6 * std::max(1.0, std::abs(cli[i]))) << "step " << i + 1;
  EXPECT_EQ((*raw)["x"][0], 1);
  EXPECT_EQ((*raw)["x"][119], 120);
  // The smoothed curve: TensorBoard's debiased EMA at 0.6, whose first value is the first loss.
  const json* smooth = series(*p, "spiral");
  ASSERT_NE(smooth, nullptr);
  EXPECT_DOUBLE_EQ((*smooth)["y"][0].get<double>(), gui[0]);
  EXPECT_NEAR((*smooth)["y"][1].get<double>(), (0.6 * 0.4 * gui[0] + 0.4 * gui[1]) / (1 - 0.36), 1e-9);

  // Accuracy per epoch (one point per epoch), the learning rate as a staircase, gradient norms.
  const json* acc = plot(d, "Accuracy per epoch##accuracy");
  ASSERT_NE(acc, nullptr);
  ASSERT_NE(series(*acc, "spiral train"), nullptr);
  EXPECT_EQ((*series(*acc, "spiral train"))["y"].size(), 12u);
  const json* lr = plot(d, "Learning rate in force##lr");
  ASSERT_NE(lr, nullptr);
  EXPECT_EQ((*series(*lr, "spiral"))["kind"], "stairs");
  const json* grad = plot(d, "Gradient norm##grad");
  ASSERT_NE(grad, nullptr);
  EXPECT_TRUE((*grad)["log_y"].get<bool>());

  // The boundary: a grid over the plane with a share for each of the three classes.
  ASSERT_TRUE(t.contains("boundary"));
  const json& b = t["boundary"];
  EXPECT_EQ(b["classes"], 3);
  EXPECT_GE(b["grid"][0].get<int>(), 16);
  double sum = 0;
  for (const json& f : b["fractions"]) {
    EXPECT_GT(f.get<double>(), 0.05);  // every arm has its part of the plane
    sum += f.get<double>();
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_TRUE(shows_text(d, "step 120/200")) << d["visible_text"].dump().substr(0, 600);
}

TEST(ScreenshotTraining, ProjectorSizeKeepsEveryPlotReadable) {
  TAKE_OR_SKIP(d, "training_spiral_1024", "--view training --preset spiral --train-steps 60");
  // (take() writes 1600x900; this picture is the projector's.)
  auto small = take("training_spiral_1024", "--view training --preset spiral --train-steps 60", "1024x768");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->width, 1024);
  const json& s = small->drawn;
  for (const char* id : {kLoss, "Accuracy per epoch##accuracy", "Learning rate in force##lr", "Gradient norm##grad"})
    EXPECT_NE(plot(s, id), nullptr) << id;
  EXPECT_EQ(s["training"]["step"], 60);
  // The projector's width starts with the setup hidden (» Setup shows it), the wide window with it.
  EXPECT_FALSE(s["training"]["setup_shown"].get<bool>());
  EXPECT_TRUE(shows_text(s, "Setup"));
  EXPECT_TRUE(d["training"]["setup_shown"].get<bool>());
  // Every plot keeps a readable size: at least 12 lines of text high and 200 px wide.
  for (const json& p : s["plots"]) {
    if (p["id"] == "##schedule_miniature") continue;
    ASSERT_TRUE(p.contains("rect")) << p["id"];
    EXPECT_GE(p["rect"][2].get<double>() - p["rect"][0].get<double>(), 200) << p["id"];
    EXPECT_GE(p["rect"][3].get<double>() - p["rect"][1].get<double>(), 130) << p["id"];
  }
  // "Open step 60 in the graph" with its samples field beside it (spiral's batch of 32: all 32 by
  // default), on one row, inside the window at both sizes.
  for (const json* shot : {&d, &s}) {
    const json& r = (*shot)["training"]["replay"];
    ASSERT_TRUE(r.is_object()) << (*shot)["training"].dump().substr(0, 300);
    EXPECT_EQ(r["samples"], 32);
    EXPECT_TRUE(r["enabled"].get<bool>());
    EXPECT_GT(r["field_rect"][0].get<double>(), r["button_rect"][2].get<double>());
    EXPECT_EQ(r["field_rect"][1].get<double>(), r["button_rect"][1].get<double>());
    EXPECT_LE(r["field_rect"][2].get<double>(), (*shot)["training"]["setup_shown"].get<bool>() ? 1600 : 1024);
    EXPECT_TRUE(shows_text(*shot, "Open step 60 in the graph"));
    EXPECT_TRUE(shows_text(*shot, "32 samples"));
  }
}

TEST(ScreenshotTraining, ATooHighLearningRateStopsAtTheSentinelWithABanner) {
  json c = spiral(5);
  // ReLU units: the weights overflow at the first step and layer 3's output is inf at the second
  // (tanh units saturate instead, and the explosion guard pauses first: TrainingPageTest's
  // TheSpiralAtLearningRate100PausesWithAnExplodedLossBanner).
  for (json& layer : c["model"]["layers"])
    if (layer["type"] == "tanh") layer["type"] = "relu";
  c["optimizer"] = {{"name", "sgd"}, {"lr", 1e38}};
  c.erase("schedule");
  const std::string config = write_config("training_nan_config", c);
  TAKE_OR_SKIP(d, "training_nan", "--view training --config '" + config + "' --train-steps 40");
  const json& t = d["training"];
  // Paused, not failed: the banner offers going back with a lower learning rate.
  EXPECT_EQ(t["state"], "paused");
  EXPECT_TRUE(t["at_sentinel"].get<bool>());
  EXPECT_TRUE(shows_text(d, "Go back and resume"));
  EXPECT_TRUE(shows_text(d, "Start again with these"));
  ASSERT_TRUE(t["failure"].is_object()) << t.dump().substr(0, 400);
  const json& f = t["failure"];
  EXPECT_LT(f["step"].get<int>(), 40);
  EXPECT_EQ(f["quantity"], "activation");
  // The banner names the step and, unless the loss itself overflowed, the layer.
  const std::string headline = f["headline"];
  std::string lower = headline;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_NE(lower.find("step " + std::to_string(f["step"].get<int>())), std::string::npos) << headline;
  if (f["quantity"] != "overflow" && f["quantity"] != "input") {
    ASSERT_TRUE(f["layer"].is_number());
    EXPECT_NE(lower.find("layer " + std::to_string(f["layer"].get<int>())), std::string::npos) << headline;
  }
  EXPECT_NE(f["advice"].get<std::string>().find("learning rate"), std::string::npos) << f["advice"];
  EXPECT_TRUE(shows_text(d, headline)) << d["visible_text"].dump().substr(0, 800);
  // At the projector's size the banner takes the height the plots had: they keep a readable
  // height instead of 15 px of curve each, the row under the loss chosen by tabs (the gradient
  // norm's tab, in view, stands for its plot), none below the window's bottom.
  auto small = take("training_nan_1024", "--view training --config '" + config + "' --train-steps 40", "1024x768");
  ASSERT_TRUE(small);
  EXPECT_TRUE(shows_text(small->drawn, headline));
  bool grad_tab = false;
  for (const json& c : small->drawn["controls"])
    grad_tab |= c["id"] == "grad_tab" && c["rect"][3].get<double>() <= 768.0;
  for (const char* id : {kLoss, "Accuracy per epoch##accuracy", "Learning rate in force##lr", "Gradient norm##grad"}) {
    const json* p = plot(small->drawn, id);
    if (!p && grad_tab && std::string(id) == "Gradient norm##grad") continue;
    ASSERT_NE(p, nullptr) << id;
    EXPECT_LE((*p)["rect"][3].get<double>(), 768.0) << id << " below the fold";
    EXPECT_GE((*p)["rect"][3].get<double>() - (*p)["rect"][1].get<double>(), 130) << id;
    EXPECT_GE((*p)["area"][3].get<double>() - (*p)["area"][1].get<double>(), 40) << id;  // curve, not only axes
  }
}

// The classroom demonstration: SGD at lr 2 on the spiral with a squared-error loss diverges (the
// loss explodes at step 4); going back to the start with a tenth of the learning rate (the
// banner's "Go back and resume", --recover 0.1) trains on, and its curve is then, step for step,
// the CLI's run at lr 0.2 from the same seed.
TEST(ScreenshotTraining, AfterTheSentinelGoingBackWithALowerLearningRateTrainsOn) {
  const std::string config = write_config("training_recover_config", spiral_diverging_at_lr2());
  TAKE_OR_SKIP(d, "training_recover", "--view training --config '" + config + "' --train-steps 60 --recover 0.1");
  const json& t = d["training"];
  EXPECT_EQ(t["state"], "paused");  // Resume goes on from step 60
  EXPECT_EQ(t["step"], 60);
  EXPECT_FALSE(t["at_sentinel"].get<bool>());
  ASSERT_EQ(t["recoveries"].size(), 1u) << t.dump().substr(0, 600);
  EXPECT_EQ(t["recoveries"][0]["failed_step"], 4);
  EXPECT_EQ(t["recoveries"][0]["exploded"], true);
  EXPECT_EQ(t["recoveries"][0]["back_to"], 0);
  EXPECT_EQ(t["recoveries"][0]["lr_factor"], 0.1);
  EXPECT_TRUE(shows_text(d, "since step 0: lr × 0.1, clip off (after the loss exploded at step 4)"));
  const std::vector<double> cli = cli_losses({"--config", config, "--lr", "0.2", "--epochs", "6"}, "training_recover");
  const json* p = plot(d, kLoss);
  ASSERT_NE(p, nullptr);
  const json* raw = series(*p, "spiral (raw)");
  ASSERT_NE(raw, nullptr) << (*p)["series"].dump().substr(0, 600);
  ASSERT_EQ((*raw)["y"].size(), 60u);
  ASSERT_EQ(cli.size(), 60u);
  for (std::size_t i = 0; i < 60; ++i) EXPECT_NEAR((*raw)["y"][i].get<double>(), cli[i], 1e-6 * std::abs(cli[i])) << "step " << i + 1;
  // The learning rate plot shows the rate in force.
  const json* lr_plot = plot(d, "Learning rate in force##lr");
  ASSERT_NE(lr_plot, nullptr);
  const json* lr = series(*lr_plot, "spiral");
  ASSERT_NE(lr, nullptr) << (*lr_plot)["series"].dump().substr(0, 300);
  EXPECT_DOUBLE_EQ((*lr)["y"].back().get<double>(), 0.2);
}

// The user's own points (what clicks on the plane make): six points in two classes train, and
// the boundary gives each class part of the plane, every point on its side.
TEST(ScreenshotTraining, TheUsersOwnPointsTrainAndSplitThePlane) {
  json c = spiral(10);
  c["data"] = {{"name", "points"},
               {"points", {{-0.6, 0.5, 0}, {-0.5, 0.7, 0}, {-0.3, 0.6, 0}, {0.5, -0.6, 1}, {0.6, -0.4, 1}, {0.4, -0.7, 1}}},
               {"test_fraction", 0.0},
               {"seed", 1}};
  c["model"]["layers"].back()["out"] = 2;
  c["epochs"] = 100;  // one batch an epoch
  c.erase("schedule");
  const std::string config = write_config("training_points_config", c);
  TAKE_OR_SKIP(d, "training_points", "--view training --config '" + config + "' --train-steps 60");
  const json& t = d["training"];
  EXPECT_EQ(t["step"], 60);
  ASSERT_TRUE(t.contains("boundary")) << t.dump().substr(0, 400);
  EXPECT_EQ(t["boundary"]["train_wrong"], 0);
  ASSERT_EQ(t["boundary"]["fractions"].size(), 2u);
  for (const json& f : t["boundary"]["fractions"]) EXPECT_GT(f.get<double>(), 0.1);
  EXPECT_TRUE(t["setup_ok"].get<bool>()) << t["setup_error"];
}

TEST(ScreenshotTraining, ChineseInterface) {
  TAKE_OR_SKIP(d, "training_zh", "--lang zh --view training --preset moons --train-steps 30");
  EXPECT_EQ(d["training"]["step"], 30);
  // The preset's description and the layer rows' "out" in Chinese too.
  EXPECT_TRUE(shows_text(d, "两个交错的半月：2-16-16-2 的 tanh MLP，Adam 优化")) << d["visible_text"].dump().substr(0, 800);
  bool chinese = false;
  for (const json& p : d["plots"]) {
    const std::string title = p["title"];
    for (unsigned char ch : title) chinese |= ch >= 0xe4 && ch <= 0xe9;  // a CJK ideograph's lead byte
  }
  EXPECT_TRUE(chinese) << d["plots"].dump().substr(0, 400);
  // The run row's figures too: "损失 0.6931", not "loss 0.6931".
  EXPECT_TRUE(shows_text(d, "\u635f\u5931 ")) << d["visible_text"].dump().substr(0, 600);
  for (const json& text : d["visible_text"]) EXPECT_EQ(text.get<std::string>().find("loss "), std::string::npos) << text;
}

TEST(ScreenshotTraining, FashionLeNetShowsTheImageGridAndConfusionMatrix) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  TAKE_OR_SKIP(d, "training_lenet", "--view training --preset fashion-lenet --train-steps 5");
  const json& t = d["training"];
  EXPECT_EQ(t["step"], 5);
  EXPECT_EQ(t["inside"], "predictions");
  EXPECT_FALSE(t.contains("boundary"));
  // The grid of test images with predicted and true labels, wrong ones marked.
  ASSERT_TRUE(t.contains("images")) << t.dump().substr(0, 300);
  const json& shown = t["images"]["shown"];
  ASSERT_GE(shown.size(), 8u);
  int wrong = 0;
  for (const json& im : shown) {
    const bool is_wrong = im["predicted"] != im["label"];
    wrong += is_wrong;
    EXPECT_EQ(im["text"].get<std::string>().rfind("\u2717", 0) == 0, is_wrong) << im.dump();
    // Under a wrong one, its true class on a second line (issue 8: "predicted and true labels").
    EXPECT_EQ(im.contains("true_text"), is_wrong) << im.dump();
    if (is_wrong) { EXPECT_EQ(im["true_text"], training_class_name(im["label"].get<int>())) << im.dump(); }
  }
  if (wrong > 0) {
    EXPECT_EQ(t["images"]["label_lines"], 2);
    EXPECT_TRUE(shows_text(d, "wrong prediction / true class"));
  }
  EXPECT_EQ(t["images"]["wrong"], wrong);
  // Every label under a thumbnail whole ("✗ Sandal", not "✗ Sand"): its column is as wide as
  // the widest label, and the grid stays inside its half of the panel — at 1600×900 and at the
  // projector's 1024×768 (where the thumbnails are smallest).
  auto small = take("training_lenet_1024", "--view training --preset fashion-lenet --train-steps 5", "1024x768");
  ASSERT_TRUE(small);
  const json& sd = small->drawn;
  for (const json* shot : {&d, &sd}) {
    const json& im = (*shot)["training"]["images"];
    SCOPED_TRACE(im.dump().substr(0, 200));
    EXPECT_FALSE(im["labels_cut"].get<bool>());
    EXPECT_LE(im["label_width"].get<double>(), im["column_width"].get<double>());
    EXPECT_LE(im["grid_width"].get<double>(), im["width"].get<double>() + 0.5);
    EXPECT_GE(im["tile"].get<double>(), 28.0);  // a 28×28 image at least at its own size
  }
  // The 10×10 confusion matrix of the whole test set at step 5; its diagonal is the accuracy.
  ASSERT_TRUE(t.contains("confusion"));
  const json& c = t["confusion"];
  EXPECT_EQ(c["classes"], 10);
  EXPECT_EQ(c["step"], 5);
  ASSERT_EQ(c["counts"].size(), 100u);
  long total = 0, diagonal = 0;
  for (int i = 0; i < 100; ++i) total += c["counts"][i].get<long>();
  for (int i = 0; i < 10; ++i) diagonal += c["counts"][i * 11].get<long>();
  EXPECT_EQ(total, c["total"].get<long>());
  EXPECT_NEAR(c["accuracy"].get<double>(), static_cast<double>(diagonal) / static_cast<double>(total), 1e-12);
}

TEST(ScreenshotTraining, ThreeSchedulesComparedFromOneSeedStayVisibleWhereTheyCoincide) {
  const std::string config = write_config("training_compare_config", spiral(20));
  TAKE_OR_SKIP(d, "training_compare",
               "--view training --config '" + config +
                   "' --train-steps 100 --schedules 'step:step_size=3,gamma=0.5;multistep:milestones=[3,6],gamma=0.5;exponential:gamma=0.8'");
  const json& runs = d["training"]["runs"];
  ASSERT_EQ(runs.size(), 3u) << d["training"].dump().substr(0, 400);
  std::vector<std::string> labels;
  for (const json& r : runs) {
    labels.push_back(r["label"]);
    EXPECT_EQ(r["steps"], 100);
    EXPECT_TRUE(r["pinned"].get<bool>());
  }
  EXPECT_EQ(labels[0].rfind("StepLR(", 0), 0u) << labels[0];
  EXPECT_EQ(labels[1].rfind("MultiStepLR(", 0), 0u) << labels[1];
  EXPECT_EQ(labels[2].rfind("ExponentialLR(", 0), 0u) << labels[2];
  // Distinct colours; nested widths (the first widest), so that coinciding curves stay visible.
  EXPECT_NE(runs[0]["colour"], runs[1]["colour"]);
  EXPECT_NE(runs[1]["colour"], runs[2]["colour"]);
  EXPECT_GT(runs[0]["line_weight"].get<double>(), runs[1]["line_weight"].get<double>());
  EXPECT_GT(runs[1]["line_weight"].get<double>(), runs[2]["line_weight"].get<double>());

  // Train accuracy: each run's markers a shape of its own, nested (the first run's largest), the
  // newest epoch marked; the key shows the shape.
  const json* acc = plot(d, "Accuracy per epoch##accuracy");
  ASSERT_NE(acc, nullptr);
  const char* shapes[] = {"circle", "square", "diamond"};
  const char* symbols[] = {"\u25cf", "\u25a0", "\u25c6"};
  for (int i = 0; i < 3; ++i) {
    const json* marks = nullptr;
    for (const json& s : (*acc)["series"])
      if (s["name"] == labels[i] + " train" && s["kind"] == "scatter") marks = &s;
    ASSERT_NE(marks, nullptr) << labels[i];
    EXPECT_EQ((*marks)["marker"], shapes[i]);
    EXPECT_GE((*marks)["marker_size"].get<double>(), 3.0);
    EXPECT_EQ((*marks)["x"].back(), 100.0);
    EXPECT_EQ(runs[i]["marker"], symbols[i]);
  }
  const json* loss = plot(d, kLoss);
  ASSERT_NE(loss, nullptr);
  std::vector<std::vector<double>> raw;
  for (const std::string& l : labels) {
    const json* s = series(*loss, l + " (raw)");
    ASSERT_NE(s, nullptr) << l;
    raw.push_back((*s)["y"].get<std::vector<double>>());
    ASSERT_EQ(raw.back().size(), 100u);
  }
  // From one seed, StepLR(3) and MultiStepLR([3, 6]) agree for the first nine epochs exactly (their
  // curves coincide), and part at epoch 9; ExponentialLR parts after the first epoch.
  for (int i = 0; i < 90; ++i) ASSERT_EQ(raw[0][i], raw[1][i]) << "step " << i + 1;
  EXPECT_NE(raw[0][95], raw[1][95]);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(raw[0][i], raw[2][i]) << "step " << i + 1;
  EXPECT_NE(raw[0][20], raw[2][20]);
  // The learning rate in force: each run's staircase, the CLI's schedule values per epoch.
  const json* lr = plot(d, "Learning rate in force##lr");
  ASSERT_NE(lr, nullptr);
  const json* step_lr = series(*lr, labels[0]);
  ASSERT_NE(step_lr, nullptr);
  EXPECT_DOUBLE_EQ((*step_lr)["y"][0].get<double>(), 0.02);
  EXPECT_DOUBLE_EQ((*step_lr)["y"][35].get<double>(), 0.01);  // epoch 3: halved once
  // Gradient norms: the selected run's global norm bold with its three layers' norms dashed; the
  // other runs' global norms faint and thin behind it (three nested widths were a tangle).
  const json* grad = plot(d, "Gradient norm##grad");
  ASSERT_NE(grad, nullptr);
  std::string selected;
  for (const json& r : runs)
    if (r["active"].get<bool>()) selected = r["label"];
  int dashed = 0;
  for (const json& s : (*grad)["series"]) {
    const std::string name = s["name"], colour = s["colour"];
    const int alpha = std::stoi(colour.substr(7, 2), nullptr, 16);
    if (s["dashed"].get<bool>()) {
      ++dashed;
    } else if (name == selected + " global") {
      EXPECT_EQ(alpha, 255) << name;
      EXPECT_GE(s["weight"].get<double>(), 2.0) << name;
    } else {
      EXPECT_LT(alpha, 128) << name;
      EXPECT_LT(s["weight"].get<double>(), 1.5) << name;
    }
  }
  EXPECT_EQ(dashed, 3);
  EXPECT_EQ((*grad)["series"].size(), 6u);
}

// The lead's screenshot review: the learning-rate plot stretched a rate that had barely moved into
// a cliff over its whole height, and the "≤ 0 on a log axis" notes sat on the gradient-norm curve,
// cut at 1024 px. At both sizes: the lr view spans at least a fifth of the rate, and the norms of
// exactly 0 (a hinge loss met: every gradient 0 from step 3) are said in words under the plot,
// wrapped inside its width, never over its curves; the widget's own note is left out.
TEST(ScreenshotTraining, TheLrPlotIsNotStretchedAndNotesCoverNoCurve) {
  const std::string met = write_config("training_notes_config", points_with_hinge());
  for (const char* size : {"1600x900", "1024x768"}) {
    const std::string tag = std::string("training_notes_") + size;
    auto shot = take(tag, "--view training --config '" + met + "' --train-steps 40", size);
    if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
    const json& d = shot->drawn;
    const json* grad = plot(d, "Gradient norm##grad");
    ASSERT_NE(grad, nullptr) << size;
    EXPECT_TRUE(!grad->contains("notes") || (*grad)["notes"].empty()) << (*grad)["notes"].dump();
    const json& note = d["training"]["grad_note"];
    ASSERT_TRUE(note.is_object()) << size << ": the layer norms of 0 are counted";
    EXPECT_EQ(note["text"], "every layer: gradient exactly 0 in 38 steps — not drawable on a log axis (▼ at the bottom)");
    EXPECT_TRUE(shows_text(d, note["text"]));
    const json& n = note["rect"];
    const json& rect = (*grad)["rect"];
    EXPECT_GE(n[1].get<double>(), rect[3].get<double>()) << size << n.dump() << rect.dump();
    EXPECT_GE(n[0].get<double>(), rect[0].get<double>()) << size << n.dump() << rect.dump();
    EXPECT_LE(n[2].get<double>(), rect[2].get<double>() + 0.5) << size << ": the note is cut " << n.dump() << rect.dump();
    // The constant rate 0.5: a flat line in a view of at least 0.5 ± 0.05.
    const json* lr = plot(d, "Learning rate in force##lr");
    ASSERT_NE(lr, nullptr);
    EXPECT_GE((*lr)["y_range"][1].get<double>() - (*lr)["y_range"][0].get<double>(), 0.1 * (1 - 1e-9)) << size;
  }
  // The preset's cosine schedule after 30 steps has moved from 0.02 to 0.019998: not a cliff.
  auto cosine = take("training_lr_span_1024", "--view training --preset spiral --train-steps 30", "1024x768");
  ASSERT_TRUE(cosine);
  const json* lr = plot(cosine->drawn, "Learning rate in force##lr");
  ASSERT_NE(lr, nullptr);
  const std::vector<double> ys = (*series(*lr, "spiral"))["y"].get<std::vector<double>>();
  ASSERT_EQ(ys.size(), 30u);
  EXPECT_LT(ys.back(), ys.front()) << "the rate does move";
  const double span = (*lr)["y_range"][1].get<double>() - (*lr)["y_range"][0].get<double>();
  EXPECT_GE(span, 0.2 * ys.front() * (1 - 1e-9));
  const double height_px = (*lr)["area"][3].get<double>() - (*lr)["area"][1].get<double>();
  EXPECT_LT((ys.front() - ys.back()) / span * height_px, 2.0) << "the change is under two pixels, as it is";
}

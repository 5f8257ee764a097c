// The planner's cache predictions on a small app: build it (recorded as if every step ran),
// make one change, and check the predicted HIT/MISS of every layer step and the reasons. The
// expected answers are BuildKit's (see tests/README.md for how they were checked).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/planner/scenarios.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

using testing::App;
using testing::kCopyAllFirst;
using testing::kManifestFirst;
using testing::V;

TEST_CASE("scenarios: the predictions are BuildKit's answers", "[planner][scenario]") {
  for (const testing::Scenario& scenario : testing::Scenarios()) {
    INFO("scenario: " << scenario.name);
    App app;
    app.dockerfile = scenario.dockerfile;
    app.options.target = scenario.target;
    app.Build();
    scenario.change(app);
    CHECK(app.Predictions(scenario.no_cache) == scenario.expected);
  }
}

TEST_CASE("scenario: before the first build every step is never built", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  CHECK(app.Predictions() == V{"MISS: never built", "MISS: never built", "MISS: never built",
                               "MISS: never built", "MISS: never built"});
  app.Build();
  Plan plan = app.MakePlan();
  PredictOptions options;
  options.now = 1000 + 180;
  Prediction p = Predict(plan, app.record, options);
  CHECK(p.steps[0].reason == "built 3 minutes ago (test)");
}

TEST_CASE("plan sizes: COPY layers from the context", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  Plan plan = app.MakePlan();
  Prediction p = Predict(plan, app.record, PredictOptions{});
  size_t copy_src = plan.steps.size() - 2;  // COPY src/ src/ (then CMD)
  REQUIRE(plan.steps[copy_src].kind == StepKind::kCopy);
  CHECK(p.steps[copy_src].size == uint64_t{15 + 6});  // app.py + util.py
  CHECK(p.steps[copy_src].size_source == "context");
  CHECK_FALSE(p.image_size.has_value());  // the base image and the RUN are unknown
}

}  // namespace
}  // namespace dockit::plan

namespace dockit::plan {
namespace {

using testing::App;
using testing::kManifestFirst;

std::vector<std::string> Keys(const Plan& plan) {
  std::vector<std::string> out;
  for (const Step& s : plan.steps) out.push_back(s.key);
  return out;
}

TEST_CASE("keys are the same for the same inputs on another machine", "[planner][keys]") {
  // Another folder, other inodes and mtimes, the same files: the same keys.
  App a;
  App b;
  b.dir = fs::temp_directory_path() / ("dockit-scenario-b-" + std::to_string(getpid()));
  fs::remove_all(b.dir);
  fs::copy(a.dir, b.dir, fs::copy_options::recursive);
  fs::last_write_time(b.dir / "src/app.py",
                      fs::last_write_time(b.dir / "src/app.py") - std::chrono::hours(24));
  b.options.context_dir = b.dir.string();
  a.dockerfile = b.dockerfile = kManifestFirst;
  CHECK(Keys(a.MakePlan()) == Keys(b.MakePlan()));
  CHECK(Keys(a.MakePlan()) == Keys(a.MakePlan()));
}

TEST_CASE("what is not part of a key changes no key", "[planner][keys]") {
  App app;
  app.dockerfile = std::string(kManifestFirst) + "LABEL a=1\nEXPOSE 80\n";
  std::vector<std::string> base = Keys(app.MakePlan());
  for (const char* tail : {"LABEL a=2\nEXPOSE 80\n", "LABEL a=1\nEXPOSE 81\n",
                           "LABEL a=1\nEXPOSE 80\nHEALTHCHECK CMD true\n"}) {
    app.dockerfile = std::string(kManifestFirst) + tail;
    std::vector<std::string> keys = Keys(app.MakePlan());
    keys.resize(std::min(keys.size(), base.size()));
    CHECK(keys == base);
  }
  // A proxy build arg reaches the RUN but not its key.
  app.dockerfile = std::string("FROM alpine:3.20\nARG HTTP_PROXY=http://a:3128\nRUN true\n");
  std::vector<std::string> before = Keys(app.MakePlan());
  app.options.analyze.build_args["HTTP_PROXY"] = "http://b:3128";
  CHECK(Keys(app.MakePlan()) == before);
}

TEST_CASE("what is part of a key changes it, and only the steps that depend on it",
          "[planner][keys]") {
  App app;
  const std::string head = "FROM alpine:3.20\nWORKDIR /w\nCOPY requirements.txt .\n";
  app.dockerfile = head + "RUN cat requirements.txt\n";
  std::vector<std::string> base = Keys(app.MakePlan());
  REQUIRE(base.size() == 4);
  auto changed = [&](const std::string& dockerfile) {
    app.dockerfile = dockerfile;
    std::vector<std::string> keys = Keys(app.MakePlan());
    std::vector<int> out;
    for (size_t i = 0; i < keys.size() && i < base.size(); ++i) out.push_back(keys[i] != base[i]);
    return out;
  };
  using Changed = std::vector<int>;
  CHECK(changed(head + "RUN cat requirements.txt && true\n") == Changed{0, 0, 0, 1});
  CHECK(changed(head + "RUN --network=none cat requirements.txt\n") == Changed{0, 0, 0, 1});
  app.dockerfile = head + "USER 1\nRUN cat requirements.txt\n";
  std::vector<std::string> user1 = Keys(app.MakePlan());
  app.dockerfile = head + "USER 2\nRUN cat requirements.txt\n";
  std::vector<std::string> user2 = Keys(app.MakePlan());
  CHECK(std::vector<std::string>(user1.begin(), user1.begin() + 3) ==
        std::vector<std::string>(user2.begin(), user2.begin() + 3));
  CHECK(user1[4] != user2[4]);
  CHECK(changed("FROM alpine:3.20\nWORKDIR /x\nCOPY requirements.txt .\nRUN cat "
                "requirements.txt\n") == Changed{0, 1, 1, 1});
  CHECK(changed("FROM alpine:3.20\nWORKDIR /w\nCOPY --chmod=600 requirements.txt .\nRUN cat "
                "requirements.txt\n") == Changed{0, 0, 1, 1});
  // --link: the COPY's key no longer depends on its parent.
  app.dockerfile = "FROM alpine:3.20\nWORKDIR /w\nCOPY --link requirements.txt /r\n";
  std::string linked = Keys(app.MakePlan())[2];
  app.dockerfile = "FROM alpine:3.21\nWORKDIR /v\nCOPY --link requirements.txt /r\n";
  CHECK(Keys(app.MakePlan())[2] == linked);
}

}  // namespace
}  // namespace dockit::plan

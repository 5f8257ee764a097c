// The planner's cache predictions on a small app: build it (recorded as if every step ran),
// make one change, and check the predicted HIT/MISS of every layer step and the reasons. The
// expected answers are BuildKit's (see tests/README.md for how they were checked).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_record.hpp"
#include "planner/predict.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

struct App {
  fs::path dir = fs::temp_directory_path() / ("dockit-scenario-" + std::to_string(getpid()));
  BuildRecord record;
  std::string dockerfile;
  PlanOptions options;

  App() {
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    Write("requirements.txt", "flask==3.0.0\n");
    Write("src/app.py", "print('hello')\n");
    Write("src/util.py", "X = 1\n");
    Write("notes.md", "not part of the image\n");
    Write(".dockerignore", "*.md\n");
    options.context_dir = dir.string();
  }
  ~App() { fs::remove_all(dir); }

  void Write(const std::string& path, const std::string& text) {
    std::ofstream(dir / path, std::ios::binary | std::ios::trunc) << text;
  }

  Plan MakePlan() {
    auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", dockerfile));
    REQUIRE(tree);
    auto plan = BuildPlan(*tree, options);
    if (!plan) FAIL(plan.Error().message);
    return std::move(plan).Value();
  }

  // Records every step as built, as an executor would.
  void Build() {
    Plan plan = MakePlan();
    for (const Step& s : plan.steps) {
      if (s.kind != StepKind::kConfig) record.Remember(plan, s, RecordEntry{"", 10, 1000, "test"});
    }
  }

  // "HIT" or "MISS: reason" for every layer step, in order.
  std::vector<std::string> Predictions(bool no_cache = false) {
    Plan plan = MakePlan();
    PredictOptions options;
    options.no_cache = no_cache;
    options.now = 1000 + 180;
    Prediction p = Predict(plan, record, options);
    std::vector<std::string> out;
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      if (plan.steps[i].kind == StepKind::kConfig) continue;
      const StepPrediction& s = p.steps[i];
      out.push_back(s.verdict == CacheVerdict::kHit ? "HIT" : "MISS: " + s.reason);
    }
    return out;
  }
};

using V = std::vector<std::string>;

const char* kCopyAllFirst =
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY . .\n"
    "RUN pip install -r requirements.txt\n"
    "CMD [\"python\", \"src/app.py\"]\n";

const char* kManifestFirst =
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY requirements.txt .\n"
    "RUN pip install -r requirements.txt\n"
    "COPY src/ src/\n"
    "CMD [\"python\", \"src/app.py\"]\n";

TEST_CASE("scenario: no change hits everywhere", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  CHECK(app.Predictions() == V{"MISS: never built", "MISS: never built", "MISS: never built",
                               "MISS: never built", "MISS: never built"});
  app.Build();
  CHECK(app.Predictions() == V{"HIT", "HIT", "HIT", "HIT", "HIT"});
  Plan plan = app.MakePlan();
  PredictOptions options;
  options.now = 1000 + 180;
  Prediction p = Predict(plan, app.record, options);
  CHECK(p.steps[0].reason == "built 3 minutes ago (test)");
}

TEST_CASE("scenario: a source file edited, with COPY-all before the install",
          "[planner][scenario]") {
  App app;
  app.dockerfile = kCopyAllFirst;
  app.Build();
  app.Write("src/app.py", "print('hello, world')\n");
  CHECK(app.Predictions() ==
        V{"HIT", "HIT", "MISS: src/app.py changed (content)", "MISS: parent step 3 missed"});
}

TEST_CASE("scenario: a source file edited, with the manifest copied first", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  app.Write("src/app.py", "print('hello, world')\n");
  CHECK(app.Predictions() == V{"HIT", "HIT", "HIT", "HIT", "MISS: src/app.py changed (content)"});
}

TEST_CASE("scenario: requirements edited", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  app.Write("requirements.txt", "flask==3.0.1\n");
  CHECK(app.Predictions() == V{"HIT", "HIT", "MISS: requirements.txt changed (content)",
                               "MISS: parent step 3 missed", "MISS: parent step 4 missed"});
}

TEST_CASE("scenario: a file excluded by .dockerignore edited", "[planner][scenario]") {
  App app;
  app.dockerfile = kCopyAllFirst;
  app.Build();
  app.Write("notes.md", "edited\n");
  CHECK(app.Predictions() == V{"HIT", "HIT", "HIT", "HIT"});
}

TEST_CASE("scenario: only a file mode changed", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  fs::permissions(app.dir / "src/util.py", fs::perms::owner_exec, fs::perm_options::add);
  CHECK(app.Predictions() == V{"HIT", "HIT", "HIT", "HIT", "MISS: src/util.py changed (mode)"});
}

TEST_CASE("scenario: only an mtime changed", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  fs::last_write_time(app.dir / "src/app.py",
                      fs::last_write_time(app.dir / "src/app.py") + std::chrono::hours(1));
  CHECK(app.Predictions() == V{"HIT", "HIT", "HIT", "HIT", "HIT"});
}

TEST_CASE("scenario: an ARG used by no step changed", "[planner][scenario]") {
  // BuildKit puts every ARG with a value into the environment of the RUNs after it, so the RUN
  // misses although it never reads the variable; the COPY before it does not.
  App app;
  app.dockerfile =
      "FROM python:3.12-slim\nARG UNUSED=1\nCOPY requirements.txt .\nRUN pip install -r "
      "requirements.txt\n";
  app.Build();
  app.options.analyze.build_args["UNUSED"] = "2";
  CHECK(app.Predictions() == V{"HIT", "HIT", "MISS: build-arg UNUSED changed from 1 to 2"});
  // A global ARG that the stage does not declare is not in scope: nothing misses.
  App global;
  global.dockerfile = "ARG UNUSED=1\nFROM python:3.12-slim\nRUN true\n";
  global.Build();
  global.options.analyze.build_args["UNUSED"] = "2";
  CHECK(global.Predictions() == V{"HIT", "HIT"});
}

TEST_CASE("scenario: an ENV changed", "[planner][scenario]") {
  App app;
  app.dockerfile =
      "FROM python:3.12-slim\nENV MODE=dev\nCOPY requirements.txt .\nRUN pip install -r "
      "requirements.txt\n";
  app.Build();
  app.dockerfile =
      "FROM python:3.12-slim\nENV MODE=prod\nCOPY requirements.txt .\nRUN pip install -r "
      "requirements.txt\n";
  CHECK(app.Predictions() == V{"HIT", "HIT", "MISS: ENV MODE changed from dev to prod"});
}

TEST_CASE("scenario: the base image changed", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  app.dockerfile = std::string("FROM python:3.13-slim\n") + (kManifestFirst + 22);
  CHECK(app.Predictions() == V{"MISS: base image changed from python:3.12-slim to python:3.13-slim",
                               "MISS: parent step 1 missed", "MISS: parent step 2 missed",
                               "MISS: parent step 3 missed", "MISS: parent step 4 missed"});
}

TEST_CASE("scenario: --no-cache", "[planner][scenario]") {
  App app;
  app.dockerfile = kManifestFirst;
  app.Build();
  // As BuildKit does (checked with Docker 20.10's BuildKit, see tests/README.md): the folder
  // WORKDIR makes is still taken from the cache under --no-cache.
  CHECK(app.Predictions(/*no_cache=*/true) ==
        V{"MISS: --no-cache", "HIT", "MISS: --no-cache", "MISS: --no-cache", "MISS: --no-cache"});
}

TEST_CASE("scenario: only a stage the target does not need changed", "[planner][scenario]") {
  App app;
  app.dockerfile =
      "FROM alpine:3.20 AS docs\nRUN echo v1 > /docs\n"
      "FROM python:3.12-slim AS app\nCOPY src/ /app/\n"
      "FROM app\nCMD [\"python\", \"/app/app.py\"]\n";
  app.options.target = "app";
  app.Build();
  app.dockerfile =
      "FROM alpine:3.20 AS docs\nRUN echo v2 > /docs\n"
      "FROM python:3.12-slim AS app\nCOPY src/ /app/\n"
      "FROM app\nCMD [\"python\", \"/app/app.py\"]\n";
  CHECK(app.Predictions() == V{"HIT", "HIT"});  // the docs stage is not even planned
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

// The scenarios of the planner issue: a small app, built, then one change, and BuildKit's answer
// for every layer step (checked with a real BuildKit, see tests/README.md). The planner's
// predictions (tests/planner/scenarios_test.cpp) and the simulator's builds
// (tests/sim/scenarios_test.cpp) must both give these answers.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_record.hpp"
#include "planner/predict.hpp"

namespace dockit::plan::testing {

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

  // Records every step as built, as an executor would (the planner tests' build).
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

inline const char* kCopyAllFirst =
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY . .\n"
    "RUN pip install -r requirements.txt\n"
    "CMD [\"python\", \"src/app.py\"]\n";

inline const char* kManifestFirst =
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY requirements.txt .\n"
    "RUN pip install -r requirements.txt\n"
    "COPY src/ src/\n"
    "CMD [\"python\", \"src/app.py\"]\n";

struct Scenario {
  std::string name;
  std::string dockerfile;                            // what is built first
  std::function<void(App&)> change;                  // then this, before the second build
  V expected;                                        // each layer step: "HIT" or "MISS: reason"
  bool no_cache = false;                             // the second build's --no-cache
  std::optional<std::string> target = std::nullopt;  // --target, for both builds
};

inline std::vector<Scenario> Scenarios() {
  auto edit = [](std::string path, std::string text) {
    return [path, text](App& app) { app.Write(path, text); };
  };
  auto dockerfile = [](std::string text) { return [text](App& app) { app.dockerfile = text; }; };
  return {
      {"no change", kManifestFirst, [](App&) {}, V{"HIT", "HIT", "HIT", "HIT", "HIT"}},
      {"a source file edited, with COPY-all before the install", kCopyAllFirst,
       edit("src/app.py", "print('hello, world')\n"),
       V{"HIT", "HIT", "MISS: src/app.py changed (content)", "MISS: parent step 3 missed"}},
      {"a source file edited, with the manifest copied first", kManifestFirst,
       edit("src/app.py", "print('hello, world')\n"),
       V{"HIT", "HIT", "HIT", "HIT", "MISS: src/app.py changed (content)"}},
      {"requirements edited", kManifestFirst, edit("requirements.txt", "flask==3.0.1\n"),
       V{"HIT", "HIT", "MISS: requirements.txt changed (content)", "MISS: parent step 3 missed",
         "MISS: parent step 4 missed"}},
      {"a file excluded by .dockerignore edited", kCopyAllFirst, edit("notes.md", "edited\n"),
       V{"HIT", "HIT", "HIT", "HIT"}},
      {"only a file mode changed", kManifestFirst,
       [](App& app) {
         fs::permissions(app.dir / "src/util.py", fs::perms::owner_exec, fs::perm_options::add);
       },
       V{"HIT", "HIT", "HIT", "HIT", "MISS: src/util.py changed (mode)"}},
      {"only an mtime changed", kManifestFirst,
       [](App& app) {
         fs::last_write_time(app.dir / "src/app.py",
                             fs::last_write_time(app.dir / "src/app.py") + std::chrono::hours(1));
       },
       V{"HIT", "HIT", "HIT", "HIT", "HIT"}},
      // BuildKit puts every ARG with a value into the environment of the RUNs after it, so the
      // RUN misses although it never reads the variable; the COPY before it does not.
      {"an ARG used by no step changed",
       "FROM python:3.12-slim\nARG UNUSED=1\nCOPY requirements.txt .\nRUN pip install -r "
       "requirements.txt\n",
       [](App& app) { app.options.analyze.build_args["UNUSED"] = "2"; },
       V{"HIT", "HIT", "MISS: build-arg UNUSED changed from 1 to 2"}},
      // A global ARG that the stage does not declare is not in scope: nothing misses.
      {"a global ARG no stage declares changed", "ARG UNUSED=1\nFROM python:3.12-slim\nRUN true\n",
       [](App& app) { app.options.analyze.build_args["UNUSED"] = "2"; }, V{"HIT", "HIT"}},
      {"an ENV changed",
       "FROM python:3.12-slim\nENV MODE=dev\nCOPY requirements.txt .\nRUN pip install -r "
       "requirements.txt\n",
       dockerfile("FROM python:3.12-slim\nENV MODE=prod\nCOPY requirements.txt .\nRUN pip "
                  "install -r requirements.txt\n"),
       V{"HIT", "HIT", "MISS: ENV MODE changed from dev to prod"}},
      {"the base image changed", kManifestFirst,
       dockerfile(std::string("FROM python:3.13-slim\n") + (kManifestFirst + 22)),
       V{"MISS: base image changed from python:3.12-slim to python:3.13-slim",
         "MISS: parent step 1 missed", "MISS: parent step 2 missed", "MISS: parent step 3 missed",
         "MISS: parent step 4 missed"}},
      // As BuildKit does (checked with Docker 20.10's BuildKit, see tests/README.md): the folder
      // WORKDIR makes is still taken from the cache under --no-cache.
      {"--no-cache", kManifestFirst, [](App&) {},
       V{"MISS: --no-cache", "HIT", "MISS: --no-cache", "MISS: --no-cache", "MISS: --no-cache"},
       true},
      {"only a stage the target does not need changed",
       "FROM alpine:3.20 AS docs\nRUN echo v1 > /docs\n"
       "FROM python:3.12-slim AS app\nCOPY src/ /app/\n"
       "FROM app\nCMD [\"python\", \"/app/app.py\"]\n",
       dockerfile("FROM alpine:3.20 AS docs\nRUN echo v2 > /docs\n"
                  "FROM python:3.12-slim AS app\nCOPY src/ /app/\n"
                  "FROM app\nCMD [\"python\", \"/app/app.py\"]\n"),
       V{"HIT", "HIT"}, false, "app"},  // the docs stage is not even planned
  };
}

}  // namespace dockit::plan::testing

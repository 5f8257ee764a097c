// Builds on the simulator through the build driver: layers, sizes, cache hits on a rebuild,
// the miss after an edit, multi-stage COPY --from, and errors with positions.
#include "sim/build_executor.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/build_driver.hpp"
#include "planner/digest.hpp"
#include "planner/predict.hpp"
#include "sim/image_catalogue.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;
using plan::CacheVerdict;

struct World {
  fs::path dir = fs::temp_directory_path() / ("dockit-simbuild-" + std::to_string(getpid()));
  LayerStore layers;
  TextStore texts;
  plan::BuildRecord record;
  int64_t now = 1'700'000'000;

  World() {
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    Write("requirements.txt", "flask==3.0.0\n");
    Write("src/app.py", "print('hello')\n");
    Write("notes.md", "not in the image\n");
    Write(".dockerignore", "*.md\n");
  }
  ~World() { fs::remove_all(dir); }

  void Write(const std::string& path, const std::string& text) {
    std::ofstream(dir / path, std::ios::binary | std::ios::trunc) << text;
  }

  plan::Plan Plan(const std::string& dockerfile) {
    auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", dockerfile));
    REQUIRE(tree);
    plan::PlanOptions options;
    options.context_dir = dir.string();
    auto plan = plan::BuildPlan(*tree, options);
    if (!plan) FAIL(plan.Error().message);
    return std::move(plan).Value();
  }

  Result<plan::BuildOutcome> Build(const plan::Plan& plan, bool no_cache = false) {
    BuildExecutor executor(layers, texts, CatalogueResolver(layers, texts), dir.string());
    now += 60;
    return plan::ExecutePlan(plan, executor, record, {no_cache, now, nullptr, nullptr});
  }
};

std::vector<std::string> Verdicts(const plan::BuildOutcome& outcome) {
  std::vector<std::string> out;
  for (const plan::StepReport& r : outcome.steps) {
    out.push_back(r.verdict == CacheVerdict::kHit ? "HIT" : "MISS: " + r.reason);
  }
  return out;
}

const char* kApp =
    "FROM python:3.11-slim\n"
    "WORKDIR /app\n"
    "COPY requirements.txt .\n"
    "COPY src/ ./src/\n"
    "ENV PORT=8000\n"
    "CMD [\"python\", \"src/app.py\"]\n";

TEST_CASE("a simulated build commits the layers the plan predicts", "[sim][build]") {
  World w;
  plan::Plan plan = w.Plan(kApp);
  auto built = w.Build(plan);
  REQUIRE(built);
  const plan::BuiltImage& image = built->image;
  // python:3.11-slim's layers, then WORKDIR, and the two COPYs.
  auto base = FindBaseImage("python:3.11-slim");
  REQUIRE(base);
  CHECK(image.layers.size() == base->layers.Layers().size() + 3);
  CHECK(image.config.working_dir == "/app");
  CHECK(image.config.cmd == std::vector<std::string>{"python", "src/app.py"});
  bool has_port = false;
  for (const auto& [k, v] : image.config.env) has_port |= k == "PORT" && v == "8000";
  CHECK(has_port);
  // The COPY layers are exactly the predicted sizes, and the files hold the context's text.
  plan::Prediction predicted = plan::Predict(plan, plan::BuildRecord(), plan::PredictOptions());
  for (const plan::StepReport& r : built->steps) {
    const plan::StepPrediction& p = predicted.steps[r.step];
    if (p.size) CHECK(r.size == *p.size);
  }
  CHECK(image.size == base->layers.Size() + 13 + 15);
  CHECK(w.texts.Get(plan::Sha256Of("flask==3.0.0\n")));
  // History: the base's lines, then one per step (config steps as empty layers).
  REQUIRE(image.history.size() == base->history.size() + 5);
  CHECK(image.history.back().created_by == "CMD [\"python\", \"src/app.py\"]");
  CHECK(image.history.back().empty_layer);
  CHECK(image.history[base->history.size() + 1].created_by == "COPY requirements.txt . # buildkit");
}

TEST_CASE("a simulated rebuild hits the cache until an input changes", "[sim][build]") {
  World w;
  REQUIRE(w.Build(w.Plan(kApp)));
  auto again = w.Build(w.Plan(kApp));
  REQUIRE(again);
  CHECK(Verdicts(*again) == std::vector<std::string>{"HIT", "HIT", "HIT", "HIT"});
  w.Write("src/app.py", "print('changed')\n");
  w.Write("notes.md", "ignored by .dockerignore\n");
  auto edited = w.Build(w.Plan(kApp));
  REQUIRE(edited);
  CHECK(Verdicts(*edited) ==
        std::vector<std::string>{"HIT", "HIT", "HIT", "MISS: src/app.py changed (content)"});
  auto no_cache = w.Build(w.Plan(kApp), /*no_cache=*/true);
  REQUIRE(no_cache);
  CHECK(Verdicts(*no_cache)[2] == "MISS: --no-cache");
  // The same inputs give the same layers, so the image is the same.
  CHECK(no_cache->image.layers == edited->image.layers);
}

TEST_CASE("a cache hit needs the layer: a pruned store rebuilds", "[sim][build]") {
  World w;
  plan::Plan plan = w.Plan(kApp);
  REQUIRE(w.Build(plan));
  w.layers.clear();
  auto rebuilt = w.Build(plan);
  REQUIRE(rebuilt);
  CHECK(Verdicts(*rebuilt)[2] == "MISS: its layer is no longer held by the sim backend");
}

TEST_CASE("COPY --from takes files from another stage's rootfs", "[sim][build]") {
  World w;
  auto built =
      w.Build(w.Plan("FROM alpine:3.20 AS build\n"
                     "WORKDIR /src\n"
                     "COPY src/app.py /src/out/app.py\n"
                     "FROM busybox\n"
                     "COPY --from=build --chown=1000:1000 /src/out /opt/app\n"
                     "COPY --from=build /etc/alpine-release /etc/os-of-builder\n"));
  REQUIRE(built);
  LayerStack stack;
  for (const std::string& id : built->image.layers) {
    auto next = stack.Push(w.layers.at(id));
    REQUIRE(next);
    stack = std::move(next).Value();
  }
  auto copied = stack.View().Lstat("/opt/app/app.py");
  REQUIRE(copied);
  CHECK(copied->size == 15);
  CHECK(copied->uid == 1000);
  CHECK(stack.View().Lstat("/etc/os-of-builder"));
  CHECK_FALSE(stack.View().Lstat("/etc/alpine-release"));
}

TEST_CASE("COPY --from a stage that ran commands copies a placeholder for what they made",
          "[sim][build]") {
  World w;
  auto built =
      w.Build(w.Plan("FROM alpine AS build\n"
                     "RUN apk add --no-cache build-base && make\n"
                     "FROM alpine\n"
                     "COPY --from=build /out/app /usr/local/bin/app\n"));
  REQUIRE(built);
  const plan::StepReport& copy = built->steps.back();
  CHECK(copy.output.find("/out/app is not in the simulated stage") != std::string::npos);
  CHECK(copy.size == 0);
  // Without a RUN in the source stage, a missing path is Docker's error.
  auto missing = w.Build(w.Plan("FROM alpine AS build\nFROM alpine\nCOPY --from=build /nope /x\n"));
  REQUIRE_FALSE(missing);
  CHECK(missing.Error().range.begin.line == 3);
}

TEST_CASE("COPY --chown resolves user and group names in the image's files", "[sim][build]") {
  World w;
  auto built =
      w.Build(w.Plan("FROM debian:bookworm\nCOPY --chown=nobody:nogroup src/app.py /app.py\n"));
  REQUIRE(built);
  LayerStack stack;
  for (const std::string& id : built->image.layers) {
    auto next = stack.Push(w.layers.at(id));
    REQUIRE(next);
    stack = std::move(next).Value();
  }
  auto copied = stack.View().Lstat("/app.py");
  REQUIRE(copied);
  CHECK(copied->uid == 65534);
  CHECK(copied->gid == 65534);
  auto bad_group =
      w.Build(w.Plan("FROM debian:bookworm\nCOPY --chown=nobody:nosuchgroup src /x\n"));
  REQUIRE_FALSE(bad_group);
  CHECK(bad_group.Error().message ==
        "unable to find group nosuchgroup: no matching entries in group file");
}

TEST_CASE("simulated build errors carry the instruction's position", "[sim][build]") {
  World w;
  auto unknown_base = w.Build(w.Plan("FROM nosuchimage:1\nRUN true\n"));
  REQUIRE_FALSE(unknown_base);
  CHECK(unknown_base.Error().range.begin.line == 1);
  CHECK(unknown_base.Error().message.find("catalogue") != std::string::npos);
  auto unknown_user = w.Build(w.Plan("FROM alpine\nCOPY --chown=nobody2 src /x\n"));
  REQUIRE_FALSE(unknown_user);
  CHECK(unknown_user.Error().range.begin.line == 2);
  CHECK(unknown_user.Error().message ==
        "unable to find user nobody2: no matching entries in passwd file");
}

}  // namespace
}  // namespace dockit::sim

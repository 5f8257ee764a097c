// The build driver with a scripted backend: what it asks the backend, what it records, and how
// a failing RUN stops the build.
#include "planner/build_driver.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "parser/dockerfile_parser.hpp"

namespace dockit::plan {
namespace {

// Every RUN makes a layer named after its step; `fail_at` makes that step exit 3.
class ScriptedExecutor : public Executor {
 public:
  std::vector<size_t> executed;
  std::optional<size_t> fail_at;
  std::set<std::string> held;

  std::string Backend() const override { return "test"; }
  Result<BaseImage> Base(const std::string& reference) override {
    if (reference != "base:1") return Diagnostic{"no-image", "no such image", {}, Severity::kError};
    held.insert("sha256:base");
    return BaseImage{{"sha256:base"}, 100, {}, {{"base layer", 0, 100, false}}};
  }
  bool HasLayer(const std::string& diff_id) const override { return held.count(diff_id); }
  Result<StepOutput> Execute(const StepInput& input) override {
    executed.push_back(input.step);
    StepOutput out;
    if (fail_at == input.step) {
      out.exit_code = 3;
      out.output = "line 1\nline 2\nboom\n";
      return out;
    }
    Layer layer;
    layer.diff_id = "sha256:layer-" + std::to_string(input.step) + "-on-" +
                    std::to_string(input.parent_layers.size());
    layer.size = 10;
    held.insert(layer.diff_id);
    out.layer = layer;
    return out;
  }
};

Plan MakePlan(const std::string& text) {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", text));
  REQUIRE(tree);
  auto plan = BuildPlan(*tree, PlanOptions{});
  if (!plan) FAIL(plan.Error().message);
  return std::move(plan).Value();
}

TEST_CASE("the driver runs misses, reuses hits and records what each step made", "[planner]") {
  Plan plan = MakePlan("FROM base:1\nRUN a\nENV X=1\nRUN b\nCMD [\"b\"]\n");
  ScriptedExecutor executor;
  BuildRecord record;
  auto first = ExecutePlan(plan, executor, record, {false, 1000, nullptr, nullptr});
  REQUIRE(first);
  CHECK(executor.executed == std::vector<size_t>{1, 3});
  CHECK(first->image.layers.size() == 3);
  CHECK(first->image.size == 120);
  CHECK(first->image.config.cmd == std::vector<std::string>{"b"});
  REQUIRE(first->image.history.size() == 5);
  CHECK(first->image.history[1].created_by == "RUN /bin/sh -c a # buildkit");
  CHECK(first->image.history[2].created_by == "ENV X=1");
  CHECK(first->image.history[2].empty_layer);

  executor.executed.clear();
  auto second = ExecutePlan(plan, executor, record, {false, 1300, nullptr, nullptr});
  REQUIRE(second);
  CHECK(executor.executed.empty());
  CHECK(second->image.layers == first->image.layers);
  REQUIRE(second->steps.size() == 3);
  CHECK(second->steps[1].verdict == CacheVerdict::kHit);
  CHECK(second->steps[1].reason == "built 5 minutes ago (test)");

  // A layer the backend no longer holds is built again.
  executor.held.erase(first->image.layers[1]);
  executor.executed.clear();
  auto third = ExecutePlan(plan, executor, record, {false, 1400, nullptr, nullptr});
  REQUIRE(third);
  CHECK(executor.executed == std::vector<size_t>{1});
}

TEST_CASE("a failing RUN stops the build at its position, keeping what finished", "[planner]") {
  Plan plan = MakePlan("FROM base:1\nRUN a\nRUN fails\nRUN never\n");
  ScriptedExecutor executor;
  executor.fail_at = 2;
  BuildRecord record;
  auto built = ExecutePlan(plan, executor, record, {false, 1000, nullptr, nullptr});
  REQUIRE_FALSE(built);
  CHECK(built.Error().range.begin.line == 3);
  CHECK(built.Error().message ==
        "process \"/bin/sh -c fails\" did not complete successfully: exit code: 3\n"
        "line 1\nline 2\nboom");
  CHECK(executor.executed == std::vector<size_t>{1, 2});
  CHECK(record.Find(plan.steps[1].key));
  CHECK_FALSE(record.Find(plan.steps[2].key));

  auto bad_base = ExecutePlan(MakePlan("FROM other:2\nRUN a\n"), executor, record,
                              {false, 1000, nullptr, nullptr});
  REQUIRE_FALSE(bad_base);
  CHECK(bad_base.Error().range.begin.line == 1);
}

}  // namespace
}  // namespace dockit::plan

#include "planner/stage_graph.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"

namespace dockit::plan {
namespace {

Result<StageGraph> Graph(std::string text, std::optional<std::string> target = std::nullopt) {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)));
  REQUIRE(tree);
  Analysis analysis = AnalyzeDockerfile(*tree, {});
  return BuildStageGraph(analysis, StageGraphOptions{target});
}

using Levels = std::vector<std::vector<size_t>>;

const char* kMultiStage =
    "FROM golang:1.22 AS deps\n"               // 0
    "FROM deps AS build\n"                     // 1
    "COPY --from=tools /x /x\n"                // tools is an image here
    "FROM node:20 AS web\n"                    // 2
    "FROM alpine:3.20 AS test\n"               // 3
    "RUN --mount=from=build,target=/b true\n"  // 3 needs 1
    "FROM alpine:3.20\n"                       // 4
    "COPY --from=build /app /app\n"            // 4 needs 1
    "COPY --from=2 /dist /www\n";              // 4 needs 2

TEST_CASE("stage edges, pruning and parallel levels", "[planner][graph]") {
  auto g = Graph(kMultiStage);
  REQUIRE(g);
  CHECK(g->target == 4);
  REQUIRE(g->edges.size() == 4);
  CHECK(g->edges[0].kind == EdgeKind::kBase);
  CHECK(g->edges[1].kind == EdgeKind::kMountFrom);
  CHECK(g->needed == std::vector<bool>{true, true, true, false, true});
  CHECK(g->levels == Levels{{0, 2}, {1}, {4}});
  CHECK(g->order == std::vector<size_t>{0, 2, 1, 4});

  auto test = Graph(kMultiStage, "TEST");  // target names are case-insensitive
  REQUIRE(test);
  CHECK(test->target == 3);
  CHECK(test->levels == Levels{{0}, {1}, {3}});
}

TEST_CASE("stage graph errors carry a position", "[planner][graph]") {
  auto unknown = Graph(kMultiStage, "biuld");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.Error().message ==
        "target stage \"biuld\" could not be found (did you mean \"build\"?)");

  auto later = Graph("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n");
  REQUIRE_FALSE(later);
  CHECK(later.Error().code == "stage-defined-later");
  CHECK(later.Error().range.begin.line == 2);

  auto cycle =
      Graph("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
  REQUIRE_FALSE(cycle);
  CHECK(cycle.Error().code == "stage-cycle");

  auto index = Graph("FROM alpine\nCOPY --from=7 /x /x\n");
  REQUIRE_FALSE(index);
  CHECK(index.Error().message == "invalid stage index 7: the file has 1 stages (0 to 0)");
  CHECK(index.Error().range.begin.line == 2);

  auto self = Graph("FROM alpine AS a\nCOPY --from=a /x /x\n");
  REQUIRE_FALSE(self);
  CHECK(self.Error().code == "stage-self-reference");
}

}  // namespace
}  // namespace dockit::plan

// `docker build` on the simulator: plans the Dockerfile, executes the plan through the build
// driver on the BuildExecutor, prints BuildKit's plain progress (CACHED, or why a step is
// rebuilt, and what the RUN model could not do), and gives the image.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "parser/instructions.hpp"
#include "planner/build_driver.hpp"
#include "planner/build_record.hpp"
#include "sim/build_executor.hpp"
#include "sim/image.hpp"

namespace dockit::sim {

struct BuildRequest {
  std::string context;     // the build context directory
  std::string dockerfile;  // "" = <context>/Dockerfile
  std::vector<std::string> tags;
  std::optional<std::string> target;
  AnalyzeOptions analyze;  // --build-arg
  bool no_cache = false;
  bool generate_context = false;  // make up missing COPY sources (generated_context.hpp)
};

// What the build writes into: the world's layer store, texts and build record, its clock.
struct BuildWorld {
  LayerStore& layers;
  TextStore& texts;
  plan::BuildRecord& record;
  int64_t now = 0;
  BaseResolver resolve_base;
};

struct BuildResult {
  std::shared_ptr<const plan::Plan> plan;  // what was built (for the cache timeline)
  Image image;
  std::vector<plan::StepReport> steps;
  size_t cached = 0;
};

// Builds, printing progress to `out`. Errors (an unreadable Dockerfile, a parse error, a failed
// RUN) are values with the Dockerfile's position; the record keeps what finished steps made.
Result<BuildResult> RunBuild(const BuildRequest& request, BuildWorld& world, std::ostream& out);

// The layers of `diff_ids` from the store, stacked.
Result<LayerStack> StackFromStore(const LayerStore& layers, const std::vector<std::string>& ids);

}  // namespace dockit::sim

// `dexec build` on the real runtime: plans the Dockerfile (with the content digests `dexec
// plan` remembers), executes the plan through the planner's build driver on the RealExecutor,
// prints BuildKit's plain progress (RUN output streamed as it comes), records each finished
// step in the store's build record, and commits and tags the image only when every step
// succeeded.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/instructions.hpp"
#include "planner/build_driver.hpp"
#include "runtime/oci.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

struct RealBuildRequest {
  std::string context;     // the build context directory
  std::string dockerfile;  // "" = <context>/Dockerfile
  std::vector<std::string> tags;
  std::optional<std::string> target;
  AnalyzeOptions analyze;  // --build-arg
  bool no_cache = false;
  NetworkMode network = NetworkMode::kNone;
  std::string root;  // ROOT (the store is ROOT/runtime; the digest cache ROOT/digests)
};

struct RealBuildResult {
  StoredImage image;
  std::vector<plan::StepReport> steps;
  size_t cached = 0;
};

// Builds, printing progress to `out`. Errors are values: a step's carries the step's
// Dockerfile position (RenderBuildError shows it with the source line).
Result<RealBuildResult> RunRealBuild(const RealBuildRequest& request, const Store& store,
                                     std::ostream& out);

// "ERROR: Dockerfile:7:1: ..." with the source line and caret when the error has a position.
std::string RenderBuildError(const RealBuildRequest& request, const Diagnostic& error);

// "busybox" -> "docker.io/library/busybox:latest", as BuildKit names what it tags.
std::string QualifiedName(std::string_view reference);

}  // namespace dockit::runtime

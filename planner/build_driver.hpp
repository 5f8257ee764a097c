// Executes a plan on a backend: for each step, the cache decision (the same rule the
// predictions use, so that what `dexec plan` says is what a build does), the backend's
// Execute for the misses, and the build record updated with what each step produced. The
// simulator and the real runtime both build through this one driver.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/build_record.hpp"
#include "planner/executor.hpp"
#include "planner/plan.hpp"
#include "planner/predict.hpp"

namespace dockit::plan {

// What happened to one step, in plan order.
struct StepReport {
  size_t step = 0;    // index in Plan::steps
  size_t number = 0;  // 1-based among the steps that are not config-only (0 for those)
  CacheVerdict verdict = CacheVerdict::kNone;
  std::string reason;  // as in the predictions: "built 3 minutes ago", "never built"
  std::string layer;   // the diff_id of the step's layer; "" when it made none
  uint64_t size = 0;   // the layer's size
  std::string output;  // a RUN's output (misses only: a cached step does not run)
  double seconds = 0;  // the backend's time for the step (virtual in the simulator)
};

struct BuiltImage {
  std::vector<std::string> layers;  // diff_ids, bottom first
  uint64_t size = 0;
  ImageConfig config;
  std::vector<HistoryEntry> history;
};

struct BuildOutcome {
  std::vector<StepReport> steps;  // the steps that ran or were taken from the cache
  BuiltImage image;               // the target stage's image
};

struct DriveOptions {
  bool no_cache = false;
  int64_t now = 0;  // Unix seconds: record times and "built N minutes ago"
  // Called as each step starts and when it is done (progress output).
  std::function<void(const Step&, size_t number)> on_start;
  std::function<void(const StepReport&)> on_done;
};

// Runs `plan` on `executor`, updating `record` as steps complete (a failed build keeps what
// its finished steps produced, as BuildKit's cache does). A failing RUN is an error at the
// RUN's position with the exit code and the last lines of its output.
Result<BuildOutcome> ExecutePlan(const Plan& plan, Executor& executor, BuildRecord& record,
                                 const DriveOptions& options);

// The `docker history` line BuildKit writes for a step: "RUN /bin/sh -c make # buildkit",
// "COPY src/ /app/ # buildkit", "ENV A=1", "WORKDIR /app".
std::string CreatedBy(const Plan& plan, const Step& step);

}  // namespace dockit::plan

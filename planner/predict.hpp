// Predictions before anything runs: for each step of a plan, HIT or MISS with a reason a person
// understands, the layer size when it can be known, and the image total.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/build_record.hpp"
#include "planner/declared_sizes.hpp"
#include "planner/plan.hpp"

namespace dockit::plan {

enum class CacheVerdict { kHit, kMiss, kNone /* a config step: no cache lookup */ };

struct StepPrediction {
  CacheVerdict verdict = CacheVerdict::kNone;
  std::string reason;            // "built 3 minutes ago", "src/app.py changed (content)"
  std::optional<uint64_t> size;  // the layer's bytes; nullopt when unknown
  // "context", "record", "none" (no layer), "unknown", or for a RUN "command: ...",
  // "catalogue: ..." (an estimate), "declared: ..." with how the figure was made.
  std::string size_source;
};

struct PredictOptions {
  bool no_cache = false;  // --no-cache: every step misses
  int64_t now = 0;        // Unix seconds, for "built N minutes ago"
  // The build context on disk: `pip install -r FILE` and `npm ci` read the requirements and
  // package-lock.json that an earlier COPY of the chain put in the image from there.
  std::string context_dir;
  const DeclaredSizes* declared = nullptr;  // --sizes FILE (declared_sizes.hpp), optional
};

struct Prediction {
  std::vector<StepPrediction> steps;  // index-aligned with Plan::steps
  // The target image's size: the layers of the target stage's chain, when all are known.
  std::optional<uint64_t> image_size;
  uint64_t known_size = 0;  // the sum of the layers whose size is known
};

Prediction Predict(const Plan& plan, const BuildRecord& record, const PredictOptions& options);

// "3 minutes ago", "2 hours ago", "just now".
std::string Ago(int64_t seconds);

}  // namespace dockit::plan

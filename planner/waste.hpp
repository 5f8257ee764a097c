// Waste before the build, dive style: bytes a layer adds that a later layer of the same image
// deletes or overwrites. Deleting in a later layer never shrinks an image: the bytes stay in
// the layer that added them. What the planner can see: the files COPY/ADD take from the context
// (at their paths in the image), later COPYs to the same paths, and later RUNs whose `rm` names
// them (static paths only). Files a RUN creates are unknown before it runs, so the figure is a
// lower bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/plan.hpp"
#include "planner/predict.hpp"

namespace dockit::plan {

struct WastedFile {
  std::string path;  // in the image
  uint64_t bytes = 0;
  size_t added_by = 0;       // step index
  size_t removed_by = 0;     // step index
  bool overwritten = false;  // by a later COPY (else deleted by a RUN)
};

struct Waste {
  uint64_t wasted_bytes = 0;
  std::vector<WastedFile> files;  // largest first
  // (image size - wasted) / image size, when the image size is known.
  std::optional<double> efficiency;
};

Waste ComputeWaste(const Plan& plan, const Prediction& prediction);

}  // namespace dockit::plan

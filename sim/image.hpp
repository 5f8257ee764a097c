// An image in the simulated world: its layers, its config and its history, as `docker inspect`
// and `docker history` show them. Base images come from the catalogue (image_catalogue.hpp),
// built ones from the sim executor; containers, `images`, `history` and the state file all
// share this one type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "planner/executor.hpp"
#include "sim/layer_stack.hpp"

namespace dockit::sim {

// One line of `docker history`, bottom first in Image::history.
using HistoryEntry = plan::HistoryEntry;

struct Image {
  LayerStack layers;
  plan::ImageConfig config;
  std::vector<HistoryEntry> history;
  int64_t created = 0;  // virtual Unix seconds

  uint64_t Size() const { return layers.Size(); }
};

// "sha256:<hex>" over the config, the layers' diff_ids and the history, as Docker's image ID is
// the digest of the image's config JSON; the same image always has the same ID.
std::string ImageId(const Image& image);

}  // namespace dockit::sim

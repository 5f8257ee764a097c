// `--format svg` pictures for the classroom: an image's layer stack (as `docker history` lists
// it) and a build's cache timeline (each step as it ran: taken from the cache, or rebuilt and
// why).
#pragma once

#include <string>
#include <vector>

#include "planner/build_driver.hpp"
#include "sim/image.hpp"

namespace dockit::sim {

// The layers, newest on top, each labelled with the step that made it and its size.
std::string ImageLayersSvg(const Image& image, const std::string& name);

// The steps of one build in the order they ran, top first: green when cached, red when
// rebuilt, with the reason.
std::string BuildTimelineSvg(const plan::Plan& plan, const std::vector<plan::StepReport>& steps,
                             const std::string& name);

}  // namespace dockit::sim

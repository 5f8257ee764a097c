// `dexec plan --format svg`: the target image's layer stack as a picture a teacher can project.
#pragma once

#include <string>

#include "planner/predict.hpp"
#include "planner/waste.hpp"

namespace dockit::dexec {

// One bar per layer of the target's chain, oldest at the bottom: green for a predicted cache
// hit, red for a miss, grey when the size is unknown; the bar's width grows with the layer's
// size (logarithmically, so a 5 GB base and a 2 kB COPY both stay visible), and each bar is
// labelled with its instruction, size and reason.
std::string PlanSvg(const plan::Plan& plan, const plan::Prediction& prediction,
                    const plan::Waste& waste);

}  // namespace dockit::dexec

// The stages of a build as a graph (Boost.Graph): which stage needs which, the ones the target
// does not need pruned, a topological order and the stages that can build in parallel.
// Stage references follow BuildKit's dockerfile2llb: `FROM name` names an earlier stage,
// `COPY --from=` and `RUN --mount=from=` take a stage name or index (anything else is an image);
// copying from a stage defined further down is an error, and so is a dependency cycle.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/instructions.hpp"

namespace dockit::plan {

enum class EdgeKind { kBase, kCopyFrom, kMountFrom };

// `to` needs `from` (stage indexes): the base of `FROM from`, or the source of a copy or mount.
struct StageEdge {
  size_t from = 0;
  size_t to = 0;
  EdgeKind kind = EdgeKind::kBase;
  SourceRange range;  // the FROM image word, the --from flag or the --mount flag
};

struct StageGraph {
  size_t target = 0;                        // the stage that is built (default: the last one)
  std::vector<StageEdge> edges;             // every stage-to-stage dependency of the file
  std::vector<bool> needed;                 // per stage: the target depends on it (or is it)
  std::vector<size_t> order;                // the needed stages, dependencies first
  std::vector<std::vector<size_t>> levels;  // needed stages by depth: each level's stages can
                                            // build in parallel once the levels before are done
};

struct StageGraphOptions {
  std::optional<std::string> target;  // --target: a stage name
};

// The graph of `analysis`, or the first error: an unknown --target (with a did-you-mean), a
// copy from a later stage or a bad stage index, or a dependency cycle, each with its position.
Result<StageGraph> BuildStageGraph(const Analysis& analysis, const StageGraphOptions& options);

std::string_view EdgeKindName(EdgeKind kind);

}  // namespace dockit::plan

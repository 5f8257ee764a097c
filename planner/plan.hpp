// The build plan: one step per instruction of each stage the target needs, with everything that
// determines its result, and a cache key per step with BuildKit's semantics. The simulator and
// the real runtime execute this plan; the predictions (predict.hpp) compare its keys with a
// build record.
//
// Keys follow BuildKit's LLB: a RUN's key covers its parent, the command (with the SHELL
// prefix), the environment (ENV, and every in-scope ARG that has a value except the proxy
// args, since BuildKit puts build args in the RUN's environment), the working directory, the
// user, the mounts and the network and security modes; a COPY/ADD's key covers its parent
// (not with --link), the destination, --chown/--chmod and a checksum of the selected files'
// names, kinds, modes, owners, sizes, link targets and contents (never mtimes). LABEL, EXPOSE,
// CMD, ENTRYPOINT, ENV, USER and the like change only the image config: they are steps without
// a layer, and the ones that matter (ENV, ARG, USER, WORKDIR, SHELL) reach later keys through
// those fields.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/context_select.hpp"
#include "parser/diagnostic.hpp"
#include "parser/instructions.hpp"
#include "parser/shell.hpp"
#include "planner/digest_cache.hpp"
#include "planner/stage_graph.hpp"

namespace dockit::plan {

// One file a COPY/ADD takes from the build context.
struct PlannedFile {
  std::string path;  // context-relative
  EntryKind kind = EntryKind::kFile;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  std::string link_target;
  std::string digest;  // content digest of regular files; "" for the others
  // Where it lands in the image, with BuildKit's copy semantics: a file source into a folder
  // destination (trailing slash, several sources or a wildcard) keeps its name, a folder source
  // copies its contents.
  std::string image_path;
};

enum class StepKind {
  kBase,     // FROM an image (or scratch): the image's layers
  kRun,      // RUN: executes a command, makes a layer
  kCopy,     // COPY or ADD: makes a layer
  kWorkdir,  // WORKDIR other than /: BuildKit makes the folder (a small layer)
  kConfig,   // everything else: the image config changes, no layer, no cache lookup
};
std::string_view StepKindName(StepKind kind);

struct Step {
  size_t stage = 0;
  const Instruction* instruction = nullptr;
  StepKind kind = StepKind::kConfig;
  // The step this one builds on (index in Plan::steps): the previous step of the stage, or the
  // last step of the stage it is built FROM; nullopt for a base image.
  std::optional<size_t> parent;

  std::string image;                                     // kBase: reference, "scratch"
  std::vector<std::string> command;                      // kRun: argv as executed
  std::vector<std::pair<std::string, std::string>> env;  // kRun: ENV and ARG values, sorted
  std::string workdir = "/";                             // where the step runs or copies to
  std::string user;                                      // "" = root
  std::vector<Mount> mounts;                             // kRun
  std::string network, security;                         // kRun: --network, --security
  std::vector<PlannedFile> files;                        // kCopy from the context
  std::optional<size_t> from_stage;                      // kCopy --from=<stage>, --mount from
  std::string from_image;                                // kCopy --from=<image>
  std::vector<std::string> sources;                      // kCopy: sources as written
  std::string dest;                                      // kCopy: absolute destination
  std::string chown, chmod;
  bool link = false;
  std::vector<std::string> urls;  // ADD of remote files (their content is unknown here)

  // The cache key (kConfig steps carry their parent's) and the named inputs it is made of,
  // which predictions compare with the last build to say why a key changed.
  std::string key;
  std::map<std::string, std::string> parts;
  bool Layer() const {
    return kind == StepKind::kRun || kind == StepKind::kCopy || kind == StepKind::kWorkdir;
  }
};

struct Plan {
  std::shared_ptr<const SyntaxTree> tree;
  Analysis analysis;
  StageGraph graph;
  std::vector<Step> steps;                        // needed stages in graph order, each in order
  std::vector<std::optional<size_t>> stage_last;  // per stage: its last step, when planned
  // The shell view of every instruction (ShellViewsOf: the SHELL of each stage followed),
  // index-aligned with tree->instructions; parsed once for predictions and waste alike.
  std::vector<ShellScript> shells;
  const ShellScript& ShellOf(const Step& step) const {
    return shells[static_cast<size_t>(step.instruction - tree->instructions.data())];
  }
};

struct PlanOptions {
  AnalyzeOptions analyze;             // --build-arg values
  std::optional<std::string> target;  // --target
  std::string context_dir;            // the build context on disk
  DigestCache* digests = nullptr;     // reuse content digests between plans (optional)
};

// The plan, or the first error with its position: an invalid Dockerfile, a stage graph error, a
// COPY source that is not in the context (after .dockerignore), an unreadable file.
Result<Plan> BuildPlan(std::shared_ptr<const SyntaxTree> tree, const PlanOptions& options);

}  // namespace dockit::plan

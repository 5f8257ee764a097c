// The image the Dockerfile builds (its final stage, through the stages it is built FROM) has no
// HEALTHCHECK, so orchestrators that read it only know whether the process is alive.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Stage* final = ctx.FinalStage();
  if (!final || final->instructions.empty()) return;
  for (const Stage* stage : StageChain(ctx.Meaning(), *final)) {
    for (const TypedInstruction& ins : stage->instructions) {
      if (ins.kind == InstructionKind::kHealthcheck) return;  // NONE is a decision too
    }
  }
  const Instruction& from = *final->instructions.front().syntax;
  ctx.Report(from.keyword_range,
             "the final image has no HEALTHCHECK; add one so the runtime can tell a hung "
             "service from a healthy one");
}

}  // namespace

const Rule kNoHealthcheck{
    {
        .slug = "no-healthcheck",
        .aliases = {"DL3057"},
        .severity = Severity::kInfo,
        .title = "The final image has no HEALTHCHECK",
        .rationale =
            "Without a HEALTHCHECK, Docker and Swarm only know whether the main process runs, "
            "not whether it still answers. Services that can hang benefit from one; images that "
            "run in Kubernetes (which ignores it) or run one-shot jobs do not, so the rule is "
            "opt-in.",
        .bad = {{"FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n", {"1:1"}},
                {"FROM alpine AS base\nHEALTHCHECK CMD true\nFROM alpine\nCMD [\"app\"]\n",
                 {"3:1"}}},
        .good = {{"FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n", {}},
                 {"FROM alpine AS base\nHEALTHCHECK CMD true\nFROM base\nCMD [\"app\"]\n", {}},
                 {"FROM alpine\nHEALTHCHECK NONE\n", {}}},
        .opt_in = true,
        .differs_from_hadolint =
            "Only the image the build produces is judged: its final stage and the stages it is "
            "built FROM. Hadolint reports every stage that is not built from a stage with a "
            "HEALTHCHECK, build stages included. HEALTHCHECK NONE counts as a decision.",
    },
    Check};

}  // namespace dockit::lint

// `scratch` and `context` already mean something in FROM and COPY --from.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.name != "scratch" && stage.name != "context") continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.size() != 3) continue;
    ctx.Report(from.args[2].range, "stage name \"" + from.args[2].value +
                                       "\" is reserved by BuildKit: choose another name");
  }
}

}  // namespace

const Rule kReservedStageName{
    {
        .slug = "reserved-stage-name",
        .aliases = {"DL3063", "ReservedStageName"},
        .severity = Severity::kWarning,
        .title = "Stage named scratch or context",
        .rationale = "`scratch` is the empty image and `context` the build context; a stage "
                     "with one of these names makes `FROM scratch` or `COPY --from=context` "
                     "ambiguous to the reader and to the builder.",
        .bad = {{"FROM alpine AS scratch\n", {"1:16"}}, {"FROM alpine AS Context\n", {"1:16"}}},
        .good = {{"FROM alpine AS builder\nFROM scratch\n", {}}},
    },
    Check};

}  // namespace dockit::lint

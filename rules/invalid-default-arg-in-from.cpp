// `ARG TAG` + `FROM busybox:${TAG}`: without --build-arg the image name is `busybox:`, which
// no registry accepts.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.base_stage) continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.empty() || from.args[0].value.find('$') == std::string::npos) continue;
    const std::string& image = stage.base.value;
    // An empty name is already an error of invalid-instruction.
    // Text left with a `$` could not be expanded at all (templates such as ${a:b}): that is
    // another problem than a missing default.
    if (image.empty() || image.find('$') != std::string::npos || ValidImageReference(image))
      continue;
    // The advice depends on whether the ARGs are declared before FROM without a default, or
    // not declared there at all.
    bool declared = true;
    for (const VarRef& ref : VarRefs(from.args[0].value, ctx.Tree().escape)) {
      declared &= ctx.Meaning().meta_args.count(ref.name) > 0;
    }
    ctx.Report(from.args[0].range,
               "with the ARG defaults, \"" + from.args[0].value + "\" becomes \"" + image +
                   "\", which is not a valid image name: " +
                   (declared ? "give the ARG before FROM a default value"
                             : "declare the ARG before FROM with a default value"));
  }
}

}  // namespace

const Rule kInvalidDefaultArgInFrom{
    {
        .slug = "invalid-default-arg-in-from",
        .aliases = {"InvalidDefaultArgInFrom"},
        .severity = Severity::kWarning,
        .title = "FROM needs --build-arg to name a valid image",
        .rationale =
            "When an ARG used in FROM has no default, a build without `--build-arg` expands "
            "the image name to something invalid such as `busybox:` and fails. A default that "
            "works keeps the plain `docker build .` working. Names that stay valid with an "
            "empty value (`alpine${VARIANT}`) are fine.",
        .bad = {{"ARG TAG\nFROM busybox:${TAG}\n", {"2:6"}},
                {"ARG REGISTRY\nFROM ${REGISTRY}/app:1.0\n", {"2:6"}}},
        .good = {{"ARG TAG=1.36\nFROM busybox:${TAG}\n", {}},
                 {"ARG VARIANT\nFROM busybox:stable${VARIANT}\n", {}},
                 {"FROM alpine:${TAG:-3.20}\n", {}},
                 {"ARG REGISTRY=localhost:5000\nFROM ${REGISTRY}/team/app:1.0\n", {}}},
    },
    Check};

}  // namespace dockit::lint

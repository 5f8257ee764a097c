// A relative COPY destination lands in the base image's working directory, which the
// Dockerfile does not show.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Analysis& analysis = ctx.Meaning();
  std::vector<bool> has_workdir(analysis.stages.size(), false);
  for (const Stage& stage : analysis.stages) {
    bool workdir =
        stage.base_stage && *stage.base_stage < stage.index && has_workdir[*stage.base_stage];
    // scratch has no working directory of its own: relative paths start at `/`, a known place.
    if (text::AsciiLower(StageChain(analysis, stage).back()->base.value) == "scratch")
      workdir = true;
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kWorkdir) workdir = true;
      const auto* copy = std::get_if<CopyCmd>(&ins.args);
      if (workdir || !copy || ins.syntax->args.empty()) continue;
      const Word& dest_word = ins.syntax->args.back();
      // A destination decided by a variable is not judged (it is usually absolute), quoted
      // or not: `$DEST`, `"${DEST}"`.
      std::string_view dest = dest_word.value;
      if (dest.starts_with('"')) dest.remove_prefix(1);
      if (dest.starts_with('$') || IsAbsolutePath(copy->dest.value)) continue;
      std::string keyword(KeywordOf(ins.kind));
      ctx.Report(dest_word.range,
                 keyword + " to relative \"" + dest_word.value +
                     "\" with no WORKDIR in the stage: the base image decides where it lands; "
                     "set WORKDIR first or use an absolute path");
    }
    has_workdir[stage.index] = workdir;
  }
}

}  // namespace

const Rule kCopyRelativeDestWithoutWorkdir{
    {
        .slug = "copy-relative-dest-without-workdir",
        .aliases = {"DL3045"},
        .severity = Severity::kWarning,
        .title = "COPY to a relative path before any WORKDIR",
        .rationale =
            "A relative destination is resolved against the working directory, which, before "
            "the stage sets WORKDIR, is whatever the base image chose (often `/`). The files "
            "then land somewhere the Dockerfile does not say, and move when the base image "
            "changes. Set WORKDIR first, or copy to an absolute path. A WORKDIR in a stage this "
            "one is built FROM counts, and stages built FROM scratch are not reported: there "
            "the working directory is always `/`.",
        .bad = {{"FROM node:20\nCOPY package.json .\n", {"2:19"}},
                {"FROM python:3.12\nCOPY requirements.txt app/\nWORKDIR /app\n", {"2:23"}}},
        .good = {{"FROM node:20\nWORKDIR /app\nCOPY package.json .\n", {}},
                 {"FROM node:20\nCOPY package.json /app/\n", {}},
                 {"FROM node:20 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n", {}},
                 {"FROM node:20\nARG DEST=/srv\nCOPY app $DEST\n", {}},
                 {"FROM node:20\nCOPY app \"${APP_HOME}\"\n", {}},
                 {"FROM scratch\nCOPY app bin/app\n", {}}},
        .differs_from_hadolint = "Stages built FROM scratch are not reported (their working "
                                 "directory is `/`); hadolint reports them.",
    },
    Check};

}  // namespace dockit::lint

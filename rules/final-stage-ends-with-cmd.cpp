// CMD and ENTRYPOINT describe how the image runs; a reader looks for them at the end of the
// final stage. A build step after them reads as if it happened at run time.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

bool IsCommand(InstructionKind k) {
  return k == InstructionKind::kCmd || k == InstructionKind::kEntrypoint;
}

bool IsBuildStep(InstructionKind k) {
  return k == InstructionKind::kRun || k == InstructionKind::kCopy || k == InstructionKind::kAdd;
}

void Check(RuleContext& ctx) {
  const Stage* final_stage = ctx.FinalStage();
  if (!final_stage || final_stage->instructions.empty()) return;
  const auto& list = final_stage->instructions;
  std::optional<size_t> last_command;
  for (size_t i = 0; i < list.size(); ++i) {
    if (IsCommand(list[i].kind)) last_command = i;
  }
  if (last_command) {
    for (size_t i = *last_command + 1; i < list.size(); ++i) {
      if (!IsBuildStep(list[i].kind)) continue;
      std::string keyword(KeywordOf(list[i].kind));
      std::string command(KeywordOf(list[*last_command].kind));
      ctx.Report(list[i].syntax->keyword_range,
                 keyword + " after the final " + command + ": move " + command +
                     " to the end of the final stage, after the build steps");
      return;
    }
    return;
  }
  // A stage built FROM another stage inherits its CMD and ENTRYPOINT; an image base provides
  // its own (alpine runs a shell, nginx the server). Only scratch has none at all.
  std::vector<const Stage*> chain = StageChain(ctx.Meaning(), *final_stage);
  for (const Stage* s : chain) {
    for (const TypedInstruction& ins : s->instructions) {
      if (IsCommand(ins.kind)) return;
    }
  }
  if (text::AsciiLower(chain.back()->base.value) != "scratch") return;
  // Most scratch finals only carry files (for COPY --from or --output) and need no command.
  // Run-time settings say the image is meant to run a container.
  for (const Stage* s : chain) {
    for (const TypedInstruction& ins : s->instructions) {
      if (ins.kind == InstructionKind::kExpose || ins.kind == InstructionKind::kHealthcheck ||
          ins.kind == InstructionKind::kUser || ins.kind == InstructionKind::kStopsignal) {
        ctx.Report(list.front().syntax->keyword_range,
                   "the final stage is built FROM scratch and has no CMD or ENTRYPOINT, so "
                   "`docker run` has no command to run: add an ENTRYPOINT");
        return;
      }
    }
  }
}

}  // namespace

const Rule kFinalStageEndsWithCmd{
    {
        .slug = "final-stage-ends-with-cmd",
        .aliases = {},
        .severity = Severity::kInfo,
        .title = "The final stage should end with its CMD or ENTRYPOINT",
        .rationale =
            "CMD and ENTRYPOINT only record how the container starts; they run nothing at build "
            "time. Written at the end of the final stage, they are where a reader looks for "
            "them, and a RUN, COPY or ADD after them does not look like it runs at run time. "
            "A final stage built FROM scratch with neither has no command at all, so `docker "
            "run` fails; that is reported when the stage also sets EXPOSE, USER, HEALTHCHECK "
            "or STOPSIGNAL (a scratch image without them usually only carries files for "
            "`COPY --from` or `--output`, and needs no command). Other base images provide a "
            "command, which "
            "the final stage may rely on.",
        .bad = {{"FROM python:3.12\nCMD [\"python\", \"app.py\"]\nCOPY app.py /app/\n", {"3:1"}},
                {"FROM golang:1.22 AS build\nRUN go build -o /app\nFROM scratch\n"
                 "COPY --from=build /app /app\nEXPOSE 8080\n",
                 {"3:1"}}},
        .good = {{"FROM python:3.12\nCOPY app.py /app/\nCMD [\"python\", \"app.py\"]\n", {}},
                 {"FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n", {}},
                 {"FROM golang AS build\nFROM scratch AS binary\nCOPY --from=build /out /\n", {}},
                 {"FROM alpine AS base\nENTRYPOINT [\"/bin/tool\"]\nFROM base\nRUN true\n", {}},
                 {"FROM alpine\nENTRYPOINT [\"/bin/tool\"]\nEXPOSE 80\nUSER app\n", {}}},
    },
    Check};

}  // namespace dockit::lint

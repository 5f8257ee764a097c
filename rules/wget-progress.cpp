// GNU wget without a terminal prints its progress as dots, thousands of lines for a large file,
// which buries the useful part of the build log.
#include <string>

#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool Quiet(const CommandView& view) {
  return HasFlag(view, {"--progress", "-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file",
                        "-a", "--append-output"});
}

// BusyBox wget (alpine, busybox) shows no progress without a terminal and has no --progress.
bool BusyboxWget(const RuleContext& ctx, const Stage& stage) {
  const Stage* s = &stage;
  while (s->base_stage) s = &ctx.Meaning().stages[*s->base_stage];
  std::string_view image = s->base.value;
  if (image.find("alpine") == std::string_view::npos &&
      image.find("busybox") == std::string_view::npos)
    return false;
  for (const TypedInstruction& ins : stage.instructions) {
    if (ins.kind != InstructionKind::kRun) continue;
    for (const CommandView& view : FindCommands(ctx.Shell(*ins.syntax), "apk")) {
      for (const ShellWord* arg : Args(view)) {
        if (arg->value == "wget") return false;  // GNU wget installed
      }
    }
  }
  return true;
}

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage& stage, const TypedInstruction&, const ShellScript& shell) {
    for (const CommandView& view : RunCommands(shell)) {
      if (view.Name() != "wget" || Quiet(view)) continue;
      if (BusyboxWget(ctx, stage)) return;
      ctx.Report(view.argv[0].range,
                 "wget prints thousands of progress lines in a build log: add "
                 "--progress=dot:giga, or -nv / -q");
    }
  });
}

}  // namespace

const Rule kWgetProgress{
    {
        .slug = "wget-progress",
        .aliases = {"DL3047"},
        .severity = Severity::kInfo,
        .title = "wget without --progress floods the build log",
        .rationale =
            "Without a terminal, GNU wget shows progress as lines of dots: a large download "
            "adds thousands of lines to the build log and hides the output that matters. "
            "`--progress=dot:giga` keeps a short progress report; `-nv` (`--no-verbose`) or "
            "`-q` silence it.",
        .bad = {{"FROM debian:12\nRUN wget https://example.com/app.tgz\n", {"2:5"}},
                {"FROM alpine:3.20\nRUN apk add --no-cache wget && wget -O /a https://e.com/a\n",
                 {"2:32"}}},
        .good = {{"FROM debian:12\nRUN wget --progress=dot:giga https://example.com/app.tgz\n", {}},
                 {"FROM debian:12\nRUN wget -qO- https://example.com/key | gpg --dearmor\n", {}},
                 {"FROM debian:12\nRUN wget -nv https://example.com/app.tgz\n", {}},
                 {"FROM alpine:3.20\nRUN wget -O /a https://example.com/a\n", {}},
                 {"FROM debian:12\nRUN apt-get install -y wget\n", {}}},
        .differs_from_hadolint =
            "Stages based on alpine or busybox images are skipped unless they install GNU wget: "
            "BusyBox wget prints no progress without a terminal and rejects --progress.",
    },
    Check};

}  // namespace dockit::lint

// Consecutive one-command RUNs in a stage: each RUN is a layer and a cache step of its own, so
// two of them in a row usually read better, and build smaller, as one.
#include <string>

#include "rules/all.hpp"

namespace dockit::lint {
namespace {

// How many commands a RUN runs. A RUN that already chains commands was most likely kept apart
// on purpose (for caching), so only one-command RUNs count as mergeable, as in hadolint.
size_t CommandCount(const ShellScript& script) {
  if (script.Kind() == ShellKind::kExec) return 1;
  size_t n = 0;
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty() || cmd.In(ShellContext::kNestedShell | ShellContext::kFunction)) continue;
    ++n;
  }
  return n;
}

std::vector<std::string> FlagTexts(const Instruction& ins) {
  std::vector<std::string> out;
  for (const Flag& f : ins.flags) out.push_back(f.text);
  return out;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const TypedInstruction* previous = nullptr;  // the RUN just before, if mergeable
    size_t previous_count = 0;
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kRun || !std::holds_alternative<RunCmd>(ins.args)) {
        previous = nullptr;
        continue;
      }
      const ShellScript& shell = ctx.Shell(*ins.syntax);
      // Heredoc scripts and non-shell RUNs are meant to stand alone.
      if (!ins.syntax->heredocs.empty() || shell.Kind() == ShellKind::kNotShell ||
          shell.Kind() == ShellKind::kNotPosix) {
        previous = nullptr;
        continue;
      }
      size_t count = CommandCount(shell);
      if (previous && FlagTexts(*previous->syntax) == FlagTexts(*ins.syntax) && count <= 1 &&
          previous_count <= 1) {
        ctx.Report(ins.syntax->keyword_range,
                   "this RUN follows the RUN on line " +
                       std::to_string(previous->syntax->keyword_range.begin.line) +
                       "; consider joining them with && into one RUN");
      }
      previous = &ins;
      previous_count = count;
    }
  }
}

}  // namespace

const Rule kConsecutiveRun{
    {
        .slug = "consecutive-run",
        .aliases = {"DL3059"},
        .severity = Severity::kInfo,
        .title = "Consecutive RUN instructions could be one",
        .rationale =
            "Every RUN adds a layer and a build step. Two RUNs in a row that run one command "
            "each are usually clearer and lighter as one RUN joined with &&. RUNs that already "
            "chain commands are left alone: keeping them apart is often done on purpose, to "
            "keep a slow step cached.",
        .bad = {{"FROM alpine\nRUN apk add --no-cache curl\nRUN mkdir /app\n", {"3:1"}},
                {"FROM alpine\nRUN adduser -D app\n# the data directory\nRUN mkdir /data\n"
                 "RUN chown app /data\n",
                 {"4:1", "5:1"}}},
        .good = {{"FROM alpine\nRUN apk add --no-cache curl\nWORKDIR /app\nRUN mkdir data\n", {}},
                 {"FROM alpine\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n"
                  "RUN mkdir /app\n",
                  {}},
                 {"FROM alpine\nRUN mkdir /app && chown nobody /app\nRUN mkdir /data\n", {}},
                 {"FROM alpine\nRUN --mount=type=cache,target=/root/.cache pip install x\n"
                  "RUN mkdir /app\n",
                  {}},
                 {"FROM alpine\nRUN <<EOF\nmkdir /app\nEOF\nRUN mkdir /data\n", {}},
                 {"FROM alpine AS a\nRUN mkdir /a\nFROM alpine\nRUN mkdir /b\n", {}}},
        .differs_from_hadolint =
            "RUNs with a heredoc script are never merged: the heredoc is the merged form.",
    },
    Check};

}  // namespace dockit::lint

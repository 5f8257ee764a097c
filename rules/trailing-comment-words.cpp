// Dockerfile comments are whole lines only: `COPY src /app  # code` copies a file named `#`
// and one named `code`, or fails.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void CheckInstruction(RuleContext& ctx, const Instruction& ins) {
  switch (ins.kind) {
    // A shell reads `#` as a comment in shell form; exec form is JSON.
    case InstructionKind::kRun:
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
    case InstructionKind::kHealthcheck:
    case InstructionKind::kShell:
    case InstructionKind::kUnknown:
      return;
    case InstructionKind::kOnbuild:
      if (ins.onbuild) CheckInstruction(ctx, *ins.onbuild);
      return;
    default:
      break;
  }
  if (ins.json_form) return;
  std::string_view text = ins.line.Text();
  char escape = ctx.Tree().escape;
  char quote = 0;
  // From the flags on: a flag value can carry a `#` too.
  uint32_t begin = ins.flags.empty() ? ins.args_begin : ins.flags.front().begin;
  for (uint32_t i = begin; i < ins.args_end && i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == escape && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == escape) {
      ++i;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      // `ENV COLOR #fff`: the legacy form's value starts right after the key; a `#` there is
      // the value, not a comment.
      bool legacy_value =
          (ins.kind == InstructionKind::kEnv || ins.kind == InstructionKind::kLabel) &&
          ins.args.size() == 3 && ins.args[2].value.empty() && i == ins.args[1].begin;
      if (legacy_value) continue;
      uint32_t end = i;
      while (end < ins.args_end && text[end] != ' ' && text[end] != '\t') ++end;
      ctx.Report(ins.line.ToSourceRange(ctx.File(), i, end),
                 "\"#\" starts a comment only at the beginning of a line: here \"" +
                     std::string(text.substr(i, ins.args_end - i)) + "\" are arguments of " +
                     std::string(KeywordOf(ins.kind)) + "; move the comment to its own line");
      return;
    }
  }
}

void Check(RuleContext& ctx) {
  for (const Instruction& ins : ctx.Tree().instructions) CheckInstruction(ctx, ins);
}

}  // namespace

const Rule kTrailingCommentWords{
    {
        .slug = "trailing-comment-words",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "Comment at the end of an instruction",
        .rationale =
            "A Dockerfile comment must start its line. After an instruction, `#` and the words "
            "after it are arguments: `COPY ./src /app  # code` copies `./src`, `/app` and `#` "
            "to a directory named `code`; `WORKDIR /app # x` creates a directory named "
            "`/app # x`; `FROM python:3.7 # base` fails. Move the comment to the line above. "
            "RUN, CMD, ENTRYPOINT and HEALTHCHECK in shell form are not reported: the shell "
            "there does treat `#` as a comment.",
        .bad = {{"FROM alpine\nCOPY ./src /app  # code\n", {"2:18"}},
                {"FROM alpine\nVOLUME /data # x\n", {"2:14"}},
                {"FROM alpine\nWORKDIR /app # x\n", {"2:14"}},
                {"FROM python:3.7 # base image\n", {"1:17"}},
                {"FROM alpine\nENV PORT 8080 # http\n", {"2:15"}}},
        .good = {{"FROM alpine\n# code\nCOPY ./src /app\n", {}},
                 {"FROM alpine\nRUN make # build it\n", {}},
                 {"FROM alpine\nLABEL description=\"issue #12 fix\" color=#fff\n", {}},
                 {"FROM alpine\nCMD echo hi # greeting\n", {}},
                 {"FROM alpine\nENV COLOR #fff\n", {}}},
    },
    Check};

}  // namespace dockit::lint

// `CMD ["app", "--port", "$PORT"]`: exec form runs no shell, so nothing replaces $PORT and
// the program receives the five characters `$PORT`.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// Programs that expand variables themselves: a shell (with -c or a script) or PowerShell.
bool ExpandsVariables(std::string_view program) {
  std::string_view base = program.substr(program.find_last_of("/\\") + 1);
  if (base.ends_with(".exe")) base.remove_suffix(4);
  for (std::string_view s : {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox",
                             "powershell", "pwsh", "cmd", "fish"}) {
    if (base == s) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    // A CMD is appended to the ENTRYPOINT: a shell entrypoint (`sh -c`) does expand it.
    bool shell_entrypoint = false;
    for (const Stage* s : StageChain(ctx.Meaning(), stage)) {
      for (const TypedInstruction& ins : s->instructions) {
        if (ins.kind == InstructionKind::kEntrypoint && !ins.syntax->args.empty() &&
            (!ins.syntax->json_form || ExpandsVariables(ins.syntax->args[0].value)))
          shell_entrypoint = true;
      }
    }
    for (const TypedInstruction& ins : stage.instructions) {
      const Instruction& syntax = *ins.syntax;
      if (!syntax.json_form || syntax.args.empty()) continue;
      if (ins.kind != InstructionKind::kCmd && ins.kind != InstructionKind::kEntrypoint &&
          ins.kind != InstructionKind::kRun)
        continue;
      if (ExpandsVariables(syntax.args[0].value)) continue;
      if (ins.kind == InstructionKind::kCmd && shell_entrypoint) continue;
      std::string keyword(KeywordOf(ins.kind));
      for (const Word& w : syntax.args) {
        // Exec-form words are JSON strings: a backslash there is no shell escape.
        std::vector<VarRef> refs = VarRefs(w.value, '\0');
        if (refs.empty()) continue;
        std::string var = w.value.substr(refs[0].begin, refs[0].end - refs[0].begin);
        ctx.Report(w.range, keyword + " in exec form runs no shell, so \"" + var +
                                "\" is passed literally: use [\"sh\", \"-c\", \"...\"] or let "
                                "the program read the environment");
      }
    }
  }
}

}  // namespace

const Rule kExecFormVariables{
    {
        .slug = "exec-form-variables",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "Variable in an exec-form command",
        .rationale =
            "The JSON (exec) form of CMD, ENTRYPOINT and RUN starts the program directly, "
            "without a shell, and the builder does not expand variables in it either. "
            "`CMD [\"app\", \"--port\", \"$PORT\"]` passes the literal text `$PORT`. Run it "
            "through a shell (`[\"sh\", \"-c\", \"exec app --port \\\"$PORT\\\"\"]`) or let the "
            "program read the variable from its environment. Commands that already run a shell "
            "(or PowerShell), and CMDs handed to such an ENTRYPOINT, are fine.",
        .bad = {{"FROM node:20\nENV PORT=8080\nCMD [\"node\", \"server.js\", \"--port\", "
                 "\"$PORT\"]\n",
                 {"3:37"}},
                {"FROM alpine\nENTRYPOINT [\"/app\", \"--config=${CONFIG_DIR}/app.yml\"]\n",
                 {"2:21"}},
                {"FROM alpine\nRUN [\"echo\", \"$HOME\"]\n", {"2:14"}}},
        .good = {{"FROM alpine\nCMD [\"sh\", \"-c\", \"exec app --port $PORT\"]\n", {}},
                 {"FROM alpine\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"echo $HOME\"]\n", {}},
                 {"FROM alpine\nCMD app --port $PORT\n", {}},
                 {"FROM alpine\nENTRYPOINT [\"/entrypoint.sh\", \"$@\"]\n", {}}},
    },
    Check};

}  // namespace dockit::lint

// Shell-form CMD and ENTRYPOINT run under `/bin/sh -c`: the shell becomes PID 1 and does not
// forward SIGTERM, so `docker stop` waits for the timeout and then kills the program.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// Bytes that mean something to the shell: a command containing none of them is a plain list of
// words, and its exec form runs exactly the same program with the same arguments.
bool PlainByte(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 text, literal for the shell
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-_./:=,+@%^").find(static_cast<char>(c)) != std::string_view::npos;
}

// Shell builtins and keywords: they exist only inside a shell, so exec form cannot run them.
bool ShellOnly(std::string_view word) {
  for (std::string_view b : {"cd",   "export", "source", ".",    "set",  "eval",  "ulimit", "umask",
                             "trap", "alias",  "unset",  "wait", "read", "if",    "for",    "while",
                             "case", "until",  "test",   "[",    "true", "false", ":"}) {
    if (word == b) return true;
  }
  return word.find('=') != std::string_view::npos;  // VAR=value prefix
}

// The exec form of a shell-form command when it is a plain list of words; "" otherwise.
std::string ExecForm(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
      if (!PlainByte(static_cast<unsigned char>(text[i]))) return "";
      ++i;
    }
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  // `exec prog args` in a shell replaces the shell with prog: exactly what exec form does.
  if (words.size() > 1 && words[0] == "exec") words.erase(words.begin());
  if (words.empty() || ShellOnly(words[0])) return "";
  std::string out = "[";
  for (size_t w = 0; w < words.size(); ++w) {
    if (w) out += ", ";
    out += '"';
    out += words[w];
    out += '"';
  }
  return out + "]";
}

bool StageHas(const Stage& stage, InstructionKind kind, const Instruction* before = nullptr) {
  for (const TypedInstruction& ins : stage.instructions) {
    if (before && ins.syntax == before) return false;
    if (ins.kind == kind) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    std::vector<const Stage*> chain = StageChain(ctx.Meaning(), stage);
    bool parent_shell = false;
    for (size_t i = 1; i < chain.size(); ++i)
      parent_shell |= StageHas(*chain[i], InstructionKind::kShell);
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kCmd && ins.kind != InstructionKind::kEntrypoint) continue;
      const Instruction& syntax = *ins.syntax;
      if (syntax.json_form || syntax.args.empty() || syntax.args[0].value.empty()) continue;
      // An explicit SHELL says the shell form is wanted (BuildKit does not warn then either).
      if (parent_shell || StageHas(stage, InstructionKind::kShell, &syntax)) continue;
      bool is_cmd = ins.kind == InstructionKind::kCmd;
      // On Windows the shell form runs under `cmd /S /C`, which does not forward signals either.
      std::string shell = IsWindowsImage(chain.back()->base.value) ? "cmd /S /C" : "/bin/sh";
      std::string keyword(KeywordOf(ins.kind));
      std::optional<Fix> fix;
      // Converting changes how CMD and ENTRYPOINT combine: only fix CMD when no ENTRYPOINT of
      // this file receives it, and ENTRYPOINT when no CMD of its stage would be appended.
      bool combines = false;
      if (is_cmd) {
        for (const Stage* s : chain) combines |= StageHas(*s, InstructionKind::kEntrypoint);
      } else {
        combines = StageHas(stage, InstructionKind::kCmd);
      }
      const Word& w = syntax.args[0];
      std::string exec = ExecForm(w.value);
      if (!exec.empty() && !combines && syntax.range.begin.line == syntax.range.end.line) {
        fix = Fix{"convert " + keyword + " to exec form",
                  {{w.range.begin.offset, w.range.end.offset, exec}}};
      }
      if (w.value.front() == '[') {
        // Meant as exec form, but not valid JSON (single quotes, unquoted words): the whole
        // text, brackets included, is run by /bin/sh.
        ctx.Report(w.range, keyword +
                                " is not a valid JSON array (strings need double quotes), so it "
                                "runs in shell form under " +
                                shell + ": write [\"program\", \"arg\"]");
        continue;
      }
      ctx.Report(w.range,
                 "shell-form " + keyword + " runs under " + shell +
                     ", which does not forward signals: "
                     "use the exec form " +
                     keyword + " [\"program\", \"arg\"]",
                 std::move(fix));
    }
  }
}

}  // namespace

const Rule kJsonArgsRecommended{
    {
        .slug = "json-args-recommended",
        .aliases = {"DL3025", "JSONArgsRecommended"},
        .severity = Severity::kWarning,
        .title = "Use the JSON exec form for CMD and ENTRYPOINT",
        .rationale =
            "In shell form, CMD and ENTRYPOINT run as `/bin/sh -c \"...\"`: the shell is PID 1 "
            "and does not pass SIGTERM on to the program, so `docker stop` waits ten seconds "
            "and kills it without a clean shutdown. A shell-form ENTRYPOINT also ignores CMD "
            "and `docker run` arguments. The exec form runs the program directly. When the "
            "command is a plain list of words (no quotes, variables, globs, operators or "
            "redirections), --fix writes the exec form; it leaves alone a CMD that an "
            "ENTRYPOINT of the file receives, and an ENTRYPOINT whose stage has a CMD, since "
            "the conversion would change the arguments they pass each other. A SHELL "
            "instruction in the stage (or a stage it is built FROM) says the shell form is "
            "meant, and silences the rule.",
        .bad = {{"FROM python:3.12\nCMD python app.py --port 8080\n",
                 {"2:5"},
                 "FROM python:3.12\nCMD [\"python\", \"app.py\", \"--port\", \"8080\"]\n"},
                {"FROM alpine\nENTRYPOINT exec /usr/bin/server\n",
                 {"2:12"},
                 "FROM alpine\nENTRYPOINT [\"/usr/bin/server\"]\n"},
                {"FROM node:20\nCMD npm start && echo done\n", {"2:5"}},
                {"FROM node:20\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD npm start\n", {"3:5"}},
                {"FROM alpine\nENTRYPOINT ['/bin/tool', '--verbose']\n", {"2:12"}}},
        .good = {{"FROM python:3.12\nCMD [\"python\", \"app.py\"]\n", {}},
                 {"FROM alpine\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\n"
                  "CMD echo $HOME | tee /tmp/x\n",
                  {}},
                 {"FROM alpine AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD echo hi\n",
                  {}},
                 {"FROM alpine\nRUN echo shell form is fine for RUN\n", {}}},
        .differs_from_hadolint =
            "Like BuildKit (and unlike hadolint), a SHELL instruction in effect in the stage "
            "silences the rule.",
    },
    Check};

}  // namespace dockit::lint

// `RUN apt-get update` on its own line is cached as a layer of its own: later builds reuse the
// old index while a changed `RUN apt-get install` line below it asks for packages that index
// no longer describes (404s, or silently old versions).
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

bool IsApt(std::string_view name) { return name == "apt-get" || name == "apt"; }

// The script does nothing but update the index: every command is `apt-get update`.
bool OnlyUpdates(const ShellScript& script) {
  bool any = false;
  for (const ShellCommand& cmd : script.Commands()) {
    if (cmd.argv.empty()) continue;  // a bare assignment
    CommandView view = Unwrap(cmd);
    const ShellWord* sub = Subcommand(view, {"-o", "-c"});
    if (!IsApt(view.Name()) || sub == nullptr || sub->value != "update") return false;
    any = true;
  }
  return any;
}

bool StartsWithAptInstall(const ShellScript& script) {
  if (!script.IsShell() || script.Commands().empty()) return false;
  const ShellCommand& first = script.Commands().front();
  if (first.context != 0 || first.argv.empty()) return false;
  CommandView view = Unwrap(first);
  const ShellWord* sub = Subcommand(view, {"-o", "-t", "-c"});
  return IsApt(view.Name()) && sub != nullptr && sub->value == "install";
}

// Merge the lone update into the next RUN: `RUN apt-get update && apt-get install ...`.
std::optional<Fix> MergeFix(const RuleContext& ctx, const TypedInstruction& lone,
                            const ShellScript& lone_script, const TypedInstruction* next) {
  if (next == nullptr || next->kind != InstructionKind::kRun) return std::nullopt;
  const Instruction& a = *lone.syntax;
  const Instruction& b = *next->syntax;
  if (!a.flags.empty() || a.json_form || !a.heredocs.empty()) return std::nullopt;
  if (b.json_form || !b.heredocs.empty()) return std::nullopt;
  if (!lone_script.IsShell() || lone_script.Commands().size() != 1) return std::nullopt;
  const ShellCommand& update = lone_script.Commands().front();
  if (update.context != 0 || !update.assignments.empty()) return std::nullopt;
  const ShellScript& next_script = ctx.Shell(b);
  if (!StartsWithAptInstall(next_script)) return std::nullopt;

  const std::string& text = ctx.File().Text();
  uint32_t del_begin = a.range.begin.offset;
  uint32_t del_end = a.range.end.offset;
  if (del_end < text.size() && text[del_end] == '\n') ++del_end;
  uint32_t at = next_script.Commands().front().range.begin.offset;
  std::string update_text(lone_script.Text().substr(update.begin, update.end - update.begin));
  return Fix{"merge apt-get update into the next RUN",
             {{del_begin, del_end, ""}, {at, at, update_text + " && "}}};
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    for (size_t i = 0; i < stage.instructions.size(); ++i) {
      const TypedInstruction& ins = stage.instructions[i];
      if (ins.kind != InstructionKind::kRun) continue;
      const ShellScript& script = ctx.Shell(*ins.syntax);
      if (!OnlyUpdates(script)) continue;
      const TypedInstruction* next =
          i + 1 < stage.instructions.size() ? &stage.instructions[i + 1] : nullptr;
      for (const ShellCommand& cmd : script.Commands()) {
        if (cmd.argv.empty()) continue;
        CommandView view = Unwrap(cmd);
        packages::ManagerCall call{view, Subcommand(view, {"-o", "-c"})};
        ctx.Report(packages::CallRange(call),
                   std::string(view.Name()) +
                       " update in a RUN of its own leaves a stale index in the build cache: "
                       "run it in the same RUN as the install",
                   MergeFix(ctx, ins, script, next));
        break;  // one finding per RUN
      }
    }
  }
}

}  // namespace

const Rule kAptGetUpdateAlone{
    {
        .slug = "apt-get-update-alone",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "Run apt-get update in the same RUN as apt-get install",
        .rationale =
            "Each RUN is cached as a layer. A `RUN apt-get update` of its own is built once and "
            "then reused for months, while the `RUN apt-get install` after it changes: the "
            "install then works with an old package index and fails with 404 errors or installs "
            "outdated versions. `RUN apt-get update && apt-get install -y ...` refreshes the "
            "index whenever the package list changes.",
        .bad = {{"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
                 {"2:5"},
                 "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"},
                {"FROM debian:12\nRUN apt-get -q update\n# tools\nRUN --mount=type=cache,"
                 "target=/var/cache/apt \\\n    apt-get install -y make\n",
                 {"2:5"},
                 "FROM debian:12\n# tools\nRUN --mount=type=cache,target=/var/cache/apt \\\n"
                 "    apt-get -q update && apt-get install -y make\n"},
                {"FROM debian:12\nRUN apt update\nCOPY . /src\n", {"2:5"}}},
        .good = {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", {}},
                 {"FROM debian:12\nRUN apt-get update && ./install-deps.sh\n", {}},
                 {"FROM debian:12\nRUN apt-get update; apt-get upgrade -y\n", {}}},
        .differs_from_hadolint =
            "hadolint has no such rule (its DL3009 asks to delete the lists after an update). "
            "Only a RUN that does nothing but `apt-get update` is reported.",
    },
    Check};

}  // namespace dockit::lint

// A pipe in RUN without pipefail: the shell only checks the last command of a pipeline, so
// `curl ... | tar -x` succeeds when the download fails, and the build goes on with a broken
// or empty result.
#include <string>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

// SHELL ["/bin/bash", "-o", "pipefail", "-c"] (or -eo pipefail, -euxo pipefail, ...).
bool ShellSetsPipefail(const CommandCmd& shell) {
  if (shell.argv.empty()) return false;
  std::string_view name = Basename(shell.argv[0].value);
  if (name != "bash" && name != "zsh" && name != "ash" && name != "ksh" && name != "mksh")
    return false;
  for (size_t i = 1; i + 1 < shell.argv.size(); ++i) {
    std::string_view flag = shell.argv[i].value;
    if (flag.size() >= 2 && flag[0] == '-' && flag[1] != '-' &&
        flag.find('o') != std::string_view::npos && shell.argv[i + 1].value == "pipefail")
      return true;
  }
  return false;
}

// `set -o pipefail` (or `set -eo pipefail`) run before command `index` in the script.
bool SetsPipefailBefore(const ShellScript& script, const ShellCommand* pipe) {
  for (const ShellCommand& cmd : script.Commands()) {
    if (&cmd == pipe) return false;
    if (cmd.argv.size() < 3 || cmd.Name() != "set" ||
        cmd.In(ShellContext::kSubshell | ShellContext::kFunction | ShellContext::kNestedShell))
      continue;
    for (size_t i = 1; i + 1 < cmd.argv.size(); ++i) {
      std::string_view flag = cmd.argv[i].value;
      if (flag.size() >= 2 && flag[0] == '-' && flag.find('o') != std::string_view::npos &&
          cmd.argv[i + 1].value == "pipefail")
        return true;
    }
  }
  return false;
}

void Check(RuleContext& ctx) {
  std::vector<bool> pipefail_at_end(ctx.Meaning().stages.size(), false);
  for (const Stage& stage : ctx.Meaning().stages) {
    // A stage built FROM another one keeps its SHELL.
    bool pipefail = stage.base_stage ? pipefail_at_end[*stage.base_stage] : false;
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kShell) {
        const auto* shell = std::get_if<CommandCmd>(&ins.args);
        pipefail = shell && ShellSetsPipefail(*shell);
        continue;
      }
      const auto* run = std::get_if<RunCmd>(&ins.args);
      // Exec form names its shell and options itself; non-POSIX shells have no pipefail.
      if (!run || run->exec_form || pipefail) continue;
      const ShellScript& script = ctx.Shell(*ins.syntax);
      if (!script.IsShell()) continue;
      for (const ShellCommand& cmd : script.Commands()) {
        if (cmd.next != ShellOperator::kPipe && cmd.next != ShellOperator::kPipeAll) continue;
        // sh -c '...' is another shell; conditions test the pipeline's status on purpose.
        if (cmd.In(ShellContext::kNestedShell | ShellContext::kFunction | ShellContext::kCondition |
                   ShellContext::kCommandSubstitution | ShellContext::kProcessSubstitution))
          continue;
        // echo and printf of a string cannot fail in a way worth stopping for, and `yes` is
        // always killed by SIGPIPE: pipefail would turn `yes | installer` into a failure.
        std::string_view name = cmd.argv.empty() ? std::string_view() : Unwrap(cmd).Name();
        if (name == "echo" || name == "printf" || name == "yes" || name == "true") continue;
        if (SetsPipefailBefore(script, &cmd)) break;
        const SourceRange& at = cmd.argv.empty() ? cmd.range : cmd.argv[0].range;
        // Alpine and BusyBox have no bash unless a package adds it; their ash has pipefail.
        if (AlpineLike(ctx, stage) &&
            !ApkAddsBefore(ctx, stage, "bash", *ins.syntax, /*at=*/nullptr)) {
          ctx.Report(at,
                     "this pipeline fails only when its last command fails: set SHELL "
                     "[\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"] before this RUN (BusyBox "
                     "ash has pipefail; bash is not installed here), or start the RUN with "
                     "set -o pipefail &&");
        } else {
          ctx.Report(at,
                     "this pipeline fails only when its last command fails: set SHELL "
                     "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before this RUN (or start "
                     "the RUN with set -o pipefail in bash)");
        }
        break;  // one finding per RUN
      }
    }
    pipefail_at_end[stage.index] = pipefail;
  }
}

}  // namespace

const Rule kPipefail{
    {
        .slug = "pipefail",
        .aliases = {"DL4006"},
        .severity = Severity::kWarning,
        .title = "Set -o pipefail before RUN with a pipe",
        .rationale =
            "A shell pipeline's exit status is the last command's. In `RUN curl -fsSL $URL | "
            "tar -xz`, a failed download still gives tar an empty input and may succeed, and "
            "the build continues with a broken image. With `SHELL [\"/bin/bash\", \"-o\", "
            "\"pipefail\", \"-c\"]` the pipeline fails when any of its commands fails. Alpine and "
            "BusyBox images have no bash unless a package adds it, but their /bin/ash supports "
            "pipefail too: `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`, or "
            "`set -o pipefail &&` at the start of the RUN. Findings in stages based on alpine or "
            "busybox (or running apk) suggest ash unless `apk add bash` came before.",
        .bad = {{"FROM debian:12\nRUN curl -fsSL https://e.com/x.tgz | tar -xz -C /opt\n", {"2:5"}},
                {"FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
                 "FROM debian:12\nRUN wget -qO- https://e.com/key | gpg --dearmor > /k.gpg\n",
                 {"4:5"}},
                {"FROM alpine:3.20\nRUN wget -qO- https://e.com/x.tgz | tar -xz\n", {"2:5"}},
                {"FROM alpine:3.20 AS base\nRUN apk add --no-cache bash\n"
                 "FROM base\nRUN wget -qO- https://e.com/x.tgz | tar -xz\n",
                 {"4:5"}}},
        .good = {{"FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
                  "RUN curl -fsSL https://e.com/x.tgz | tar -xz -C /opt\n",
                  {}},
                 {"FROM alpine\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\n"
                  "RUN wget -qO- https://e.com/x.tgz | tar -xz\n",
                  {}},
                 {"FROM busybox:1.36\nRUN set -o pipefail && wget -qO- https://e.com/x.tgz | "
                  "tar -xz\n",
                  {}},
                 {"FROM debian:12\nRUN set -eux -o pipefail; curl -fsSL https://e.com/x | sh\n",
                  {}},
                 {"FROM debian:12\nRUN echo \"$SHA  /x.tgz\" | sha256sum -c -\n", {}},
                 {"FROM debian:12\nRUN yes | /opt/sdk/bin/sdkmanager --licenses\n", {}},
                 {"FROM debian:12\nRUN if ls /opt | grep -q app; then echo found; fi\n", {}},
                 {"FROM debian:12\nRUN curl -fsSLo /x https://e.com/x || echo failed\n", {}},
                 {"FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
                  "SHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
                  {}}},
        .differs_from_hadolint =
            "`set -o pipefail` at the start of the RUN itself is accepted; pipes inside `if` "
            "and `while` conditions, `sh -c` scripts and command substitutions are not "
            "reported, nor pipelines fed only by echo, printf or yes (with pipefail, `yes | cmd` "
            "fails on SIGPIPE); exec-form RUNs are skipped (they choose their shell options). In "
            "Alpine and BusyBox "
            "stages without bash, the message suggests /bin/ash instead of /bin/bash.",
    },
    Check};

}  // namespace dockit::lint

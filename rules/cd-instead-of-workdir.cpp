// `cd` in RUN: the directory change is lost at the end of the RUN, so later instructions and
// readers must track it by hand; WORKDIR states it once for everything after it.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage&, const TypedInstruction&, const ShellScript& shell) {
    for (const ShellCommand& cmd : shell.Commands()) {
      if (cmd.argv.empty() || cmd.Name() != "cd") continue;
      // `(cd dir && make)` and `$(cd dir; pwd)` scope the change on purpose, and a function
      // body is not run where it is written.
      if (cmd.In(ShellContext::kSubshell | ShellContext::kCommandSubstitution |
                 ShellContext::kProcessSubstitution | ShellContext::kFunction))
        continue;
      ctx.Report(cmd.argv[0].range,
                 "use WORKDIR to switch to a directory instead of cd, or scope the cd in a "
                 "subshell: ( cd dir && make )");
      return;  // one finding per RUN: the first cd says it all
    }
  });
}

}  // namespace

const Rule kCdInsteadOfWorkdir{
    {
        .slug = "cd-instead-of-workdir",
        .aliases = {"DL3003"},
        .severity = Severity::kWarning,
        .title = "Use WORKDIR to switch to a directory",
        .rationale =
            "A `cd` in RUN only lasts until the end of that RUN, so the next RUN starts back in "
            "the WORKDIR and readers must track where each command runs. WORKDIR sets the "
            "directory for every later RUN, CMD, COPY and ENTRYPOINT, and creates it if needed.",
        .bad = {{"FROM alpine\nRUN cd /app && make\n", {"2:5"}},
                {"FROM alpine\nRUN mkdir /src && \\\n    cd /src && \\\n    cd lib && make\n",
                 {"3:5"}}},
        .good = {{"FROM alpine\nWORKDIR /app\nRUN make\n", {}},
                 {"FROM alpine\nRUN (cd /src && make) && make -C /docs\n", {}},
                 {"FROM alpine\nRUN echo \"$(cd /opt && pwd)\"\n", {}}},
        .differs_from_hadolint =
            "A cd inside a subshell `( cd dir && ... )` or a command substitution is accepted: "
            "it does not leak; hadolint reports any cd.",
    },
    Check};

}  // namespace dockit::lint

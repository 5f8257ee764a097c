// Commands that inspect or control a running system (ps, top, service, ssh, ...) do nothing
// useful in a build: the build container has no services, no terminal and no user at it.
#include <string>

#include "rules/all.hpp"
#include "rules/packages_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool IsInteractive(std::string_view name) {
  for (std::string_view n :
       {"free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"}) {
    if (name == n) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  // ONBUILD RUN triggers too: they run in every image built FROM this one.
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const CommandView& view : RunCommands(*site.script)) {
      std::string_view name = view.Name();
      if (!IsInteractive(name)) continue;
      ctx.Report(view.argv[0].range,
                 "\"" + std::string(name) +
                     "\" makes no sense in a build (no services, terminal or user): remove it "
                     "or move it to the container's entrypoint");
    }
  });
}

}  // namespace

const Rule kInteractiveCommands{
    {
        .slug = "interactive-commands",
        .aliases = {"DL3001"},
        .severity = Severity::kInfo,
        .title = "Command that makes no sense in a build",
        .rationale =
            "A build step runs once, without a terminal, in a container where no service is "
            "running. Editors (vim), remote shells (ssh), process tools (ps, top, kill, free), "
            "service managers (service, shutdown) and mount/ifconfig either fail, hang or "
            "inspect a system that is thrown away. Such commands belong in the entrypoint or "
            "in a shell inside the running container.",
        .bad = {{"FROM ubuntu:24.04\nRUN service nginx restart\n", {"2:5"}},
                {"FROM ubuntu:24.04\nRUN ps aux | grep -q nginx && sudo kill 1\n", {"2:5", "2:36"}},
                {"FROM ubuntu:24.04\nONBUILD RUN top -b -n 1\n", {"2:13"}}},
        .good = {{"FROM ubuntu:24.04\nRUN apt-get install -y vim openssh-client procps\n", {}},
                 {"FROM ubuntu:24.04\nRUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts\n",
                  {}},
                 {"FROM ubuntu:24.04\nCMD [\"top\", \"-b\"]\n", {}}},
        .differs_from_hadolint =
            "ifconfig is reported too (hadolint's message names it but its check forgets it). "
            "Commands behind wrappers (sudo, env, ...) are found.",
    },
    Check};

}  // namespace dockit::lint

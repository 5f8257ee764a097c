// `ln -sf /bin/bash /bin/sh` changes the shell of every program in the image that runs
// /bin/sh, not only of the Dockerfile's RUNs; SHELL changes just the latter.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  // ONBUILD RUN triggers too: they run in every image built FROM this one.
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const CommandView& view : RunCommands(*site.script)) {
      if (view.Name() != "ln") continue;
      std::vector<const ShellWord*> args = Args(view, {"-S", "--suffix", "-t"});
      if (args.size() < 2) continue;
      std::string_view link = args.back()->value;
      if (link != "/bin/sh" && link != "/usr/bin/sh") continue;
      ctx.Report(view.argv[0].range,
                 "linking /bin/sh changes the shell of every program in the image: use SHELL "
                 "to choose the shell of RUN");
    }
  });
}

}  // namespace

const Rule kShellSymlinkInsteadOfShell{
    {
        .slug = "shell-symlink-instead-of-shell",
        .aliases = {"DL4005"},
        .severity = Severity::kWarning,
        .title = "Use SHELL to change the default shell",
        .rationale =
            "Replacing /bin/sh with a link to bash changes the shell for every script and "
            "program in the image that runs /bin/sh, and package updates may restore the link. "
            "The SHELL instruction changes only the shell the Dockerfile's RUN, CMD and "
            "ENTRYPOINT use, and says so where readers look.",
        .bad = {{"FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n", {"2:5"}},
                {"FROM debian:12\nRUN rm /bin/sh && ln -s /bin/bash /bin/sh\n", {"2:19"}},
                {"FROM debian:12\nONBUILD RUN ln -sfv /bin/bash /bin/sh\n", {"2:13"}}},
        .good = {{"FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n", {}},
                 {"FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/posix-sh\n", {}}},
        .differs_from_hadolint =
            "Only a link named /bin/sh (or /usr/bin/sh) is reported; hadolint reports any ln "
            "with /bin/sh as an argument, including links pointing to it.",
    },
    Check};

}  // namespace dockit::lint

// sudo in RUN: the build already runs as the USER of the stage, and sudo brings a setuid binary,
// a tty-oriented configuration and unpredictable behaviour into the image.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  // ONBUILD RUN triggers too: they run in every image built FROM this one.
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const ShellCommand& cmd : site.script->Commands()) {
      if (cmd.argv.empty()) continue;
      // `sudo` itself or behind another wrapper (`env X=1 sudo make install`).
      CommandView view = Unwrap(cmd);
      const ShellWord* sudo = nullptr;
      for (const ShellWord& w : view.wrappers) {
        if (Basename(w.value) == "sudo") {
          sudo = &w;
          break;
        }
      }
      if (!sudo && cmd.Name() == "sudo") sudo = &cmd.argv[0];
      if (!sudo) continue;
      ctx.Report(sudo->range,
                 "do not use sudo in RUN: switch with USER (USER root before, USER app after) "
                 "or use gosu/su-exec in the entrypoint");
      return;  // one finding per RUN, as hadolint: the fix is the same for all of them
    }
  });
}

}  // namespace

const Rule kSudoInRun{
    {
        .slug = "sudo-in-run",
        .aliases = {"DL3004"},
        .severity = Severity::kError,
        .title = "Do not use sudo",
        .rationale =
            "RUN runs as the stage's USER; to run something as root, put `USER root` before it "
            "and switch back after. sudo needs a tty-friendly configuration, adds a setuid "
            "binary to the image and behaves unpredictably in a build. To drop privileges at "
            "run time, use gosu or su-exec in the entrypoint.",
        .bad = {{"FROM ubuntu:24.04\nRUN sudo apt-get update\n", {"2:5"}},
                {"FROM ubuntu:24.04\nRUN make && env CC=gcc sudo make install\n", {"2:24"}},
                {"FROM ubuntu:24.04\nONBUILD RUN sudo apt-get update\n", {"2:13"}}},
        .good = {{"FROM ubuntu:24.04\nUSER root\nRUN apt-get update\nUSER app\n", {}},
                 {"FROM ubuntu:24.04\nRUN apt-get install -y sudo\n", {}},
                 {"FROM ubuntu:24.04\nRUN echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app\n",
                  {}}},
    },
    Check};

}  // namespace dockit::lint

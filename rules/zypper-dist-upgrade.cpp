// zypper dist-upgrade upgrades the whole distribution inside an image: the base image's
// maintainers should do that, and the result depends on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call : packages::FindCalls(
             *site.script, "zypper", {"dist-upgrade", "dup"},
             {"-c", "--config", "-R", "--root", "-D", "--reposd-dir", "-C", "--cache-dir"})) {
      ctx.Report(packages::CallRange(call),
                 "zypper " + std::string(call.subcommand->value) +
                     " upgrades the whole distribution: use a newer base image instead");
    }
  });
}

}  // namespace

const Rule kZypperDistUpgrade{
    {
        .slug = "zypper-dist-upgrade",
        .aliases = {"DL3035"},
        .severity = Severity::kWarning,
        .title = "Do not use zypper dist-upgrade",
        .rationale =
            "A distribution upgrade inside an image makes it depend on the day it was built and "
            "can move it to another release than the base image's. Use a base image of the "
            "release you want, and install or update only the packages you need.",
        .bad = {{"FROM opensuse/leap:15.6\nRUN zypper -n dup\n", {"2:5"}}},
        .good = {{"FROM opensuse/leap:15.6\nRUN zypper -n update && zypper clean\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper -n install curl\n", {}}},
    },
    Check};

}  // namespace dockit::lint

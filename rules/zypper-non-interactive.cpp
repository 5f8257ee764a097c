// zypper asks "Continue? [y/n/v/...? shows all options] (y)" before changing packages; a build
// cannot answer.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call : packages::FindCalls(
             *site.script, "zypper",
             {"install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up",
              "dist-upgrade", "dup"},
             {"-c", "--config", "-R", "--root", "--installroot", "-D", "--reposd-dir", "-C",
              "--cache-dir", "-p", "--plus-repo", "-r", "--repo"})) {
      if (HasFlag(call.view, {"-n", "--non-interactive", "-y", "--no-confirm"})) continue;
      // -n is a global option: right after `zypper` it is valid for every subcommand.
      ctx.Report(packages::CallRange(call),
                 "zypper " + std::string(call.subcommand->value) +
                     " waits for a confirmation that a build cannot give: add -n "
                     "(--non-interactive)",
                 packages::InsertAfter(ctx.File(), call.view.argv.front(), " -n",
                                       "add --non-interactive"));
    }
  });
}

}  // namespace

const Rule kZypperNonInteractive{
    {
        .slug = "zypper-non-interactive",
        .aliases = {"DL3034"},
        .severity = Severity::kWarning,
        .title = "Use zypper -n (--non-interactive)",
        .rationale =
            "zypper asks for a confirmation before it installs, removes or updates packages. A "
            "build has no terminal to answer; zypper -n (--non-interactive) takes the default "
            "answers, and `install -y` (--no-confirm) does the same for one command.",
        .bad = {{"FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean\n",
                 {"2:5"},
                 "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean\n"}},
        .good = {{"FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper install -y curl\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper refresh\n", {}}},
        .differs_from_hadolint =
            "update/up and dist-upgrade/dup are checked too: they ask as well.",
    },
    Check};

}  // namespace dockit::lint

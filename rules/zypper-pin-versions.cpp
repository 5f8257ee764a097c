// `zypper install curl` installs whatever version the repositories offer on the day of the
// build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call : packages::FindCalls(
             *site.script, "zypper", {"install", "in"},
             {"-c", "--config", "-R", "--root", "--installroot", "-D", "--reposd-dir", "-C",
              "--cache-dir", "-p", "--plus-repo", "-r", "--repo"})) {
      // Patterns, products and patches have no versions to pin.
      if (auto type = FlagValue(call.view, {"-t", "--type"}); type && *type != "package") continue;
      for (const ShellWord* pkg :
           packages::Operands(call, {"-c", "--config", "-R", "--root", "--installroot", "-D",
                                     "--reposd-dir", "-C", "--cache-dir", "-p", "--plus-repo", "-r",
                                     "--repo", "-t", "--type", "--from"})) {
        std::string_view v = pkg->value;
        if (!pkg->Static() || v.find_first_of("=<>/") != std::string_view::npos ||
            v.ends_with(".rpm"))
          continue;
        ctx.Report(pkg->range, "pin the version of " + std::string(v) + ": zypper install " +
                                   std::string(v) + "=<version>");
      }
    }
  });
}

}  // namespace

const Rule kZypperPinVersions{
    {
        .slug = "zypper-pin-versions",
        .aliases = {"DL3037"},
        .severity = Severity::kWarning,
        .title = "Pin versions in zypper install",
        .rationale =
            "Without a version, zypper installs whatever the repositories offer when the layer "
            "is built, so a rebuild can silently get other versions. `name=1.2.3` (or a range "
            "such as `name>=1.2`) makes the build repeatable.",
        .bad = {{"FROM opensuse/leap:15.6\nRUN zypper -n install curl git=2.43.0\n", {"2:23"}}},
        .good = {{"FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 'git>=2.43'\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper -n in -t pattern devel_basis\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper -n in /tmp/app.rpm $PKGS\n", {}}},
        .differs_from_hadolint =
            "Each unpinned package is reported at its own word; .rpm files, globs and words "
            "with an expansion are not reported.",
    },
    Check};

}  // namespace dockit::lint

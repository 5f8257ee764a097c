// `apt-get install curl` installs whatever version the index offers on the day of the build, so
// two builds of the same Dockerfile can differ.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// pkg=1.2, pkg/bookworm-backports (a release), ./local.deb and /tmp/x.deb (files).
bool Pinned(const ShellWord& w) {
  std::string_view v = w.value;
  return w.HasExpansion() || v.find('=') != std::string_view::npos ||
         v.find('/') != std::string_view::npos || v.ends_with(".deb");
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "apt-get", {"install"}, {"-o", "-t", "-c"})) {
      for (const ShellWord* pkg : packages::Operands(
               call, {"-o", "-t", "-c", "--target-release", "--option", "--config-file"})) {
        if (Pinned(*pkg)) continue;
        ctx.Report(pkg->range, "pin the version of " + std::string(pkg->value) +
                                   ": apt-get install " + std::string(pkg->value) + "=<version>");
      }
    }
  });
}

}  // namespace

const Rule kAptPinVersions{
    {
        .slug = "apt-pin-versions",
        .aliases = {"DL3008"},
        .severity = Severity::kWarning,
        .title = "Pin versions in apt-get install",
        .rationale =
            "Without a version, apt-get installs whatever the package index offers when the "
            "layer is built: a rebuild months later (or on a cache miss) silently gets other "
            "versions, with other bugs. `pkg=1.2.3-1` makes the build repeatable and makes an "
            "upgrade a visible change in the Dockerfile.",
        .bad =
            {{"FROM debian:12\nRUN apt-get update && apt-get install -y curl "
              "git=1:2.39.5-0+deb12u1\n",
              {"2:42"}},
             {"FROM debian:12\nRUN apt-get install -y -t bookworm-backports \\\n    golang make\n",
              {"3:5", "3:12"}}},
        .good = {{"FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u8\n", {}},
                 {"FROM debian:12\nRUN apt-get install -y ./vendor.deb golang/bookworm-backports\n",
                  {}},
                 {"FROM debian:12\nRUN apt-get install -y \"$PACKAGES\"\n", {}},
                 {"FROM debian:12\nRUN apt-get install -y -o Dpkg::Options::=--force-confold "
                  "curl=7.88.1-10\n",
                  {}}},
        .differs_from_hadolint =
            "Each unpinned package is reported at its own word. Words with an expansion "
            "($PKGS) are not reported: their value is not known.",
    },
    Check};

}  // namespace dockit::lint

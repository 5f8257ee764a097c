// zypper keeps repository metadata and packages in /var/cache/zypp; left in a layer they only
// add weight.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachUncleanInstall(
      ctx,
      {.managers = {"zypper"},
       .installing = {"install", "in", "source-install", "si", "patch", "update", "up",
                      "dist-upgrade", "dup"},
       .clean = {"clean", "cc"},
       .clean_needs_all = false,
       .cache_dirs = {"/var/cache/zypp"}},
      [&](const packages::RunSite& site, const packages::ManagerCall& call) {
        ctx.Report(packages::CallRange(call),
                   "zypper leaves its cache in /var/cache/zypp: run zypper clean at the end of "
                   "this RUN",
                   packages::AppendToChain(*site.run, *site.script, " && zypper clean",
                                           "run zypper clean at the end of the RUN"));
      });
}

}  // namespace

const Rule kZypperClean{
    {
        .slug = "zypper-clean",
        .aliases = {"DL3036"},
        .severity = Severity::kWarning,
        .title = "Run zypper clean after zypper install",
        .rationale =
            "zypper keeps repository metadata and downloaded packages in /var/cache/zypp. "
            "Nothing at run time needs them, and removing them in a later RUN does not shrink "
            "the image. Run `zypper clean` (`zypper cc`) at the end of the same RUN.",
        .bad = {{"FROM opensuse/leap:15.6\nRUN zypper -n install curl\n",
                 {"2:5"},
                 "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean\n"}},
        .good = {{"FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc\n", {}},
                 {"FROM opensuse/leap:15.6\nRUN zypper -n in curl && rm -rf /var/cache/zypp/*\n",
                  {}}},
        .differs_from_hadolint =
            "`rm` of /var/cache/zypp and cache mounts on it are accepted; the clean must come "
            "after the last install of the RUN.",
    },
    Check};

}  // namespace dockit::lint

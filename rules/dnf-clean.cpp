// dnf keeps repository metadata and packages in /var/cache/dnf (microdnf: /var/cache/yum);
// left in a layer they only add weight.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachUncleanInstall(
      ctx,
      {.managers = {"dnf", "dnf5", "microdnf"},
       .installing = {"install", "groupinstall", "localinstall", "reinstall", "update", "upgrade",
                      "downgrade"},
       .clean = {"clean"},
       .clean_needs_all = true,
       .cache_dirs = {"/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"}},
      [&](const packages::RunSite& site, const packages::ManagerCall& call) {
        std::string name(call.view.Name());
        ctx.Report(packages::CallRange(call),
                   name + " leaves its cache in /var/cache: run " + name +
                       " clean all at the end of this RUN",
                   packages::AppendToChain(*site.run, *site.script, " && " + name + " clean all",
                                           "run " + name + " clean all at the end of the RUN"));
      });
}

}  // namespace

const Rule kDnfClean{
    {
        .slug = "dnf-clean",
        .aliases = {"DL3040"},
        .severity = Severity::kWarning,
        .title = "Run dnf clean all after dnf install",
        .rationale =
            "dnf and microdnf keep repository metadata and downloaded packages under /var/cache. "
            "Nothing at run time needs them, and removing them in a later RUN does not shrink "
            "the image. Run `dnf clean all` (`microdnf clean all`) at the end of the same RUN, "
            "or use a cache mount.",
        .bad = {{"FROM fedora:40\nRUN dnf install -y httpd\n",
                 {"2:5"},
                 "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n"},
                {"FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y jq\n",
                 {"2:5"},
                 "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y jq "
                 "&& microdnf clean all\n"},
                {"FROM fedora:40\nRUN dnf install -y httpd && microdnf clean all\n",
                 {"2:5"},
                 "FROM fedora:40\nRUN dnf install -y httpd && microdnf clean all && dnf clean "
                 "all\n"}},
        .good = {{"FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n", {}},
                 {"FROM fedora:40\nRUN dnf install -y httpd && rm -rf /var/cache/dnf\n", {}},
                 {"FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y "
                  "httpd\n",
                  {}}},
        .differs_from_hadolint =
            "`rm` of the cache directory and cache mounts on it are accepted; the clean must "
            "come after the last install of the RUN. As in hadolint, the clean must be the "
            "installing tool's own: `microdnf clean all` does not clean dnf's cache.",
    },
    Check};

}  // namespace dockit::lint

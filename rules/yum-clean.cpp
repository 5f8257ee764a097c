// yum keeps downloaded packages and metadata in /var/cache/yum; left in a layer they only add
// weight.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachUncleanInstall(
      ctx,
      {.managers = {"yum"},
       .installing = {"install", "groupinstall", "localinstall", "reinstall", "update", "upgrade",
                      "downgrade"},
       .clean = {"clean"},
       .clean_needs_all = true,
       .cache_dirs = {"/var/cache/yum"}},
      [&](const packages::RunSite& site, const packages::ManagerCall& call) {
        ctx.Report(packages::CallRange(call),
                   "yum leaves its cache in /var/cache/yum: run yum clean all at the end of this "
                   "RUN",
                   packages::AppendToChain(*site.run, *site.script, " && yum clean all",
                                           "run yum clean all at the end of the RUN"));
      });
}

}  // namespace

const Rule kYumClean{
    {
        .slug = "yum-clean",
        .aliases = {"DL3032"},
        .severity = Severity::kWarning,
        .title = "Run yum clean all after yum install",
        .rationale =
            "yum keeps the downloaded packages and repository metadata in /var/cache/yum. "
            "Nothing at run time needs them, and removing them in a later RUN does not shrink "
            "the image. Run `yum clean all` (or remove /var/cache/yum) at the end of the same "
            "RUN, or use a cache mount on /var/cache/yum.",
        .bad = {{"FROM centos:7\nRUN yum install -y httpd\n",
                 {"2:5"},
                 "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"},
                {"FROM centos:7\nRUN yum install -y httpd; yum clean packages\n", {"2:5"}}},
        .good = {{"FROM centos:7\nRUN yum install -y httpd && yum clean all\n", {}},
                 {"FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n", {}},
                 {"FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y "
                  "httpd\n",
                  {}},
                 {"FROM centos:7\nRUN yum -y update && yum -y install httpd && yum clean all\n",
                  {}}},
        .differs_from_hadolint =
            "`rm` of /var/cache/yum and cache mounts on it are accepted; the clean must come "
            "after the last install of the RUN.",
    },
    Check};

}  // namespace dockit::lint

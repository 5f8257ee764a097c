// `yum install httpd` installs whatever version the repositories offer on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) { packages::ReportUnpinnedRpmPackages(ctx, {"yum"}); }

}  // namespace

const Rule kYumPinVersions{
    {
        .slug = "yum-pin-versions",
        .aliases = {"DL3033"},
        .severity = Severity::kWarning,
        .title = "Pin versions in yum install",
        .rationale =
            "Without a version, yum installs whatever the repositories offer when the layer is "
            "built, so a rebuild can silently get other versions. `name-1.2.3` makes the build "
            "repeatable and makes an upgrade a visible change in the Dockerfile.",
        .bad = {{"FROM centos:7\nRUN yum install -y httpd-2.4.6 mod_ssl && yum clean all\n",
                 {"2:32"}},
                {"FROM centos:8\nRUN yum module install -y nodejs && yum clean all\n", {"2:27"}}},
        .good = {{"FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n", {}},
                 {"FROM centos:7\nRUN yum install -y /tmp/app.rpm @development nodejs:18 $PKGS\n",
                  {}},
                 {"FROM centos:7\nRUN yum install -y --setopt=tsflags=nodocs java-17-openjdk\n",
                  {}},
                 {"FROM centos:8\nRUN yum module install -y nodejs:18 && yum clean all\n", {}}},
        .differs_from_hadolint =
            "A package counts as pinned when a dash is followed by a digit (name-1.2), not "
            "whenever it contains a dash, so python3-devel is reported. Groups (@name), module "
            "streams (name:18), .rpm files, globs and words with an expansion are not reported; "
            "each unpinned package is reported at its own word. As in hadolint, `yum module "
            "install` needs a stream (nodejs:18).",
    },
    Check};

}  // namespace dockit::lint

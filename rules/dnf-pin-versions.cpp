// `dnf install httpd` installs whatever version the repositories offer on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ReportUnpinnedRpmPackages(ctx, {"dnf", "dnf5", "microdnf"});
}

}  // namespace

const Rule kDnfPinVersions{
    {
        .slug = "dnf-pin-versions",
        .aliases = {"DL3041"},
        .severity = Severity::kWarning,
        .title = "Pin versions in dnf install",
        .rationale =
            "Without a version, dnf installs whatever the repositories offer when the layer is "
            "built, so a rebuild can silently get other versions. `name-1.2.3` makes the build "
            "repeatable and makes an upgrade a visible change in the Dockerfile.",
        .bad = {{"FROM fedora:40\nRUN dnf install -y httpd-2.4.62 mod_ssl && dnf clean all\n",
                 {"2:33"}},
                {"FROM fedora:40\nRUN dnf module install -y nodejs && dnf clean all\n", {"2:27"}},
                {"FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y jq && "
                 "microdnf clean all\n",
                 {"2:25"}}},
        .good =
            {{"FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n", {}},
             {"FROM fedora:40\nRUN dnf install -y /tmp/app.rpm @development nodejs:18 $PKGS\n", {}},
             {"FROM fedora:40\nRUN dnf install -y --setopt=tsflags=nodocs java-17-openjdk\n", {}},
             {"FROM fedora:40\nRUN dnf module install -y nodejs:20/common && dnf clean all\n", {}}},
        .differs_from_hadolint =
            "A package counts as pinned when a dash is followed by a digit (name-1.2), not "
            "whenever it contains a dash, so python3-devel is reported. Groups (@name), module "
            "streams (name:18), .rpm files, globs and words with an expansion are not reported; "
            "each unpinned package is reported at its own word. As in hadolint, microdnf is "
            "checked too, and `dnf module install` needs a stream (nodejs:20).",
    },
    Check};

}  // namespace dockit::lint

// dnf asks "Is this ok [y/N]" before installing; a build cannot answer and dnf aborts.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (std::string_view dnf : {"dnf", "dnf5"}) {
      for (const packages::ManagerCall& call : packages::FindCalls(
               *site.script, dnf, {"install", "groupinstall", "localinstall", "reinstall"},
               {"-c", "--config", "-d", "-e", "--installroot", "--releasever", "--repo",
                "--enablerepo", "--disablerepo", "--setopt"})) {
        if (HasFlag(call.view, {"-y", "--assumeyes"})) continue;
        ctx.Report(packages::CallRange(call),
                   std::string(dnf) + " " + std::string(call.subcommand->value) +
                       " waits for a confirmation that a build cannot give: add -y",
                   packages::InsertAfter(ctx.File(), *call.subcommand, " -y", "add -y"));
      }
    }
  });
}

}  // namespace

const Rule kDnfInstallYes{
    {
        .slug = "dnf-install-yes",
        .aliases = {"DL3038"},
        .severity = Severity::kWarning,
        .title = "Use dnf install -y so that dnf does not wait for a confirmation",
        .rationale = "Without -y, dnf asks \"Is this ok [y/N]\" before installing. A build has no "
                     "terminal, so dnf reads no answer and aborts the install.",
        .bad = {{"FROM fedora:40\nRUN dnf install httpd && dnf clean all\n",
                 {"2:5"},
                 "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n"}},
        .good = {{"FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n", {}},
                 {"FROM fedora:40\nRUN dnf --assumeyes --setopt=install_weak_deps=False install "
                  "httpd\n",
                  {}},
                 {"FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install httpd\n",
                  {}}},
        .differs_from_hadolint =
            "microdnf is not reported: it never asks for a confirmation. dnf5 and `dnf "
            "reinstall` are checked too.",
    },
    Check};

}  // namespace dockit::lint

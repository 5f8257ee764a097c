// yum asks "Is this ok [y/N]" before installing; a build cannot answer and yum aborts.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "yum", {"install", "groupinstall", "localinstall"},
                             {"-c", "--config", "-d", "-e", "--installroot", "--releasever"})) {
      if (HasFlag(call.view, {"-y", "--assumeyes"})) continue;
      ctx.Report(packages::CallRange(call),
                 "yum " + std::string(call.subcommand->value) +
                     " waits for a confirmation that a build cannot give: add -y",
                 packages::InsertAfter(ctx.File(), *call.subcommand, " -y", "add -y"));
    }
  });
}

}  // namespace

const Rule kYumInstallYes{
    {
        .slug = "yum-install-yes",
        .aliases = {"DL3030"},
        .severity = Severity::kWarning,
        .title = "Use yum install -y so that yum does not wait for a confirmation",
        .rationale = "Without -y, yum asks \"Is this ok [y/N]\" before installing. A build has no "
                     "terminal, so yum reads no answer and aborts the install.",
        .bad = {{"FROM centos:7\nRUN yum install httpd && yum clean all\n",
                 {"2:5"},
                 "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"}},
        .good = {{"FROM centos:7\nRUN yum install -y httpd && yum clean all\n", {}},
                 {"FROM centos:7\nRUN yum --assumeyes groupinstall 'Development Tools'\n", {}},
                 {"FROM centos:7\nRUN yum -q -y localinstall /tmp/x.rpm\n", {}}},
    },
    Check};

}  // namespace dockit::lint

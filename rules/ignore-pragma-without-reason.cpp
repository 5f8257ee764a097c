// `--require-reason`: an ignore pragma must say why, and one that does not silences nothing.
#include "parser/pragma.hpp"
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Comment& comment : ctx.Tree().comments) {
    std::optional<IgnorePragma> pragma = ParseIgnorePragma(comment.text);
    if (!pragma || !pragma->reason.empty()) continue;
    ctx.Report(comment.range,
               "this ignore pragma gives no reason, so it silences nothing: add one after the "
               "list, as in `# dlint ignore=ID # why`");
  }
}

}  // namespace

const Rule kIgnorePragmaWithoutReason{
    {
        .slug = "ignore-pragma-without-reason",
        .aliases = {},
        .severity = Severity::kError,
        .title = "Ignore pragmas must give a reason",
        .rationale =
            "An exception without a reason cannot be reviewed: a year later nobody knows whether "
            "the finding was a false positive or a shortcut. With `--require-reason` (or "
            "`require-reason: true` in .dlint.yaml) this rule is on and a `# dlint ignore=`, "
            "`# dlint stage ignore=`, `# dlint global ignore=` or `# hadolint ignore=` pragma "
            "without a reason is reported and does not suppress anything. The reason is the text "
            "after the list, with or without a leading `#`.",
        .bad = {{"FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update\n", {"2:1"}},
                {"# dlint global ignore=DL3059\nFROM debian:12\n", {"1:1"}}},
        .good = {{"FROM debian:12\n# hadolint ignore=DL3008 # the mirror keeps one version\nRUN "
                  "apt-get update\n",
                  {}},
                 {"# dlint stage ignore=no-non-root-user needs root for ports < 1024\nFROM "
                  "nginx:1.27\n",
                  {}}},
        .opt_in = true,
        .differs_from_hadolint = "hadolint has no way to require a reason.",
    },
    Check};

}  // namespace dockit::lint

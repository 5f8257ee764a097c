// `# hadolint ignore=DL3008` or `# dlint ignore=...`: a finding silenced in the file itself.
#include "parser/pragma.hpp"
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Comment& comment : ctx.Tree().comments) {
    if (!ParseIgnorePragma(comment.text)) continue;
    ctx.Report(comment.range,
               "an inline ignore pragma silences findings; fix them or disable the rule in the "
               "configuration");
  }
}

}  // namespace

const Rule kIgnorePragmaUsed{
    {
        .slug = "ignore-pragma-used",
        .aliases = {"DL1001"},
        .severity = Severity::kInfo,
        .title = "Do not use inline ignore pragmas",
        .rationale =
            "A `# hadolint ignore=...` or `# dlint ignore=...` comment hides findings where a "
            "reviewer may not look. Teams that want every exception in the shared configuration "
            "can enable this rule.",
        .bad = {{"FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update\n", {"2:1"}},
                {"# hadolint global ignore=DL3059\nFROM debian:12\nRUN true\n  # dlint "
                 "ignore=apt-pin-versions,DL3015\nRUN false\n",
                 {"1:1", "4:3"}}},
        .good = {{"FROM debian:12\n# ignore the cache here\nRUN apt-get update\n", {}},
                 {"FROM debian:12\n# hadolint is run in CI\n# dlint: ignore=\nRUN true\n", {}}},
        .opt_in = true,
        .differs_from_hadolint = "dlint's own `# dlint ignore=` pragmas are reported too, and so "
                                 "are the `global ignore=` "
                                 "forms.",
    },
    Check};

}  // namespace dockit::lint

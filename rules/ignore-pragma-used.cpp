// `# hadolint ignore=DL3008` or `# dlint ignore=...`: a finding silenced in the file itself.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The pragma grammar the engine reads (linter/pragmas.cpp): `hadolint ignore=X`,
// `dlint ignore=X`, and their `global ignore=` forms.
bool IsIgnorePragma(std::string_view body) {
  body = Trim(body);
  bool ours = body.starts_with("dlint ");
  if (!ours && !body.starts_with("hadolint ")) return false;
  body = Trim(body.substr(ours ? 6 : 9));
  if (body.starts_with("global ")) body = Trim(body.substr(7));
  return body.starts_with("ignore=");
}

void Check(RuleContext& ctx) {
  for (const Comment& comment : ctx.Tree().comments) {
    if (!IsIgnorePragma(comment.text)) continue;
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

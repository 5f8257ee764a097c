// docs/rules/<slug>.md, generated from the rule's own data so that docs cannot drift.
#pragma once

#include <string>

#include "rules/rule.hpp"

namespace dockit::lint {

std::string RuleMarkdown(const RuleInfo& info);
// docs/rules/README.md: the table of all rules with aliases and severities.
std::string RuleIndexMarkdown();

}  // namespace dockit::lint

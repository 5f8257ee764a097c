// Suppression comments: `# dlint ignore=ID[,ID] [# reason]` (next instruction),
// `# dlint stage ignore=...` (the stage of the next instruction), `# dlint global ignore=...`,
// hadolint's `# hadolint ignore=` and `# hadolint global ignore=`, and BuildKit's
// `# check=skip=...`.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "parser/syntax.hpp"

namespace dockit::lint {

struct Suppressions {
  // Ids as CanonicalRuleId gives them: slugs, and ShellCheck codes such as "SC2086".
  std::set<std::string, std::less<>> global;
  struct Local {
    uint32_t first_line = 0;  // the instruction the pragma precedes
    uint32_t last_line = 0;
    std::set<std::string, std::less<>> ids;
  };
  std::vector<Local> local;
  // A finding of rule `slug` (with its finer `code`, or "") that starts on `line`.
  bool Suppressed(std::string_view slug, std::string_view code, uint32_t line) const;
};

Suppressions ReadSuppressions(const SyntaxTree& tree);

}  // namespace dockit::lint

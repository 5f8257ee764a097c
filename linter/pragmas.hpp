// Suppression comments: `# dlint ignore=ID[,ID] [# reason]` (next instruction),
// `# dlint stage ignore=...` (the stage of the next instruction), `# dlint global ignore=...`,
// hadolint's `# hadolint ignore=` and `# hadolint global ignore=`, and BuildKit's
// `# check=skip=...`; and the opt-in rules that `# check=experimental=...` turns on.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "parser/syntax.hpp"

namespace dockit::lint {

struct Suppressions {
  std::set<std::string, std::less<>> global;  // slugs
  struct Local {
    uint32_t first_line = 0;  // the instruction the pragma precedes
    uint32_t last_line = 0;
    std::set<std::string, std::less<>> slugs;
  };
  std::vector<Local> local;
  bool Suppressed(std::string_view slug, uint32_t line) const;
};

Suppressions ReadSuppressions(const SyntaxTree& tree);

// BuildKit's `# check=experimental=A,B` (or `=all`): the opt-in rules the directive turns on.
// `all` means the opt-in rules that are BuildKit checks (those with a BuildKit alias).
std::set<std::string, std::less<>> ReadExperimentalChecks(const SyntaxTree& tree);

}  // namespace dockit::lint

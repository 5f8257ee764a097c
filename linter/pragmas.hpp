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

// In a YAML (compose) file: `# dlint ignore=ID[,ID]` on its own line covers the next line and
// every deeper-indented line after it (the key and its whole value); `# dlint global ignore=`
// covers the file.
Suppressions ReadYamlSuppressions(const SourceFile& file);

}  // namespace dockit::lint

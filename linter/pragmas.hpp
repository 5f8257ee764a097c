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
  // Ids as CanonicalRuleId gives them: slugs, and ShellCheck codes such as "SC2086".
  std::set<std::string, std::less<>> global;
  std::set<std::string, std::less<>> experimental;  // `# check=experimental=...`: turned on
  struct Local {
    uint32_t first_line = 0;  // the instruction the pragma precedes
    uint32_t last_line = 0;
    std::set<std::string, std::less<>> ids;
  };
  std::vector<Local> local;
  // A finding of rule `slug` (with its finer `code`, or "") that starts on `line`.
  bool Suppressed(std::string_view slug, std::string_view code, uint32_t line) const;
};

// With `require_reason`, ignore pragmas without a reason suppress nothing (and the opt-in rule
// ignore-pragma-without-reason reports them).
// `check_override`: the value of the BUILDKIT_DOCKERFILE_CHECK build arg, which replaces the
// file's `# check=` directive.
Suppressions ReadSuppressions(const SyntaxTree& tree, bool require_reason = false,
                              const std::string* check_override = nullptr);
// BuildKit's check settings: `skip=A,B|all;experimental=C|all` (error= is not a suppression).
void ReadCheckSettings(std::string_view value, Suppressions& out);

// In a YAML (compose) file: `# dlint ignore=ID[,ID]` on its own line covers the next line and
// every deeper-indented line after it (the key and its whole value); `# dlint global ignore=`
// covers the file.
Suppressions ReadYamlSuppressions(const SourceFile& file);

}  // namespace dockit::lint

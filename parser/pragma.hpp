// Suppression pragmas in Dockerfile comments, read in one place for the engine and the rules:
// `# dlint ignore=ID[,ID] [# reason]` (the next instruction), `# dlint stage ignore=...` (the
// stage of the next instruction), `# dlint global ignore=...`, and hadolint's
// `# hadolint ignore=...` and `# hadolint global ignore=...`.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace dockit {

struct IgnorePragma {
  enum class Scope { kNextInstruction, kStage, kGlobal };
  Scope scope = Scope::kNextInstruction;
  bool hadolint = false;              // written as `# hadolint ...`
  std::vector<std::string_view> ids;  // as written: slugs, aliases, SC codes
  std::string_view reason;            // the text after the list (a leading `#` removed)
};

// The pragma in a comment's text (without its leading '#'), or nullopt when it is none.
std::optional<IgnorePragma> ParseIgnorePragma(std::string_view comment);

}  // namespace dockit

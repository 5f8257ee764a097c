// Applying the safe fixes of findings: `dlint --fix` and `--fix --dry-run`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "linter/engine.hpp"

namespace dockit::lint {

// The file text with the fixes of `findings` applied. A fix is applied whole or not at all: when
// one of its edits overlaps an edit of a fix accepted before it (in finding order), the whole
// fix waits for the next pass.
std::string ApplyFixes(const SourceFile& file, const std::vector<Finding>& findings);

struct FixOutcome {
  std::string text;  // the fixed file
  LintResult after;  // the findings that remain in it
  int passes = 0;    // lint-and-fix rounds that changed the text
};

// Lints and fixes until no fix applies (at most `max_passes` rounds), so that fixes held back by
// an overlap are applied too and running --fix again changes nothing.
FixOutcome FixToFixpoint(std::shared_ptr<const SourceFile> file, const LintOptions& options,
                         int max_passes = 8);

}  // namespace dockit::lint

#include "linter/fix.hpp"

#include <algorithm>

namespace dockit::lint {
namespace {

// Two edits conflict when their ranges overlap, or when both insert at the same offset (their
// order would be arbitrary).
bool Conflict(const TextEdit& a, const TextEdit& b) {
  if (a.begin == a.end && b.begin == b.end) return a.begin == b.begin;
  return (a.begin < b.end && b.begin < a.end) ||
         (a.begin == a.end && a.begin > b.begin && a.begin < b.end) ||
         (b.begin == b.end && b.begin > a.begin && b.begin < a.end);
}

}  // namespace

std::string ApplyFixes(const SourceFile& file, const std::vector<Finding>& findings) {
  std::vector<const TextEdit*> accepted;
  for (const Finding& f : findings) {
    if (!f.fix) continue;
    bool clashes = std::any_of(f.fix->edits.begin(), f.fix->edits.end(), [&](const TextEdit& e) {
      return std::any_of(accepted.begin(), accepted.end(),
                         [&](const TextEdit* other) { return Conflict(e, *other); });
    });
    if (clashes) continue;
    for (const TextEdit& e : f.fix->edits) accepted.push_back(&e);
  }
  std::stable_sort(accepted.begin(), accepted.end(),
                   [](const TextEdit* a, const TextEdit* b) { return a->begin < b->begin; });
  std::string out;
  uint32_t pos = 0;
  const std::string& text = file.Text();
  for (const TextEdit* e : accepted) {
    if (e->begin < pos) continue;  // edits of one fix that overlap each other: a rule bug
    out.append(text, pos, e->begin - pos);
    out += e->replacement;
    pos = e->end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

FixOutcome FixToFixpoint(std::shared_ptr<const SourceFile> file, const LintOptions& options,
                         int max_passes) {
  FixOutcome outcome{file->Text(), LintFile(file, options), 0};
  while (outcome.passes < max_passes) {
    std::string fixed = ApplyFixes(*outcome.after.file, outcome.after.findings);
    if (fixed == outcome.text) break;
    outcome.text = std::move(fixed);
    ++outcome.passes;
    outcome.after = LintFile(std::make_shared<SourceFile>(file->Path(), outcome.text), options);
  }
  return outcome;
}

}  // namespace dockit::lint

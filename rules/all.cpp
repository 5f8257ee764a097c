#include "rules/all.hpp"

#include <algorithm>

namespace dockit::lint {

const std::vector<const Rule*>& AllRules() {
  // Sorted by slug; tests/rules/catalogue_test.cpp checks the order.
  static const std::vector<const Rule*> kRules = [] {
    std::vector<const Rule*> rules{
        &kAddInsteadOfCopy,
        &kCopyIgnoredFile,
        &kDuplicateStageName,
        &kInvalidInstruction,
        &kSyntaxError,
        &kUndefinedVar,
        &kWholeContextWithoutDockerignore,
#define DOCKIT_RULE(name) &name,
#if __has_include("rules/pending_packages.inc")
#include "rules/pending_packages.inc"
#endif
#if __has_include("rules/pending_instructions.inc")
#include "rules/pending_instructions.inc"
#endif
#if __has_include("rules/pending_shell.inc")
#include "rules/pending_shell.inc"
#endif
#if __has_include("rules/pending_buildkit.inc")
#include "rules/pending_buildkit.inc"
#endif
#undef DOCKIT_RULE
    };
    // Pending rules come unsorted; once merged, the list above is sorted by hand.
    std::sort(rules.begin(), rules.end(),
              [](const Rule* a, const Rule* b) { return a->info.slug < b->info.slug; });
    return rules;
  }();
  return kRules;
}

}  // namespace dockit::lint

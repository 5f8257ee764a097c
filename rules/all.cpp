#include "rules/all.hpp"

namespace dockit::lint {

const std::vector<const Rule*>& AllRules() {
  // Sorted by slug; tests/rules/catalogue_test.cpp checks the order.
  static const std::vector<const Rule*> kRules{
      &kAddInsteadOfCopy, &kDuplicateStageName, &kInvalidInstruction, &kSyntaxError, &kUndefinedVar,
  };
  return kRules;
}

}  // namespace dockit::lint

// Every rule object, one per file in rules/. Listed (sorted) in rules/all.cpp.
#pragma once

#include "rules/rule.hpp"

namespace dockit::lint {

extern const Rule kAddInsteadOfCopy;
extern const Rule kDuplicateStageName;
extern const Rule kInvalidInstruction;
extern const Rule kSyntaxError;
extern const Rule kUndefinedVar;

}  // namespace dockit::lint

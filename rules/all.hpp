// Every rule object, one per file in rules/. Listed (sorted) in rules/all.cpp.
#pragma once

#include "rules/rule.hpp"

namespace dockit::lint {

extern const Rule kAddInsteadOfCopy;
extern const Rule kCopyIgnoredFile;
extern const Rule kDuplicateStageName;
extern const Rule kInvalidInstruction;
extern const Rule kSyntaxError;
extern const Rule kUndefinedVar;
extern const Rule kWholeContextWithoutDockerignore;

// Rules being written in parallel register here until they are merged into the lists above
// and in all.cpp (one rules/pending_<batch>.inc per writer, `DOCKIT_RULE(kName)` per line).
#define DOCKIT_RULE(name) extern const Rule name;
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

}  // namespace dockit::lint

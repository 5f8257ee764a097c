// Rendering findings for people (tty) and machines (json).
#pragma once

#include <string>

#include "linter/engine.hpp"

namespace dockit::lint {

// clang/rustc style: `file:line:col: severity: message [rule]`, the source line with the range
// underlined, and a `help:` line when there is a fix.
std::string FormatTty(const LintResult& result);

}  // namespace dockit::lint

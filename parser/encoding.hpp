// Text checks BuildKit does not make but users need: a Dockerfile with NUL bytes or invalid UTF-8
// is almost always the wrong file (a binary, a UTF-16 export), and BuildKit would silently read
// it as unknown instructions. Reported with the exact byte position, in one linear pass.
#pragma once

#include <optional>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit {

// The first encoding problem of the file: a NUL byte ("not-text") or a byte sequence that is not
// UTF-8 ("invalid-utf8"); nullopt for clean UTF-8 text.
std::optional<Diagnostic> CheckEncoding(const SourceFile& file);

}  // namespace dockit

// The Dockerfile parser: BuildKit's grammar (parser.go, line_parsers.go, split_command.go,
// directives.go) re-implemented with exact source ranges.
#pragma once

#include <memory>

#include "parser/diagnostic.hpp"
#include "parser/syntax.hpp"

namespace dockit {

// Parses a whole file. Fails only where BuildKit's parser fails (no instructions, ENV/LABEL
// without a value, a non-string JSON array element, an unterminated heredoc, a bad parser
// directive, a line over 65535 bytes); everything else, unknown instructions and flags included,
// lands in the tree.
Result<std::shared_ptr<const SyntaxTree>> ParseDockerfile(std::shared_ptr<const SourceFile> file);

// BuildKit's `Node.Dump()` of the whole tree plus the final newline its tests add.
std::string DumpBuildkit(const SyntaxTree& tree);

}  // namespace dockit

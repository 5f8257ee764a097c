// Prints a syntax tree back as canonical Dockerfile source: parser directives first, then each
// instruction on one line (upper-case keyword, re-quoted flags, exec form as a JSON array, the
// argument text otherwise, ENV/LABEL as their pairs), its PrevComment lines just above it and its
// heredoc bodies just below it.
//
// Contract: for every tree that ParseDockerfile produced, ParseDockerfile(PrintDockerfile(tree))
// succeeds and gives the same DumpBuildkit, the same heredocs (name, content, expand, chomp, fd)
// and the same per-instruction `comments`. Source positions, blank lines, comments inside
// continuations and the original spelling of keywords, flags and JSON are not kept.
//
// Where the canonical line cannot reproduce the tree, the printer falls back to what the file
// itself said (see printer.cpp): an instruction whose heredoc words would change is printed as its
// original logical line, and a line whose text ends in a lone escape character gets a trailing \v
// (which BuildKit trims but its continuation regex `E[ \t]*$` does not see), exactly the trick the
// original file must have used to end that text with an escape character.
#pragma once

#include <string>

#include "parser/syntax.hpp"

namespace dockit {

// The whole file; every line ends in '\n'.
std::string PrintDockerfile(const SyntaxTree& tree);

// One instruction under escape character `escape` ('\\' or '`'): its line (split with line
// continuations only if it would exceed BuildKit's 65535-byte line limit), then its heredoc
// bodies and terminators. Comments are not included. Every line ends in '\n'.
std::string PrintInstruction(const Instruction& ins, char escape);

}  // namespace dockit

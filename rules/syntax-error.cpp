// Reported by the engine itself (linter/engine.cpp): a file BuildKit cannot parse, or that is not
// UTF-8 text, gets this one finding and nothing else.
#include "rules/all.hpp"

namespace dockit::lint {

const Rule kSyntaxError{
    {
        .slug = "syntax-error",
        .aliases = {},
        .severity = Severity::kError,
        .title = "The file cannot be parsed",
        .rationale = "BuildKit refuses to read the file at all: for example an unterminated "
                     "heredoc, ENV without a value, or a binary file.",
        .bad = {{"FROM alpine\nRUN <<EOF\necho hi\n", {"2:5"}},
                {"FROM alpine\nENV PATH\n", {"2:5"}}},
        .good = {{"FROM alpine\nRUN <<EOF\necho hi\nEOF\n", {}}},
    },
    nullptr};

}  // namespace dockit::lint

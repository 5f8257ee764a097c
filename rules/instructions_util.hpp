// Small helpers shared by the instruction and stage rules (rules/instructions_*.cpp users):
// variable references in raw words, sub-ranges of words, stage ancestry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/text.hpp"
#include "rules/rule.hpp"

namespace dockit::lint {

// A `$NAME` or `${NAME...}` in raw (unexpanded) Dockerfile text.
struct VarRef {
  std::string name;
  uint32_t begin = 0;  // offset of '$' in the text
  uint32_t end = 0;    // past the name, or past the closing '}'
};

// The variable references the builder would expand in `raw`: escaped dollars (`\$`) and
// single-quoted text are skipped, as BuildKit's shell lexer does.
std::vector<VarRef> VarRefs(std::string_view raw, char escape);

// The file range of bytes [begin, end) of a (non-JSON) word's value.
SourceRange WordSubRange(const SourceFile& file, const Instruction& ins, const Word& w,
                         uint32_t begin, uint32_t end);

// The stage itself, then the earlier stages it is built FROM, nearest first.
std::vector<const Stage*> StageChain(const Analysis& analysis, const Stage& stage);

// An earlier stage referenced by `--from=NAME|INDEX` (COPY/ADD, RUN --mount), or nullptr for an
// image, a later stage or a reference with variables.
const Stage* StageFrom(const Analysis& analysis, const Stage& user, std::string_view from);

// Whether what a stage leaves in its filesystem ends up in the image: the final stage and the
// stages it is built FROM (as hadolint's DL3009 judges), and stages whose whole root one of them
// copies (`COPY --from=x / /`). A builder stage that others copy a few files from does not ship:
// caches left there cost build time, not image size.
bool ShipsAsImage(const Analysis& analysis, const Stage& stage);

// An image reference docker accepts: [registry/]path[:tag][@digest], no empty part, lower-case
// path (the registry host may have upper case and a port).
bool ValidImageReference(std::string_view ref);

// A Windows base image (windows, nanoserver, servercore in the name): no root user, and
// shell-form commands run under `cmd /S /C`.
bool IsWindowsImage(std::string_view image);
// ---- Alpine and BusyBox stages ----------------------------------------------------------------

// The stage runs on an Alpine or BusyBox-like base: the image at the root of its FROM <stage>
// chain names alpine or busybox, or a RUN of the chain runs apk. Such a base has BusyBox's ash
// and applets (wget among them) but no bash until a package adds it.
bool AlpineLike(const RuleContext& ctx, const Stage& stage);

// `apk add` installs `package` (with or without a version: bash, bash=5.2.26-r0, bash~5) in a
// RUN of the stage's chain before the command `at` of the RUN `run` of `stage`; with `at` null,
// before that RUN. Package lists in variables are not followed.
bool ApkAddsBefore(const RuleContext& ctx, const Stage& stage, std::string_view package,
                   const Instruction& run, const ShellCommand* at);

// The `wget` run by command `at` of the RUN `run` is BusyBox's applet: the stage is AlpineLike
// and no `apk add wget` came before it.
bool BusyboxWget(const RuleContext& ctx, const Stage& stage, const Instruction& run,
                 const ShellCommand* at);

// True when every letter of `s` is upper case (resp. lower case); a keyword in mixed case is
// neither.
bool AllUpper(std::string_view s);
bool AllLower(std::string_view s);

// A path that does not depend on the working directory: /x, \x, or a Windows drive (C:\x, c:/x).
bool IsAbsolutePath(std::string_view path);

}  // namespace dockit::lint

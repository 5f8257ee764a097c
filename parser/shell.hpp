// The shell view of RUN (and CMD, ENTRYPOINT, HEALTHCHECK CMD): the script is parsed once with
// tree-sitter-bash into a flat list of simple commands with their words, redirections and
// assignments, each with an exact range in the Dockerfile. Rules ask questions of this view
// (`HasCommand(script, "apt-get", "install")`, `HasFlag(view, {"-y", "--yes"})`) instead of
// matching regular expressions against raw RUN text.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"
#include "parser/syntax.hpp"

namespace dockit {

// Maps a byte range of the parsed script to the Dockerfile. For shell-form RUN it goes through
// the instruction's LogicalLine, so ranges stay exact across removed line continuations.
using ShellMapping = std::function<SourceRange(uint32_t begin, uint32_t end)>;

// What a word contains besides literal text. Bits, so one word can carry several.
struct ShellWordFlags {
  static constexpr uint16_t kQuoted = 1 << 0;               // quotes or backslash escapes
  static constexpr uint16_t kParameter = 1 << 1;            // $x ${x} $1 $@
  static constexpr uint16_t kCommandSubstitution = 1 << 2;  // $(...) `...` <(...) >(...)
  static constexpr uint16_t kArithmetic = 1 << 3;           // $((...))
  static constexpr uint16_t kGlob = 1 << 4;                 // unquoted * ? [ or an extglob
  static constexpr uint16_t kTilde = 1 << 5;                // leading unquoted ~
  static constexpr uint16_t kBrace = 1 << 6;                // {a,b} {1..3}
  static constexpr uint16_t kArray = 1 << 7;                // (a b) in an assignment
  static constexpr uint16_t kUnmodeled = 1 << 8;            // syntax we do not evaluate
};

// One shell word: one argv element, an assignment value or a redirection target.
struct ShellWord {
  std::string_view raw;  // exactly as written (== ShellScript::Text().substr(begin, end-begin))
  // Quotes removed and escapes resolved. Expansions stay as their raw text ("$HOME/x"), so the
  // value is exact only when !HasExpansion(); globs, ~ and braces stay literal patterns.
  std::string_view value;
  uint32_t begin = 0;  // byte range in ShellScript::Text()
  uint32_t end = 0;
  uint16_t flags = 0;  // ShellWordFlags
  SourceRange range;   // the same span in the Dockerfile

  bool Has(uint16_t flag) const { return (flags & flag) != 0; }
  // The shell substitutes something at run time, so `value` is not what the program gets.
  bool HasExpansion() const {
    return Has(ShellWordFlags::kParameter | ShellWordFlags::kCommandSubstitution |
               ShellWordFlags::kArithmetic | ShellWordFlags::kArray | ShellWordFlags::kUnmodeled);
  }
  // The program receives exactly `value` (no expansion, no glob, tilde or brace pattern).
  bool Static() const {
    return !HasExpansion() &&
           !Has(ShellWordFlags::kGlob | ShellWordFlags::kTilde | ShellWordFlags::kBrace);
  }
};

// The operator after a command: what joins it to the next one in its list.
enum class ShellOperator : uint8_t {
  kEnd,         // nothing follows in its list (end of script, subshell, body ...)
  kAnd,         // &&
  kOr,          // ||
  kSemicolon,   // ;
  kBackground,  // &
  kPipe,        // |
  kPipeAll,     // |&
  kNewline,     // a line break
  kCaseBreak,   // ;; ;& ;;& ending a case item
};
std::string_view OperatorText(ShellOperator op);

// Where a command sits. Bits, inherited by everything nested inside.
struct ShellContext {
  static constexpr uint32_t kSubshell = 1u << 0;             // ( ... )
  static constexpr uint32_t kCommandSubstitution = 1u << 1;  // $( ... ) or `...`
  static constexpr uint32_t kProcessSubstitution = 1u << 2;  // <( ... ) >( ... )
  static constexpr uint32_t kIf = 1u << 3;                   // condition or branch of if
  static constexpr uint32_t kCondition = 1u << 4;            // condition of if/while/until
  static constexpr uint32_t kLoop = 1u << 5;                 // for/select/while/until
  static constexpr uint32_t kCase = 1u << 6;                 // case item body
  static constexpr uint32_t kFunction = 1u << 7;             // function body: not run here
  static constexpr uint32_t kPipeline = 1u << 8;             // part of a | pipeline
  static constexpr uint32_t kNegated = 1u << 9;              // ! cmd
  static constexpr uint32_t kBraceGroup = 1u << 10;          // { ...; }
  static constexpr uint32_t kNestedShell = 1u << 11;         // sh -c '...', bash <<EOF body
};

struct ShellRedirect {
  std::string_view op;  // ">", ">>", "<", "&>", ">&", "<<", "<<-", "<<<", ...
  int32_t fd = -1;      // explicit descriptor (2 in 2>&1); -1 when omitted
  ShellWord target;     // file, descriptor or here-string; for heredocs the delimiter
  uint32_t begin = 0;
  uint32_t end = 0;
  SourceRange range;
  bool IsHeredoc() const { return op == "<<" || op == "<<-"; }
};

struct ShellAssignment {
  enum class Kind : uint8_t {
    kBare,         // FOO=bar on its own: sets a shell variable
    kPrefix,       // FOO=bar cmd: in cmd's environment only
    kDeclaration,  // export/local/declare/readonly/typeset FOO=bar
  };
  Kind kind = Kind::kBare;
  std::string_view name;   // FOO, or arr[1]
  bool append = false;     // +=
  bool has_value = false;  // false for `FOO=` and `export FOO`
  ShellWord value;         // empty at the end of `FOO=` when there is no value
  int32_t command = -1;    // index in ShellScript::Commands() of the command it belongs to
  uint32_t context = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  SourceRange range;
};

// One simple command. Test commands ([ ... ], [[ ... ]], (( ... ))) appear with their bracket
// as argv[0]; declaration commands (export, local, ...) and unset with their keyword.
struct ShellCommand {
  std::span<const ShellWord> argv;               // empty for a bare redirection such as `> file`
  std::span<const ShellAssignment> assignments;  // prefixes and declared variables
  std::span<const ShellRedirect> redirects;
  ShellOperator next = ShellOperator::kEnd;
  uint32_t context = 0;  // ShellContext bits
  uint32_t segment = 0;  // index in ShellScript::Segments()
  uint32_t begin = 0;    // in ShellScript::Text(), redirections included
  uint32_t end = 0;
  SourceRange range;

  bool In(uint32_t context_bits) const { return (context & context_bits) != 0; }
  // Basename of argv[0]'s value ("apt-get" for /usr/bin/apt-get); "" without argv.
  std::string_view Name() const;
};

// A piece of text the view was built from: a parsed script, or a heredoc body run by another
// interpreter (kept, unparsed, so callers can point at it).
struct ShellSegment {
  enum class Origin : uint8_t {
    kScript,        // ParseShell's argument
    kRunLine,       // the instruction's shell-form text
    kHeredoc,       // a heredoc body
    kExecScript,    // the -c script of an exec-form shell
    kExecArgv,      // an exec-form argv without a shell
    kNestedScript,  // the -c script of sh/bash/su inside another script
  };
  Origin origin = Origin::kScript;
  bool is_shell = true;  // parsed as shell code
  uint32_t begin = 0;    // in ShellScript::Text()
  uint32_t end = 0;
  std::string interpreter;  // who runs a non-shell heredoc ("python3", "/usr/bin/env node")
  int32_t heredoc = -1;     // index in the instruction's heredocs
  int32_t command = -1;     // the command that runs it (sh -c, bash <<EOF), -1 for none
  uint32_t context = 0;     // inherited by its commands
};

enum class ShellKind : uint8_t {
  kShell,     // shell code was parsed (it may still contain non-shell heredoc segments)
  kExec,      // exec form without a shell: one command from the JSON argv
  kNotShell,  // a heredoc script run directly by a non-shell shebang (#!/usr/bin/env python3)
  kNotPosix,  // the SHELL instruction names a non-POSIX shell: nothing was parsed
  kNone,      // not an instruction that runs a command
};

// The immutable result of parsing. Cheap to copy: the data is shared, and every string_view
// and span in it stays valid as long as any copy lives.
class ShellScript {
 public:
  struct Data;

  ShellScript();
  explicit ShellScript(std::shared_ptr<const Data> data);

  ShellKind Kind() const;
  bool IsShell() const { return Kind() == ShellKind::kShell; }
  // Every segment's text, joined by newlines; all begin/end offsets point into it.
  std::string_view Text() const;
  // Simple commands in source order; commands nested in a command (substitutions, sh -c
  // scripts) follow it.
  std::span<const ShellCommand> Commands() const;
  // Every assignment, in the order of the statements and commands that hold them.
  std::span<const ShellAssignment> Assignments() const;
  std::span<const ShellSegment> Segments() const;
  // tree-sitter ERROR/MISSING nodes as warnings; parsing never fails.
  std::span<const Diagnostic> Warnings() const;

 private:
  std::shared_ptr<const Data> data_;
};

// Parses a POSIX/bash script. Without a mapping, ranges are line:column within the script.
// Commands of `sh -c '...'`, `bash -c`, `su -c` with a literal script are parsed as well
// (context kNestedShell), at most three levels deep.
ShellScript ParseShell(std::string_view script, const ShellMapping& mapping = {});

struct ShellOptions {
  // False when the stage's SHELL is not a POSIX shell (powershell, cmd): shell-form commands
  // are then left unparsed (kNotPosix). ShellViewsOf works this out by itself.
  bool posix_shell = true;
};

// The shell view of one instruction, the way BuildKit runs it:
// - shell form: the argument text;
// - RUN with heredocs: `RUN <<EOF` runs the body (with a shebang, a non-shell interpreter makes
//   it kNotShell); otherwise the line is parsed with the heredoc words blanked, and a body is
//   parsed too when it feeds a POSIX shell reading stdin (`RUN bash <<EOF`, `RUN <<EOF sh`);
//   other bodies (`RUN python3 <<EOF`, `RUN cat <<EOF >file`) are non-shell segments. <<- bodies
//   are parsed with leading tabs removed, ranges still exact;
// - exec form: the -c script when argv is a POSIX shell with -c, else one command (kExec);
// - ONBUILD: the trigger instruction; HEALTHCHECK: its CMD.
ShellScript ShellOf(const Instruction& instruction, const SourceFile& file,
                    const ShellOptions& options = {});

// True when a SHELL instruction's argv runs a POSIX shell (sh, bash, dash, ash, ...).
bool ShellInstructionIsPosix(const Instruction& shell_instruction);

// ShellOf for every instruction of a tree (index-aligned with tree.instructions), tracking the
// SHELL instruction per stage, including stages that inherit it with `FROM <stage>`.
std::vector<ShellScript> ShellViewsOf(const SyntaxTree& tree);

// ---- Queries ---------------------------------------------------------------------------------

// sh, bash, dash, ash, ksh, mksh, zsh (a basename).
bool IsPosixShellName(std::string_view name);
// "apt-get" for "/usr/bin/apt-get".
std::string_view Basename(std::string_view path);

// A command seen through the programs that only run another one. Unwrapped: sudo, doas, env,
// command (not -v/-V), exec, time, nice, ionice, nohup, timeout, stdbuf, xargs, gosu, su-exec,
// chroot, tini, dumb-init, eatmydata, fakeroot, busybox, each with its own options skipped (env
// and sudo also skip VAR=value). xargs is included although its command also gets arguments
// from stdin: `find | xargs rm -rf` should still be seen as rm. `su -c` and `sh -c` are not
// wrappers: their script is parsed into commands of its own.
struct CommandView {
  const ShellCommand* command = nullptr;
  std::span<const ShellWord> argv;      // argv[0] is the program that really runs
  std::span<const ShellWord> wrappers;  // the words before it ("sudo -u app")

  std::string_view Name() const;  // basename of argv[0]
  bool WrappedBy(std::string_view wrapper) const;
};

CommandView Unwrap(const ShellCommand& command);

// Commands whose unwrapped name is `name`, in order.
std::vector<CommandView> FindCommands(const ShellScript& script, std::string_view name);

// The arguments that are not flags: a word starting with '-' (other than "-") is a flag, and
// everything after "--" is an argument. `flags_with_value` lists flags whose value is the next
// word (e.g. {"-o", "-t"} for apt-get), so that value is skipped too.
std::vector<const ShellWord*> Args(const CommandView& view,
                                   std::initializer_list<std::string_view> flags_with_value = {});
// The first of Args(): "install" in `apt-get -y install curl`. nullptr when none.
const ShellWord* Subcommand(const CommandView& view,
                            std::initializer_list<std::string_view> flags_with_value = {});

// Some command is `name` (after Unwrap) and, when subcommand is not empty, its Subcommand() is
// `subcommand`.
bool HasCommand(const ShellScript& script, std::string_view name, std::string_view subcommand = {},
                std::initializer_list<std::string_view> flags_with_value = {});

// Any spelling is present: "--yes" matches `--yes` and `--yes=1`; a short "-y" also matches
// inside a cluster (`-qy`); any spelling matches a word equal to it (`-name`). Flags after "--"
// do not count. Pass every alias: {"-y", "--yes", "--assume-yes"}.
bool HasFlag(const CommandView& view, std::initializer_list<std::string_view> spellings);
bool HasFlag(const CommandView& view, std::string_view spelling);

// The value of a flag: `--out=x`, `--out x`, `-o x`, `-ox`. nullopt when absent.
std::optional<std::string_view> FlagValue(const CommandView& view,
                                          std::initializer_list<std::string_view> spellings);

}  // namespace dockit

// libFuzzer target for the Dockerfile layer and the shell view. Parses arbitrary bytes as a
// Dockerfile and, when the parse succeeds, walks the whole tree checking the invariants every
// later stage relies on: each range lies inside the file with line:column equal to
// SourceFile::PosAt, each Word/Flag lies inside its logical line, and each logical line's pieces
// map back to the very bytes they came from; then the same for the shell view of every
// instruction (parser/shell.hpp, when present). A violation traps: an invariant failure is a
// finding, not a silent pass. The dump and every diagnostic are rendered too, so those code
// paths run under ASan/UBSan.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/dockerfile_parser.hpp"
#if __has_include("parser/shell.hpp")
#include "parser/shell.hpp"
#define DOCKIT_FUZZ_SHELL 1
#endif
#include "parser/source.hpp"
#include "parser/syntax.hpp"

namespace {

using dockit::Heredoc;
using dockit::Instruction;
using dockit::SourceFile;
using dockit::SourcePos;
using dockit::SourceRange;

// Traps rather than aborts: libFuzzer reports it as a crash with the failing line on the stack.
#define DOCKIT_FUZZ_CHECK(cond)    \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

void CheckPos(const SourceFile& file, const SourcePos& pos) {
  DOCKIT_FUZZ_CHECK(pos.offset <= file.Text().size());
  DOCKIT_FUZZ_CHECK(pos == file.PosAt(pos.offset));
}

void CheckRange(const SourceFile& file, const SourceRange& range) {
  DOCKIT_FUZZ_CHECK(range.begin.offset <= range.end.offset);
  CheckPos(file, range.begin);
  CheckPos(file, range.end);
}

// A logical line is its pieces concatenated: contiguous in the logical text, increasing and
// non-overlapping in the file, and byte-identical to the file where they point.
void CheckLogicalLine(const SourceFile& file, const dockit::LogicalLine& line) {
  const std::string& text = line.Text();
  std::string_view src = file.Text();
  uint32_t logical = 0;
  uint32_t source = 0;
  for (const dockit::LogicalLine::Piece& p : line.Pieces()) {
    DOCKIT_FUZZ_CHECK(p.logical == logical);
    DOCKIT_FUZZ_CHECK(p.source >= source);
    // Only an empty logical line has a (single, zero-length) anchor piece.
    DOCKIT_FUZZ_CHECK(p.length > 0 || (text.empty() && line.Pieces().size() == 1));
    DOCKIT_FUZZ_CHECK(p.source <= src.size() && p.length <= src.size() - p.source);
    DOCKIT_FUZZ_CHECK(p.logical + p.length <= text.size());
    DOCKIT_FUZZ_CHECK(src.substr(p.source, p.length) ==
                      std::string_view(text).substr(p.logical, p.length));
    logical += p.length;
    source = p.source + p.length;
  }
  DOCKIT_FUZZ_CHECK(logical == text.size());
}

// [begin, end) in the logical line, and its file range, which must be what the line maps it to.
void CheckSpan(const SourceFile& file, const Instruction& ins, const SourceRange& outer,
               uint32_t begin, uint32_t end, const SourceRange& range) {
  DOCKIT_FUZZ_CHECK(begin <= end);
  DOCKIT_FUZZ_CHECK(end <= ins.line.Text().size());
  CheckRange(file, range);
  DOCKIT_FUZZ_CHECK(range == ins.line.ToSourceRange(file, begin, end));
  // The file range stays within the instruction's (a top-level one: ONBUILD triggers have none).
  DOCKIT_FUZZ_CHECK(range.begin.offset >= outer.begin.offset);
  DOCKIT_FUZZ_CHECK(range.end.offset <= outer.end.offset);
}

void CheckHeredoc(const SourceFile& file, const Heredoc& doc) {
  CheckRange(file, doc.word_range);
  CheckRange(file, doc.body_range);
  CheckRange(file, doc.terminator_range);
  // The body follows the `<<WORD` and the terminator follows the body.
  DOCKIT_FUZZ_CHECK(doc.word_range.end.offset <= doc.body_range.begin.offset);
  DOCKIT_FUZZ_CHECK(doc.body_range.end.offset == doc.terminator_range.begin.offset);
  DOCKIT_FUZZ_CHECK(doc.content ==
                    file.Text().substr(doc.body_range.begin.offset, doc.body_range.Size()));
}

void CheckInstruction(const SourceFile& file, const Instruction& ins, const SourceRange& outer,
                      int depth) {
  DOCKIT_FUZZ_CHECK(depth <= 64);
  CheckLogicalLine(file, ins.line);
  CheckRange(file, ins.keyword_range);
  DOCKIT_FUZZ_CHECK(ins.keyword_range.begin.offset >= outer.begin.offset);
  DOCKIT_FUZZ_CHECK(ins.keyword_range.end.offset <= outer.end.offset);
  DOCKIT_FUZZ_CHECK(ins.args_begin <= ins.args_end);
  DOCKIT_FUZZ_CHECK(ins.args_end <= ins.line.Text().size());
  (void)ins.ArgsText();
  DOCKIT_FUZZ_CHECK(dockit::KindFromKeyword(ins.keyword) == ins.kind);
  for (const dockit::Flag& f : ins.flags) {
    CheckSpan(file, ins, outer, f.begin, f.end, f.range);
    DOCKIT_FUZZ_CHECK(f.end <= ins.args_begin);
    (void)f.Name();
    (void)f.Value();
    DOCKIT_FUZZ_CHECK(ins.FindFlag(f.Name()) != nullptr);
  }
  for (const dockit::Word& w : ins.args) CheckSpan(file, ins, outer, w.begin, w.end, w.range);
  for (const Heredoc& doc : ins.heredocs) {
    CheckHeredoc(file, doc);
    DOCKIT_FUZZ_CHECK(doc.word_range.begin.offset >= outer.begin.offset);
    DOCKIT_FUZZ_CHECK(doc.terminator_range.end.offset <= outer.end.offset);
  }
  if (ins.onbuild) {
    DOCKIT_FUZZ_CHECK(ins.kind == dockit::InstructionKind::kOnbuild);
    // The trigger shares the outer logical line, so its spans are checked against it.
    DOCKIT_FUZZ_CHECK(ins.onbuild->line.Text() == ins.line.Text());
    CheckInstruction(file, *ins.onbuild, outer, depth + 1);
  }
}

void CheckDiagnostic(const SourceFile& file, const dockit::Diagnostic& d) {
  CheckRange(file, d.range);
  DOCKIT_FUZZ_CHECK(!d.code.empty());
  std::string rendered = dockit::Render(file, d);
  DOCKIT_FUZZ_CHECK(!rendered.empty() && rendered.back() == '\n');
}

#ifdef DOCKIT_FUZZ_SHELL
// A span of the shell view: inside ShellScript::Text(), and its file range inside the
// instruction it came from.
void CheckShellSpan(const SourceFile& file, const dockit::ShellScript& script,
                    const SourceRange& outer, uint32_t begin, uint32_t end,
                    const SourceRange& range) {
  DOCKIT_FUZZ_CHECK(begin <= end);
  DOCKIT_FUZZ_CHECK(end <= script.Text().size());
  CheckRange(file, range);
  DOCKIT_FUZZ_CHECK(range.begin.offset >= outer.begin.offset);
  DOCKIT_FUZZ_CHECK(range.end.offset <= outer.end.offset);
}

void CheckShellWord(const SourceFile& file, const dockit::ShellScript& script,
                    const SourceRange& outer, const dockit::ShellWord& w) {
  CheckShellSpan(file, script, outer, w.begin, w.end, w.range);
  DOCKIT_FUZZ_CHECK(w.raw == script.Text().substr(w.begin, w.end - w.begin));
  (void)w.value.size();
  (void)w.Static();
}

// The shell view of one instruction: every command, word, redirection and assignment range,
// then the query helpers on every command.
void CheckShellView(const SourceFile& file, const Instruction& ins,
                    const dockit::ShellScript& script) {
  const SourceRange& outer = ins.range;
  std::string_view text = script.Text();
  for (const dockit::ShellSegment& seg : script.Segments()) {
    DOCKIT_FUZZ_CHECK(seg.begin <= seg.end && seg.end <= text.size());
    DOCKIT_FUZZ_CHECK(seg.command < static_cast<int32_t>(script.Commands().size()));
  }
  for (const dockit::ShellCommand& cmd : script.Commands()) {
    CheckShellSpan(file, script, outer, cmd.begin, cmd.end, cmd.range);
    DOCKIT_FUZZ_CHECK(cmd.segment < script.Segments().size());
    for (const dockit::ShellWord& w : cmd.argv) CheckShellWord(file, script, outer, w);
    for (const dockit::ShellRedirect& r : cmd.redirects) {
      CheckShellSpan(file, script, outer, r.begin, r.end, r.range);
      CheckShellWord(file, script, outer, r.target);
    }
    for (const dockit::ShellAssignment& a : cmd.assignments) {
      CheckShellSpan(file, script, outer, a.begin, a.end, a.range);
      if (a.has_value) CheckShellWord(file, script, outer, a.value);
    }
    (void)cmd.Name();
    (void)dockit::OperatorText(cmd.next);
    dockit::CommandView view = dockit::Unwrap(cmd);
    DOCKIT_FUZZ_CHECK(view.command == &cmd);
    (void)view.Name();
    (void)dockit::Args(view, {"-o", "-t"});
    (void)dockit::Subcommand(view);
    (void)dockit::HasFlag(view, {"-y", "--yes"});
    (void)dockit::FlagValue(view, {"-o", "--output"});
  }
  for (const dockit::ShellAssignment& a : script.Assignments()) {
    CheckShellSpan(file, script, outer, a.begin, a.end, a.range);
    DOCKIT_FUZZ_CHECK(a.command < static_cast<int32_t>(script.Commands().size()));
  }
  for (const dockit::Diagnostic& w : script.Warnings()) CheckDiagnostic(file, w);
  // Once per script, not per command: FindCommands walks every command.
  if (!script.Commands().empty()) {
    dockit::CommandView first = dockit::Unwrap(script.Commands().front());
    for (const dockit::CommandView& found : dockit::FindCommands(script, first.Name())) {
      DOCKIT_FUZZ_CHECK(found.Name() == first.Name());
    }
  }
  (void)dockit::HasCommand(script, "apt-get", "install");
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = std::make_shared<dockit::SourceFile>(
      "Dockerfile", std::string(reinterpret_cast<const char*>(data), size));
  auto result = dockit::ParseDockerfile(file);
  if (!result.Ok()) {
    CheckDiagnostic(*file, result.Error());
    return 0;
  }
  const dockit::SyntaxTree& tree = **result;
  DOCKIT_FUZZ_CHECK(tree.file == file);
  DOCKIT_FUZZ_CHECK(!tree.instructions.empty());
  std::string dump = dockit::DumpBuildkit(tree);
  DOCKIT_FUZZ_CHECK(!dump.empty());

  uint32_t previous_end = 0;
  for (const Instruction& ins : tree.instructions) {
    CheckRange(*file, ins.range);
    // Instructions come in file order and do not overlap (heredoc bodies included).
    DOCKIT_FUZZ_CHECK(ins.range.begin.offset >= previous_end);
    previous_end = ins.range.end.offset;
    CheckInstruction(*file, ins, ins.range, 0);
  }
  for (const dockit::Directive& d : tree.directives) CheckRange(*file, d.range);
  for (const dockit::Comment& c : tree.comments) CheckRange(*file, c.range);
  for (const dockit::Diagnostic& w : tree.warnings) CheckDiagnostic(*file, w);

#ifdef DOCKIT_FUZZ_SHELL
  // The shell view of every RUN, CMD, ENTRYPOINT, HEALTHCHECK and ONBUILD trigger, with the
  // stage's SHELL taken into account.
  std::vector<dockit::ShellScript> views = dockit::ShellViewsOf(tree);
  DOCKIT_FUZZ_CHECK(views.size() == tree.instructions.size());
  for (size_t i = 0; i < views.size(); ++i) CheckShellView(*file, tree.instructions[i], views[i]);
#endif
  return 0;
}

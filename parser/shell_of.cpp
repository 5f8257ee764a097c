// The shell view of instructions, following BuildKit's dispatchRun: which text a shell runs for
// shell form, heredocs and exec form, and how its offsets map back to the Dockerfile.
#include <algorithm>
#include <map>
#include <optional>

#include "parser/shell.hpp"
#include "parser/shell_internal.hpp"
#include "parser/text.hpp"

namespace dockit {
namespace {

using shell_internal::HeredocMarker;
using shell_internal::OffsetMap;
using shell_internal::SegmentSpec;
using shell_internal::ShellBuilder;
using shell_internal::WordRef;

ShellScript OnlyKind(ShellKind kind) {
  if (kind == ShellKind::kNone) return ShellScript();
  ShellBuilder builder;
  builder.SetKind(kind);
  return builder.Finish();
}

// The logical offset of a file offset inside `line` (begin of a byte, or the end of a range
// when `is_end`), or nullopt when the line does not hold it.
std::optional<uint32_t> LogicalOf(const LogicalLine& line, uint32_t file_offset, bool is_end) {
  for (const LogicalLine::Piece& p : line.Pieces()) {
    bool inside = is_end ? (file_offset > p.source && file_offset <= p.source + p.length)
                         : (file_offset >= p.source && file_offset < p.source + p.length);
    if (inside) return p.logical + (file_offset - p.source);
  }
  return std::nullopt;
}

// `#!/bin/sh -e`, `#!/usr/bin/env bash`: is the interpreter a POSIX shell?
bool ShebangIsPosix(std::string_view interpreter) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < interpreter.size()) {
    while (i < interpreter.size() && (interpreter[i] == ' ' || interpreter[i] == '\t')) ++i;
    size_t j = i;
    while (j < interpreter.size() && interpreter[j] != ' ' && interpreter[j] != '\t') ++j;
    if (j > i) words.push_back(interpreter.substr(i, j - i));
    i = j;
  }
  if (words.empty()) return false;
  std::string_view program = Basename(words[0]);
  if (program == "env") {
    for (size_t k = 1; k < words.size(); ++k) {
      if (words[k].starts_with("-") || shell_internal::IsAssignmentWord(words[k])) continue;
      return IsPosixShellName(Basename(words[k]));
    }
    return false;
  }
  return IsPosixShellName(program);
}

// Adds a heredoc body as a shell segment: <<- bodies lose their leading tabs first (the shell,
// or BuildKit for `RUN <<-EOF`, strips them), and map back through an OffsetMap.
void ParseHeredocBody(ShellBuilder& builder, const Heredoc& doc, const SourceFile& file,
                      int32_t index, int32_t command, uint32_t context) {
  const uint32_t body_begin = doc.body_range.begin.offset;
  const uint32_t body_end = std::max(body_begin, doc.body_range.end.offset);
  // Offsets past the body (content that does not match the file) are clamped into it.
  auto to_file = [&file, body_begin, body_end](uint32_t b, uint32_t e) {
    return file.RangeOf(std::min(body_begin + b, body_end), std::min(body_begin + e, body_end));
  };
  SegmentSpec spec;
  spec.origin = ShellSegment::Origin::kHeredoc;
  spec.heredoc = index;
  spec.command = command;
  spec.context = context;
  std::string stripped;
  if (doc.chomp) {
    OffsetMap map;
    const std::string& content = doc.content;
    size_t i = 0;
    bool line_start = true;
    while (i < content.size()) {
      if (line_start && content[i] == '\t') {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < content.size() && content[j] != '\n') ++j;
      if (j < content.size()) ++j;  // keep the newline
      map.Copy(static_cast<uint32_t>(stripped.size()), static_cast<uint32_t>(i),
               static_cast<uint32_t>(j - i));
      stripped.append(content, i, j - i);
      line_start = true;
      i = j;
    }
    map.Finish(static_cast<uint32_t>(stripped.size()), static_cast<uint32_t>(content.size()));
    spec.text = stripped;
    spec.mapping = [to_file, map = std::move(map)](uint32_t b, uint32_t e) {
      auto [rb, re] = map.Range(b, e);
      return to_file(rb, re);
    };
  } else {
    spec.text = doc.content;
    spec.mapping = to_file;
  }
  builder.ParseSegment(spec);
}

// Exec form: argv from JSON. A POSIX shell with -c gets its script parsed; anything else is
// one command.
ShellScript ExecForm(const Instruction& instr, size_t first_arg, const SourceFile& file) {
  const LogicalLine& line = instr.line;
  std::span<const Word> args(instr.args.data() + first_arg, instr.args.size() - first_arg);
  if (args.empty()) return OnlyKind(ShellKind::kExec);
  std::vector<WordRef> refs;
  refs.reserve(args.size());
  for (const Word& w : args) refs.push_back(WordRef{w.value, ShellWordFlags::kQuoted});
  size_t program = shell_internal::UnwrapIndex(std::span<const WordRef>(refs), 0);
  std::optional<size_t> script =
      IsPosixShellName(Basename(refs[program].value))
          ? shell_internal::ShellScriptOperand(std::span<const WordRef>(refs), program)
          : std::nullopt;
  ShellBuilder builder;
  if (script) {
    const Word& w = args[*script];
    std::string decoded;
    OffsetMap map;
    std::string_view raw = std::string_view(line.Text()).substr(w.begin, w.end - w.begin);
    SegmentSpec spec;
    spec.text = w.value;
    spec.origin = ShellSegment::Origin::kExecScript;
    if (shell_internal::DecodeJsonString(raw, w.begin, &decoded, &map) && decoded == w.value) {
      spec.mapping = [&line, &file, map = std::move(map)](uint32_t b, uint32_t e) {
        auto [rb, re] = map.Range(b, e);
        return line.ToSourceRange(file, rb, re);
      };
    } else {
      // A string Go decodes differently (invalid UTF-8): point at the whole element.
      spec.mapping = [&w](uint32_t, uint32_t) { return w.range; };
    }
    builder.ParseSegment(spec);
    builder.SetKind(ShellKind::kShell);
    return builder.Finish();
  }
  uint32_t seg_begin = args.front().begin;
  uint32_t seg_end = args.back().end;
  std::vector<ShellBuilder::ExecWord> words;
  words.reserve(args.size());
  for (const Word& w : args) {
    words.push_back(ShellBuilder::ExecWord{w.begin - seg_begin, w.end - seg_begin, w.value});
  }
  ShellMapping mapping = [&line, &file, seg_begin](uint32_t b, uint32_t e) {
    return line.ToSourceRange(file, seg_begin + b, seg_begin + e);
  };
  builder.AddExecCommand(std::string_view(line.Text()).substr(seg_begin, seg_end - seg_begin),
                         words, mapping);
  builder.SetKind(ShellKind::kExec);
  return builder.Finish();
}

ShellScript HeredocRun(const Instruction& instr, const std::vector<Heredoc>& heredocs,
                       const SourceFile& file, const ShellOptions& options) {
  const LogicalLine& line = instr.line;
  const uint32_t args_begin = instr.args_begin;
  const uint32_t args_end = instr.args_end;
  std::string_view args = instr.ArgsText();

  // The heredoc words inside the argument text.
  std::vector<HeredocMarker> markers;
  for (size_t i = 0; i < heredocs.size(); ++i) {
    const Heredoc& doc = heredocs[i];
    std::optional<uint32_t> b = LogicalOf(line, doc.word_range.begin.offset, false);
    std::optional<uint32_t> e = LogicalOf(line, doc.word_range.end.offset, true);
    if (!b || !e || *b < args_begin || *e > args_end || *b >= *e) continue;
    HeredocMarker m;
    m.begin = *b - args_begin;
    m.end = *e - args_begin;
    // Heredoc::fd is 0 both for `<<EOF` and `0<<EOF`; like other redirections, -1 means the
    // word has no explicit descriptor.
    bool explicit_fd = args[m.begin] >= '0' && args[m.begin] <= '9';
    m.fd = explicit_fd ? static_cast<int32_t>(doc.fd) : -1;
    m.chomp = doc.chomp;
    m.name = doc.name;
    m.heredoc = static_cast<int32_t>(i);
    uint32_t p = m.begin;
    while (p < m.end && args[p] >= '0' && args[p] <= '9') ++p;
    while (p < m.end && args[p] == '<') ++p;
    if (p < m.end && args[p] == '-') ++p;
    while (p < m.end && (args[p] == ' ' || args[p] == '\t')) ++p;
    m.delimiter_begin = p;
    markers.push_back(std::move(m));
  }

  ShellBuilder builder;
  // BuildKit: a line that is nothing but one heredoc runs that heredoc's content as the script,
  // directly when it starts with a shebang, else through the stage's shell.
  if (!markers.empty() && markers[0].heredoc == 0 && markers[0].begin == 0 &&
      markers[0].end == args.size()) {
    const Heredoc& doc = heredocs[0];
    if (doc.content.starts_with("#!")) {
      size_t eol = doc.content.find('\n');
      std::string interpreter = doc.content.substr(2, eol == std::string::npos ? eol : eol - 2);
      while (!interpreter.empty() && (interpreter.back() == '\r' || interpreter.back() == ' ')) {
        interpreter.pop_back();
      }
      size_t lead = interpreter.find_first_not_of(" \t");
      interpreter.erase(0, lead == std::string::npos ? interpreter.size() : lead);
      if (!ShebangIsPosix(interpreter)) {
        builder.AddTextSegment(doc.content, ShellSegment::Origin::kHeredoc, interpreter, 0, -1);
        builder.SetKind(ShellKind::kNotShell);
        return builder.Finish();
      }
    } else if (!options.posix_shell) {
      builder.AddTextSegment(doc.content, ShellSegment::Origin::kHeredoc, "", 0, -1);
      builder.SetKind(ShellKind::kNotPosix);
      return builder.Finish();
    }
    ParseHeredocBody(builder, doc, file, 0, -1, 0);
    builder.SetKind(ShellKind::kShell);
    return builder.Finish();
  }

  if (!options.posix_shell) return OnlyKind(ShellKind::kNotPosix);

  // Anything else runs as `line + "\n" + body + delimiter` through the shell. tree-sitter-bash
  // cannot parse a heredoc before the command name (`<<EOF bash`), and the bodies are parsed on
  // their own, so the line is parsed with its heredoc words blanked out.
  std::string blanked(args);
  for (const HeredocMarker& m : markers) {
    std::fill(blanked.begin() + m.begin, blanked.begin() + m.end, ' ');
  }
  SegmentSpec spec;
  spec.text = args;
  spec.parse_text = blanked;
  spec.origin = ShellSegment::Origin::kRunLine;
  spec.heredocs = &markers;
  spec.mapping = [&line, &file, args_begin](uint32_t b, uint32_t e) {
    return line.ToSourceRange(file, args_begin + b, args_begin + e);
  };
  builder.ParseSegment(spec);

  for (size_t i = 0; i < heredocs.size(); ++i) {
    const Heredoc& doc = heredocs[i];
    int32_t command = -1;
    for (const HeredocMarker& m : markers) {
      if (m.heredoc == static_cast<int32_t>(i)) command = m.command;
    }
    std::vector<WordRef> argv = builder.ArgvOf(command);
    std::string interpreter;
    bool shell = false;
    if (!argv.empty()) {
      size_t program = shell_internal::UnwrapIndex(std::span<const WordRef>(argv), 0);
      interpreter = std::string(argv[program].value);
      // The body is the program's stdin: shell code when that program is a shell reading
      // its script from stdin.
      shell =
          doc.fd == 0 && shell_internal::ShellReadsStdin(std::span<const WordRef>(argv), program);
    }
    if (shell) {
      ParseHeredocBody(builder, doc, file, static_cast<int32_t>(i), command,
                       ShellContext::kNestedShell);
    } else {
      builder.AddTextSegment(doc.content, ShellSegment::Origin::kHeredoc, interpreter,
                             static_cast<int32_t>(i), command);
    }
  }
  builder.SetKind(ShellKind::kShell);
  return builder.Finish();
}

}  // namespace

bool ShellInstructionIsPosix(const Instruction& shell_instruction) {
  const std::vector<Word>& args = shell_instruction.args;
  if (args.empty()) return true;
  size_t first = 0;
  // SHELL ["/usr/bin/env", "bash", "-c"]
  while (first + 1 < args.size() && Basename(args[first].value) == "env") ++first;
  std::string_view program = Basename(args[first].value);
  if (program == "busybox" && args.size() > first + 1) program = Basename(args[first + 1].value);
  return IsPosixShellName(program);
}

ShellScript ShellOf(const Instruction& instruction, const SourceFile& file,
                    const ShellOptions& options) {
  const Instruction* instr = &instruction;
  const std::vector<Heredoc>* heredocs = &instruction.heredocs;
  if (instr->kind == InstructionKind::kOnbuild) {
    if (!instr->onbuild) return OnlyKind(ShellKind::kNone);
    instr = instr->onbuild.get();
    // The parser keeps an ONBUILD trigger's heredocs on the ONBUILD instruction itself.
    if (heredocs->empty()) heredocs = &instr->heredocs;
  }
  const LogicalLine& line = instr->line;
  uint32_t script_begin = instr->args_begin;
  uint32_t script_end = instr->args_end;
  size_t first_arg = 0;
  switch (instr->kind) {
    case InstructionKind::kRun:
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
      break;
    case InstructionKind::kHealthcheck:
      // HEALTHCHECK CMD <command>; NONE runs nothing.
      if (instr->args.size() < 2 || text::AsciiLower(instr->args[0].value) != "cmd") {
        return OnlyKind(ShellKind::kNone);
      }
      first_arg = 1;
      script_begin = instr->args[1].begin;
      script_end = instr->json_form ? instr->args.back().end : instr->args[1].end;
      break;
    default:
      return OnlyKind(ShellKind::kNone);
  }
  if (instr->json_form) return ExecForm(*instr, first_arg, file);
  if (instr->kind == InstructionKind::kRun && !heredocs->empty()) {
    return HeredocRun(*instr, *heredocs, file, options);
  }
  if (!options.posix_shell) return OnlyKind(ShellKind::kNotPosix);
  ShellBuilder builder;
  SegmentSpec spec;
  spec.text = std::string_view(line.Text()).substr(script_begin, script_end - script_begin);
  spec.origin = ShellSegment::Origin::kRunLine;
  spec.mapping = [&line, &file, script_begin](uint32_t b, uint32_t e) {
    return line.ToSourceRange(file, script_begin + b, script_begin + e);
  };
  builder.ParseSegment(spec);
  builder.SetKind(ShellKind::kShell);
  return builder.Finish();
}

std::vector<ShellScript> ShellViewsOf(const SyntaxTree& tree) {
  std::vector<ShellScript> out(tree.instructions.size());
  // SHELL lasts until the end of its stage and is inherited by `FROM <stage>`.
  std::map<std::string, bool, std::less<>> stage_posix;
  std::string stage;
  bool posix = true;
  for (size_t i = 0; i < tree.instructions.size(); ++i) {
    const Instruction& ins = tree.instructions[i];
    if (ins.kind == InstructionKind::kFrom) {
      if (!stage.empty()) stage_posix[stage] = posix;
      posix = true;
      stage.clear();
      if (!ins.args.empty()) {
        auto base = stage_posix.find(text::AsciiLower(ins.args[0].value));
        if (base != stage_posix.end()) posix = base->second;
      }
      if (ins.args.size() >= 3 && text::AsciiLower(ins.args[1].value) == "as") {
        stage = text::AsciiLower(ins.args[2].value);
      }
      continue;
    }
    if (ins.kind == InstructionKind::kShell) {
      posix = ShellInstructionIsPosix(ins);
      continue;
    }
    if (ins.kind == InstructionKind::kRun || ins.kind == InstructionKind::kCmd ||
        ins.kind == InstructionKind::kEntrypoint || ins.kind == InstructionKind::kHealthcheck ||
        ins.kind == InstructionKind::kOnbuild) {
      out[i] = ShellOf(ins, *tree.file, ShellOptions{posix});
    }
  }
  return out;
}

}  // namespace dockit

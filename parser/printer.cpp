#include "parser/printer.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "parser/heredoc.hpp"
#include "parser/text.hpp"

namespace dockit {
namespace {

// BuildKit's bufio.Scanner limit; longer instruction lines are split with continuations.
constexpr size_t kMaxLineLength = 65535;
constexpr size_t kSplitLength = 60000;

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The flag scanner appends string(rune(byte)) for every source byte, so a flag's text is a
// sequence of code points below U+0100; this turns it back into the bytes that were written.
std::string FlagSourceBytes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    text::Rune r = text::DecodeRune(text, i);
    if (r.value < 0x100 && !(r.value == 0xFFFD && r.width == 1)) {
      out += static_cast<char>(r.value);
    } else {
      out.append(text.substr(i, r.width));  // not from our parser: keep the bytes as they are
    }
    i += r.width;
  }
  return out;
}

// A byte the flag scanner or BuildKit's shell lexer (used for heredoc detection on the same
// line) treats specially, or that could be trimmed as part of a Unicode space at the line end.
bool IsPlainFlagByte(unsigned char c) {
  return c < 0x80 && !text::IsSpaceByte(c) && c != '\'' && c != '"' && c != '\\' && c != '`';
}

// Writes `s` so that the flag scanner reads back exactly `s` and the shell lexer sees one
// balanced word. Both scanners keep the bytes of a single-quoted run literally as long as it holds
// neither ' nor the escape character, so: the whole part in single quotes when it has neither;
// otherwise each ' as "'", each escape character doubled outside quotes (both scanners agree on
// that whichever escape character is active) and the runs between them single-quoted when they
// hold a special byte.
void AppendQuotedFlagPart(std::string& out, std::string_view s, char escape) {
  if (s.find('\'') == std::string_view::npos && s.find(escape) == std::string_view::npos) {
    out += '\'';
    out += s;
    out += '\'';
    return;
  }
  std::string run;
  bool run_plain = true;
  auto flush = [&] {
    if (run.empty()) return;
    if (run_plain) {
      out += run;
    } else {
      out += '\'';
      out += run;
      out += '\'';
    }
    run.clear();
    run_plain = true;
  };
  for (char c : s) {
    if (c == '\'') {
      flush();
      out += "\"'\"";
    } else if (c == escape) {
      flush();
      out += escape;
      out += escape;
    } else {
      run += c;
      run_plain = run_plain && IsPlainFlagByte(static_cast<unsigned char>(c));
    }
  }
  flush();
}

void AppendFlag(std::string& out, const Flag& flag, char escape) {
  std::string bytes = FlagSourceBytes(flag.text);
  std::string_view rest(bytes);
  // The scanner only recognises a flag by two literal dashes.
  if (rest.substr(0, 2) == "--") rest.remove_prefix(2);
  out += "--";
  size_t special = 0;
  while (special < rest.size() && IsPlainFlagByte(static_cast<unsigned char>(rest[special]))) {
    ++special;
  }
  if (special == rest.size()) {
    out += rest;
    return;
  }
  // Keep `--name=` readable and quote only the value when the name is plain.
  size_t eq = rest.find('=');
  size_t head = eq != std::string_view::npos && eq < special ? eq + 1 : 0;
  out += rest.substr(0, head);
  AppendQuotedFlagPart(out, rest.substr(head), escape);
}

// Go's encoding/json reads this back to exactly `s` when `s` is valid UTF-8. Invalid bytes
// cannot be carried by JSON; Go's decoder turns each into U+FFFD, so that is what is written.
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    text::Rune r = text::DecodeRune(s, i);
    if (r.value == 0xFFFD && r.width == 1) {
      out += "\\ufffd";
      i += 1;
      continue;
    }
    switch (r.value) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (r.value < 0x20) {
          out += "\\u00";
          out += kHex[r.value >> 4];
          out += kHex[r.value & 0xF];
        } else {
          out.append(s.substr(i, r.width));
        }
    }
    i += r.width;
  }
  out += '"';
}

std::string JsonArrayText(const std::vector<Word>& words, size_t from) {
  std::string out = "[";
  for (size_t i = from; i < words.size(); ++i) {
    if (i > from) out += ", ";
    AppendJsonString(out, words[i].value);
  }
  out += ']';
  return out;
}

// ENV/LABEL triples. The word values keep their quotes and escapes, so the word splitter cuts
// `key=value key=value` back into the same words; the legacy form is one `key value` pair.
std::string PairsText(const std::vector<Word>& args, char escape) {
  if (args.size() == 3 && args[2].value.empty()) {
    // The legacy form is chosen because the splitter's first word has no '='. A key ending in an
    // escape character escapes the first separator byte, so that word reaches into the value
    // unless a second separator byte ends it: keep one or two bytes as the file had.
    const std::string& key = args[0].value;
    bool wide = args[1].begin >= args[0].end && args[1].begin - args[0].end >= 2;
    std::string sep = !key.empty() && key.back() == escape && wide ? "  " : " ";
    return key + sep + args[1].value;
  }
  std::string out;
  for (size_t i = 0; i + 2 < args.size(); i += 3) {
    if (i > 0) out += ' ';
    out += args[i].value;
    out += '=';
    out += args[i + 1].value;
  }
  // The last value can end in whitespace only when the file followed it with an escape
  // character that the splitter dropped as the last byte of the text (`a="x \` or `a=x\ \`);
  // without it the whitespace would be trimmed off, so it is written again.
  uint32_t n = static_cast<uint32_t>(out.size());
  if (text::SkipSpaceBackward(out, 0, n) != n) out += escape;
  return out;
}

// Text after the flags that the flag scanner would take for a flag (it starts with "--") or
// whose first byte it would skip as a space (a lone 0x85 or 0xA0 byte, which Unicode trimming
// keeps) needs the `--` end-of-flags word in front of it.
bool NeedsEndOfFlags(std::string_view rest) {
  if (rest.empty()) return false;
  return text::IsSpaceByte(static_cast<unsigned char>(rest[0])) || rest.substr(0, 2) == "--";
}

std::string InstructionText(const Instruction& ins, char escape);

std::string ArgumentText(const Instruction& ins, char escape) {
  if (ins.kind == InstructionKind::kOnbuild && ins.onbuild) {
    return InstructionText(*ins.onbuild, escape);
  }
  if ((ins.kind == InstructionKind::kEnv || ins.kind == InstructionKind::kLabel) &&
      !ins.args.empty() && ins.args.size() % 3 == 0) {
    return PairsText(ins.args, escape);
  }
  if (ins.json_form) {
    if (ins.kind == InstructionKind::kHealthcheck && !ins.args.empty()) {
      return ins.args[0].value + ' ' + JsonArrayText(ins.args, 1);
    }
    return JsonArrayText(ins.args, 0);
  }
  // Shell form and whitespace lists: the argument text is what every argument parser reads,
  // so it is printed as it is and parses into the same words.
  return std::string(ins.ArgsText());
}

std::string InstructionText(const Instruction& ins, char escape) {
  std::string out = ins.kind == InstructionKind::kUnknown ? AsciiUpper(ins.keyword)
                                                          : std::string(KeywordOf(ins.kind));
  for (const Flag& flag : ins.flags) {
    out += ' ';
    AppendFlag(out, flag, escape);
  }
  std::string rest = ArgumentText(ins, escape);
  if (!rest.empty()) {
    out += ' ';
    if (NeedsEndOfFlags(rest)) out += "-- ";
    out += rest;
  } else if (ins.flags.empty()) {
    // An unknown keyword may end in a Unicode space (U+2028...) that was followed by something
    // in the file; alone at the end of the line it would be trimmed off. The end-of-flags word
    // keeps it and leaves no trace in the tree.
    uint32_t n = static_cast<uint32_t>(out.size());
    if (text::SkipSpaceBackward(out, 0, n) != n) out += " --";
  }
  return out;
}

// BuildKit's continuation test `(^|[^E])E[ \t]*$` on one physical line.
bool WouldContinue(std::string_view line, char escape) {
  size_t p = line.size();
  while (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t')) --p;
  if (p == 0 || line[p - 1] != escape) return false;
  return p == 1 || line[p - 2] != escape;
}

// Makes `line` read back as itself. Trailing \r bytes would be eaten with the line terminator
// (they are whitespace that BuildKit trims anyway). A text that ends in a lone escape character
// would join the next line; the only way a file can end an instruction's text that way is by
// following it with whitespace that strings.TrimSpace removes but the continuation regex does
// not see ([ \t]* only), so the printer does the same with a \v.
std::string Protect(std::string_view line, char escape) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  std::string out(line);
  if (WouldContinue(out, escape)) out += '\v';
  return out;
}

bool HeredocsEligible(const Instruction& ins) {
  // As the parser's ReadHeredocs: the trigger of ONBUILD (one level) decides.
  const Instruction& target = ins.onbuild ? *ins.onbuild : ins;
  return (target.kind == InstructionKind::kRun || target.kind == InstructionKind::kCopy ||
          target.kind == InstructionKind::kAdd) &&
         !target.json_form;
}

// Whether the parser would find exactly the heredocs of `ins` on `line`.
bool SameHeredocs(std::string_view line, const Instruction& ins) {
  if (!HeredocsEligible(ins) || line.find("<<") == std::string_view::npos) {
    return ins.heredocs.empty();
  }
  HeredocScan scan = ScanHeredocs(line);
  if (scan.error || scan.words.size() != ins.heredocs.size()) return false;
  for (size_t i = 0; i < scan.words.size(); ++i) {
    const HeredocWord& w = scan.words[i];
    const Heredoc& h = ins.heredocs[i];
    if (w.name != h.name || w.expand != h.expand || w.chomp != h.chomp || w.fd != h.fd) {
      return false;
    }
  }
  return true;
}

// A cut before line[i] is safe when the escape character appended to the first part continues
// it (the byte before is not an escape character) and the second part cannot be taken for a
// comment or blank continuation line (it starts with a visible ASCII byte other than '#').
bool SafeCut(std::string_view line, size_t i, char escape) {
  unsigned char c = static_cast<unsigned char>(line[i]);
  return c > 0x20 && c < 0x7F && c != '#' && line[i - 1] != escape;
}

void AppendPhysicalLines(std::string& out, std::string_view line, char escape) {
  size_t start = 0;
  while (line.size() - start > kMaxLineLength) {
    size_t cut = start + kSplitLength;
    while (cut > start && !SafeCut(line, cut, escape)) --cut;
    if (cut == start) break;  // no safe cut: printed as is (the parser will reject it)
    out.append(line.substr(start, cut - start));
    out += escape;
    out += '\n';
    start = cut;
  }
  out.append(line.substr(start));
  out += '\n';
}

bool StartsWithBom(std::string_view s) { return s.substr(0, 3) == "\xEF\xBB\xBF"; }

// The PrevComment text the parser takes from a comment line: after '#', trimmed.
std::string CommentText(std::string_view line) {
  uint32_t n = static_cast<uint32_t>(line.size());
  uint32_t hash = text::SkipSpaceForward(line, 0, n);
  uint32_t b = text::SkipSpaceForward(line, hash + 1, n);
  uint32_t e = text::SkipSpaceBackward(line, b, n);
  return std::string(line.substr(b, e - b));
}

}  // namespace

std::string PrintInstruction(const Instruction& ins, char escape) {
  std::string line = Protect(InstructionText(ins, escape), escape);
  if (!SameHeredocs(line, ins)) {
    // The canonical spelling of the keyword, flags or trailing whitespace would change how the
    // shell lexer cuts the line into words (e.g. a flag with an unbalanced quote in shell terms
    // swallowing a `<<EOF`), so the instruction is printed as the logical line it was parsed
    // from, which by definition yields these heredocs.
    line = Protect(ins.line.Text(), escape);
  }
  if (line.empty()) {
    // An instruction with an empty keyword only arises when a continuation meets the end of
    // the file (`\` alone on the last line): it is always last, and a lone escape character
    // reproduces it.
    line = std::string(1, escape);
  }
  std::string out;
  AppendPhysicalLines(out, line, escape);
  for (const Heredoc& doc : ins.heredocs) {
    out += doc.content;
    if (!doc.content.empty() && doc.content.back() != '\n') out += '\n';
    out += doc.name;
    out += '\n';
  }
  return out;
}

std::string PrintDockerfile(const SyntaxTree& tree) {
  std::string out;
  // Directive lines are comments too: unless a `#` line cleared them, their texts open the first
  // instruction's PrevComments.
  std::vector<std::string> directive_comments;
  auto add_directive = [&](std::string_view name, std::string_view value) {
    std::string line = "# " + std::string(name) + '=' + std::string(value);
    out += line + '\n';
    directive_comments.push_back(CommentText(line));
  };
  bool escape_printed = false;
  for (const Directive& d : tree.directives) {
    add_directive(d.name, d.value);
    escape_printed = escape_printed || d.name == "escape";
  }
  if (!escape_printed && tree.escape != '\\') add_directive("escape", std::string(1, tree.escape));

  for (size_t i = 0; i < tree.instructions.size(); ++i) {
    const Instruction& ins = tree.instructions[i];
    std::string body = PrintInstruction(ins, tree.escape);
    size_t printed_comments = 0;
    if (i == 0) {
      const std::vector<std::string>& comments = ins.comments;
      if (!directive_comments.empty()) {
        bool shared =
            comments.size() >= directive_comments.size() &&
            std::equal(directive_comments.begin(), directive_comments.end(), comments.begin());
        if (shared) {
          // A blank line ends directive scanning without clearing the pending comments.
          printed_comments = directive_comments.size();
          out += '\n';
        } else {
          out += "#\n";  // ends directive scanning and clears the pending comments
        }
      } else {
        // A blank line keeps a first comment that could be read as a directive from being
        // one, and a keyword that starts with a byte order mark (an unknown instruction) off
        // the first line, where the BOM would be dropped.
        bool directive_like = !comments.empty() && comments.front().find('=') != std::string::npos;
        bool bom = comments.empty() && StartsWithBom(body);
        if (directive_like || bom) out += '\n';
      }
    }
    for (size_t c = printed_comments; c < ins.comments.size(); ++c) {
      out += "# " + ins.comments[c] + '\n';
    }
    out += body;
  }
  return out;
}

}  // namespace dockit

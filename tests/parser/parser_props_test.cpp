// Property tests of the Dockerfile parser and printer (rapidcheck):
//  (a) generated Dockerfiles survive parse -> print -> parse with equal dumps and heredocs;
//  (b) arbitrary bytes and token soup always give a tree or an error inside the file, quickly;
//  (c) every range of a parsed tree lies inside the file, and words that are raw source text
//      equal the text their range covers once line continuations are removed.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parser/dockerfile_parser.hpp"
#include "parser/printer.hpp"
#include "parser/text.hpp"

#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

using testing::CommentsOf;
using testing::HeredocsOf;

constexpr size_t kMaxInput = 4096;  // inputs stay small so that every parse is instant

std::string Quoted(std::string_view s) {
  std::string out;
  text::AppendQuoted(out, s);
  return out;
}

// Parses and fails the property when a small input takes noticeably long: the parser must stay
// linear-ish, so even a slow sanitizer build is far below this bound.
Result<std::shared_ptr<const SyntaxTree>> TimedParse(const std::string& source) {
  RC_ASSERT(source.size() <= kMaxInput);
  auto start = std::chrono::steady_clock::now();
  auto result = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", source));
  auto elapsed = std::chrono::steady_clock::now() - start;
  RC_ASSERT(elapsed < std::chrono::seconds(2));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the properties.

// parse(print(tree)) keeps everything printing promises, and the printed text is a fixed point.
void CheckRoundTrip(const SyntaxTree& tree) {
  std::string printed = PrintDockerfile(tree);
  RC_LOG() << "printed: " << Quoted(printed) << "\n";
  auto again = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", printed));
  if (!again.Ok()) RC_FAIL("printed text does not parse: " + again.Error().message);
  const SyntaxTree& t2 = **again;
  RC_ASSERT(DumpBuildkit(t2) == DumpBuildkit(tree));
  RC_ASSERT(HeredocsOf(t2) == HeredocsOf(tree));
  RC_ASSERT(CommentsOf(t2) == CommentsOf(tree));
  RC_ASSERT(t2.escape == tree.escape);
  RC_ASSERT(PrintDockerfile(t2) == printed);
}

void CheckPos(const SourceFile& file, const SourcePos& pos) {
  RC_ASSERT(pos.offset <= file.Text().size());
  RC_ASSERT(pos == file.PosAt(pos.offset));
}

void CheckRange(const SourceFile& file, const SourceRange& range) {
  RC_ASSERT(range.begin.offset <= range.end.offset);
  CheckPos(file, range.begin);
  CheckPos(file, range.end);
}

bool IsBlankOrComment(std::string_view line) {
  uint32_t n = static_cast<uint32_t>(line.size());
  uint32_t p = text::SkipSpaceForward(line, 0, n);
  return p == n || line[p] == '#';
}

// The file text of `range` with line continuations removed, written from the grammar rather
// than from the parser's LogicalLine: each physical line loses its terminator; a line matching
// `(^|[^E])E[ \t]*$` loses the escape and what follows; lines after the first that are blank or
// comments are skipped whole.
std::string CoveredText(const SourceFile& file, const SourceRange& range, char escape) {
  std::string_view src = file.Text();
  uint32_t pos = range.begin.offset;
  uint32_t end = range.end.offset;
  std::string out;
  bool first = true;
  while (pos < end) {
    size_t start = pos == 0 ? std::string_view::npos : src.rfind('\n', pos - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (start == 0 && src.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
    size_t nl = src.find('\n', pos);
    size_t next = nl == std::string_view::npos ? src.size() : nl + 1;
    size_t line_end = next;
    while (line_end > start && (src[line_end - 1] == '\n' || src[line_end - 1] == '\r')) --line_end;
    std::string_view line = src.substr(start, line_end - start);
    if (!first && IsBlankOrComment(line)) {
      pos = static_cast<uint32_t>(next);
      continue;
    }
    size_t kept = line.size();
    size_t p = kept;
    while (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t')) --p;
    if (p > 0 && line[p - 1] == escape && (p == 1 || line[p - 2] != escape)) kept = p - 1;
    size_t from = pos - start;
    size_t to = std::min<size_t>(kept, end - start);
    if (from < to) out.append(line.substr(from, to - from));
    pos = static_cast<uint32_t>(next);
    first = false;
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    text::Rune r = text::DecodeRune(s, i);
    if (r.value == 0xFFFD && r.width == 1) return false;
    i += r.width;
  }
  return true;
}

// A word of the word splitter (ARG, ENV/LABEL pairs): raw text, except that an escape character
// ending the whole argument text is dropped. Words with invalid UTF-8 (replaced) are skipped.
void CheckSplitWord(const SourceFile& file, const Instruction& ins, const Word& w, char escape) {
  std::string covered = CoveredText(file, w.range, escape);
  if (!ValidUtf8(covered)) return;
  bool dropped_escape = w.end == ins.args_end && covered == w.value + escape;
  RC_ASSERT(covered == w.value || dropped_escape);
}

void CheckInstructionRanges(const SourceFile& file, const Instruction& ins, char escape) {
  CheckRange(file, ins.keyword_range);
  RC_ASSERT(CoveredText(file, ins.keyword_range, escape) == ins.keyword);
  for (const Flag& f : ins.flags) {
    CheckRange(file, f.range);
    RC_ASSERT(f.begin <= f.end);
    std::string covered = CoveredText(file, f.range, escape);
    RC_ASSERT(covered.substr(0, 2) == "--");
    // Without quotes, escapes or non-ASCII bytes the scanner keeps the text as written.
    bool plain = true;
    for (unsigned char c : covered) {
      plain = plain && c < 0x80 && c != '\'' && c != '"' && c != static_cast<unsigned char>(escape);
    }
    if (plain) RC_ASSERT(covered == f.text);
  }
  for (const Word& w : ins.args) {
    CheckRange(file, w.range);
    RC_ASSERT(w.begin <= w.end);
  }
  const std::vector<Word>& args = ins.args;
  auto raw = [&](const Word& w) {
    RC_LOG() << "word " << Quoted(w.value) << "\n";
    RC_ASSERT(CoveredText(file, w.range, escape) == w.value);
  };
  switch (ins.kind) {
    case InstructionKind::kEnv:
    case InstructionKind::kLabel:
      for (size_t i = 0; i + 2 < args.size(); i += 3) {
        if (args[i + 2].value.empty()) {  // legacy `key value`: both raw
          raw(args[i]);
          raw(args[i + 1]);
          RC_ASSERT(args[i + 2].range.begin == args[i + 2].range.end);
        } else {
          CheckSplitWord(file, ins, args[i], escape);
          CheckSplitWord(file, ins, args[i + 1], escape);
          RC_ASSERT(CoveredText(file, args[i + 2].range, escape) == "=");
        }
      }
      break;
    case InstructionKind::kArg:
      for (const Word& w : args) CheckSplitWord(file, ins, w, escape);
      break;
    case InstructionKind::kHealthcheck:
      if (!args.empty()) raw(args[0]);
      for (size_t i = 1; i < args.size() && !ins.json_form; ++i) raw(args[i]);
      break;
    case InstructionKind::kOnbuild:
      break;
    default:
      if (!ins.json_form) {
        for (const Word& w : args) raw(w);
      }
  }
  if (ins.json_form) {
    size_t from = ins.kind == InstructionKind::kHealthcheck ? 1 : 0;
    for (size_t i = from; i < args.size(); ++i) {
      std::string covered = CoveredText(file, args[i].range, escape);
      RC_ASSERT(covered.size() >= 2);
      RC_ASSERT(covered.front() == '"');
      RC_ASSERT(covered.back() == '"');
    }
  }
  for (const Heredoc& h : ins.heredocs) {
    CheckRange(file, h.word_range);
    CheckRange(file, h.body_range);
    CheckRange(file, h.terminator_range);
    std::string word = CoveredText(file, h.word_range, escape);
    size_t digits = word.find_first_not_of("0123456789");
    RC_ASSERT(word.substr(digits, 2) == "<<");
    std::string_view src = file.Text();
    RC_ASSERT(src.substr(h.body_range.begin.offset, h.body_range.Size()) == h.content);
    std::string_view term = src.substr(h.terminator_range.begin.offset, h.terminator_range.Size());
    while (h.chomp && !term.empty() && term.front() == '\t') term.remove_prefix(1);
    RC_ASSERT(term == h.name);
  }
  if (ins.onbuild) CheckInstructionRanges(file, *ins.onbuild, escape);
}

void CheckTreeRanges(const SyntaxTree& tree) {
  const SourceFile& file = *tree.file;
  for (const Instruction& ins : tree.instructions) {
    CheckRange(file, ins.range);
    CheckInstructionRanges(file, ins, tree.escape);
  }
  for (const Directive& d : tree.directives) CheckRange(file, d.range);
  for (const Comment& c : tree.comments) CheckRange(file, c.range);
  for (const Diagnostic& w : tree.warnings) CheckRange(file, w.range);
}

// A tree, or an error whose range lies inside the file.
void CheckParseOutcome(const std::string& source) {
  RC_LOG() << "source: " << Quoted(source) << "\n";
  auto result = TimedParse(source);
  if (!result.Ok()) {
    const SourceFile file("Dockerfile", source);
    CheckRange(file, result.Error().range);
    RC_ASSERT(!result.Error().code.empty());
    return;
  }
  RC_ASSERT(!(*result)->instructions.empty());
  CheckTreeRanges(**result);
}

// ---------------------------------------------------------------------------------------------
// Generator of valid Dockerfiles. It draws with `*gen` inside the property, so every choice
// shrinks on failure.

// rapidcheck scales integer ranges with the test size, which would make early (small) cases
// take the first branch of every choice; choices are drawn at nominal size so that their odds
// are what the code says, and still shrink towards the first option.
int Int(int lo, int hi) { return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi + 1)); }
bool Chance(int percent) { return Int(0, 99) < percent; }
std::string Pick(const std::vector<std::string>& pool) {
  return pool[static_cast<size_t>(Int(0, static_cast<int>(pool.size()) - 1))];
}
std::string Esc(char e) { return std::string(1, e); }

std::string Newline() { return Chance(15) ? "\r\n" : "\n"; }

std::string Spelled(const std::string& keyword) {
  switch (Int(0, 2)) {
    case 0:
      return text::AsciiLower(keyword);
    case 1:
      return keyword.substr(0, 1) + text::AsciiLower(keyword.substr(1));
    default:
      return keyword;
  }
}

// A shell word. `shell_safe` excludes words whose quotes BuildKit's shell lexer (always
// backslash-escaped) reads differently from the Dockerfile escape: on a line that the heredoc
// scanner reads, an unbalanced quote would swallow the heredoc words.
std::string ShellToken(char e, bool shell_safe) {
  static const std::vector<std::string> kPool = {
      "echo", "hello",    "$HOME",   "${A:-b}",  "&&",     "|",    ">",   "/tmp/x",
      "a=b",  "\xC3\xA9", "x#y",     "#",        "[",      "]",    "[a]", "--",
      "-x",   "'s q'",    "\"d q\"", "\"<<NO\"", "'<<NO'", "2>&1", "\t"};
  switch (Int(0, 9)) {
    case 0:
      return "a" + Esc(e) + " b";  // escaped space
    case 1:
      return "c" + Esc(e) + Esc(e) + "d";  // escaped escape
    case 2:
      if (!shell_safe && e == '`') return "it`'s";  // escaped quote, unbalanced for the shell
      return "it" + Esc(e) + "x";
    default:
      return Pick(kPool);
  }
}

std::string ShellText(char e, bool shell_safe, int max_tokens) {
  std::string out;
  int n = Int(1, max_tokens);
  for (int i = 0; i < n; ++i) {
    if (i) out += Chance(80) ? " " : "  ";
    out += ShellToken(e, shell_safe);
  }
  return out;
}

std::string JsonArray() {
  static const std::vector<std::string> kElements = {
      "\"a\"",       "\"sh\"",      "\"-c\"",  "\"echo \\\"hi\\\"\"", "\"a\\nb\"",
      "\"tab\\t\"",  "\"\\u00e9\"", "\"\\/\"", "\"C:\\\\x\"",         "\"\xC3\xA9\"",
      "\"\\u0000\"", "\"\"",        "\"a b\"", "\"\\ud83d\\ude00\"",  "\"<<EOF\"",
      "\"\\\\\""};
  std::string out = Chance(20) ? "[ " : "[";
  int n = Int(0, 3);
  for (int i = 0; i < n; ++i) {
    if (i) out += Pick({",", ", ", " ,", ",\t"});
    out += Pick(kElements);
  }
  out += Chance(20) ? " ]" : "]";
  return out;
}

std::string Flags(char e, bool shell_safe, const std::vector<std::string>& own) {
  std::vector<std::string> pool = own;
  pool.insert(pool.end(), {"--link", "--x=\"a b\"", "--y='c d'", "--e=\xC3\xA9", "--q=\"it's\"",
                           "--z=a" + Esc(e) + " b", "--w=" + Esc(e) + Esc(e)});
  if (!shell_safe) pool.push_back("--v=it" + Esc(e) + "'s");
  std::string out;
  int n = Chance(50) ? 0 : Int(1, 2);
  for (int i = 0; i < n; ++i) out += " " + Pick(pool);
  return out;
}

struct HeredocSpec {
  std::string name;
  bool chomp;
};

struct GenInstruction {
  std::string text;  // the logical line
  std::vector<HeredocSpec> heredocs;
};

// Inserts 0..2 heredoc words into the shell words of RUN/COPY/ADD.
std::string WithHeredocs(std::string words, std::vector<HeredocSpec>* heredocs) {
  int n = Chance(40) ? Int(1, 2) : 0;
  for (int i = 0; i < n; ++i) {
    HeredocSpec spec{Pick({"EOF", "END", "FILE1", "X-Y"}), Chance(40)};
    std::string name = spec.name;
    std::string quoted = Pick({name, "\"" + name + "\"", "'" + name + "'"});
    std::string word =
        Pick({"", "3"}) + "<<" + (spec.chomp ? "-" : "") + (Chance(20) ? " " : "") + quoted;
    // Bodies follow in the order of the words on the line.
    if (words.empty() || Chance(50)) {
      words = word + (words.empty() ? "" : " " + words);
      heredocs->insert(heredocs->begin(), spec);
    } else {
      words += " " + word;
      heredocs->push_back(spec);
    }
  }
  return words;
}

GenInstruction GenerateInstruction(char e, int depth, bool heredocs_allowed);

std::string InstructionArgs(const std::string& kw, char e, int depth, bool heredocs_allowed,
                            GenInstruction* gen) {
  bool shell_line = kw == "RUN" || kw == "COPY" || kw == "ADD";
  if (kw == "RUN" || kw == "CMD" || kw == "ENTRYPOINT" || kw == "SHELL") {
    std::string flags =
        Flags(e, true,
              {"--mount=type=cache,target=/root/.cache", "--network=none", "--security=insecure"});
    if (Chance(35)) return flags + " " + JsonArray();
    std::string words = Chance(10) ? "" : ShellText(e, shell_line, 4);
    if (shell_line && heredocs_allowed) words = WithHeredocs(words, &gen->heredocs);
    return flags + (words.empty() ? "" : " " + words);
  }
  if (kw == "COPY" || kw == "ADD") {
    std::string flags = Flags(e, true, {"--from=build", "--chown=1:1", "--chmod=755"});
    if (Chance(30)) return flags + " " + JsonArray();
    std::string words = Pick({"a b", "src/ /dst/", "\"x y\" z", "--  /d", "*.txt\t./"});
    if (heredocs_allowed) words = WithHeredocs(words, &gen->heredocs);
    return flags + " " + words;
  }
  if (kw == "FROM") {
    std::string out = Chance(20) ? " --platform=linux/amd64" : "";
    out += " " + Pick({"alpine", "alpine:3.19", "${BASE}", "scratch", "\xC3\xA9"});
    if (Chance(40)) out += " " + Pick({"AS", "as"}) + " " + Pick({"build", "base"});
    return out;
  }
  if (kw == "ENV" || kw == "LABEL") {
    if (Chance(30)) {
      return " " + Pick({"A", "PATH", "maintainer"}) + Pick({" ", "\t", "  "}) +
             Pick({"1", "x y z", "\"q v\"", "a=b", "Foo Bar", "ends" + Esc(e) + Esc(e)});
    }
    std::string out;
    int n = Int(1, 3);
    for (int i = 0; i < n; ++i) {
      out += Pick({" ", "  ", "\t"});
      out += Pick({"A", "PATH", "a.b", "\"q k\"", "k" + Esc(e) + " x"}) + "=" +
             Pick({"1", "\"x y\"", "'s q'", "a" + Esc(e) + " b", "", "$PATH:/x", "\xC3\xA9",
                   "\"<<EOF\""});
    }
    return out;
  }
  if (kw == "ARG") {
    std::string out;
    int n = Int(1, 2);
    for (int i = 0; i < n; ++i) {
      out += " " + Pick({"A", "B=1", "C=\"x y\"", "D='s q'", "E=" + Esc(e) + "\"z", "F=${A:-b}",
                         "G=\"unterminated"});
    }
    return out;
  }
  if (kw == "EXPOSE") return " " + Pick({"80", "443/tcp 80", "${PORT}", "8080/udp\t9090"});
  if (kw == "HEALTHCHECK") {
    std::string flags = Flags(e, true, {"--interval=5s", "--timeout=3s", "--retries=3"});
    switch (Int(0, 3)) {
      case 0:
        return flags + " NONE";
      case 1:
        return flags + " CMD " + ShellText(e, false, 3);
      case 2:
        return flags + " CMD " + JsonArray();
      default:
        return flags;
    }
  }
  if (kw == "MAINTAINER") return " " + Pick({"Jane Doe <jane@example.com>", "x"});
  if (kw == "USER") return " " + Pick({"app", "1000:1000", "${U}"});
  if (kw == "WORKDIR") return " " + Pick({"/app", "c:" + Esc(e) + "x", "/a b"});
  if (kw == "STOPSIGNAL") return " " + Pick({"SIGTERM", "9"});
  if (kw == "VOLUME") return Chance(40) ? " " + JsonArray() : " " + Pick({"/data", "/a /b"});
  if (kw == "ONBUILD") {
    if (Chance(10)) return "";
    std::string flags = Chance(10) ? " --x" : "";
    GenInstruction inner = GenerateInstruction(e, depth + 1, heredocs_allowed && depth == 0);
    gen->heredocs = inner.heredocs;
    return flags + " " + inner.text;
  }
  // Unknown instructions keep their text (dumped as "").
  return Chance(20) ? "" : " " + ShellText(e, false, 3);
}

GenInstruction GenerateInstruction(char e, int depth, bool heredocs_allowed) {
  static const std::vector<std::string> kKeywords = {
      "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
      "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "FOO",
      "FROBNICATE", "RUNX",
      // Heredocs live on these; drawn more often.
      "RUN", "COPY", "ADD", "RUN"};
  std::string kw = Pick(kKeywords);
  if (depth >= 2 && kw == "ONBUILD") kw = "RUN";
  GenInstruction gen;
  std::string args = InstructionArgs(kw, e, depth, heredocs_allowed, &gen);
  gen.text = Spelled(kw) + args;
  // A text ending in a lone escape character, protected as a file can only do it: by trailing
  // whitespace that BuildKit trims but its continuation regex does not see.
  bool word_ok = kw != "ENV" && kw != "LABEL" && kw != "ONBUILD";
  if (word_ok && Chance(8)) gen.text += " x" + Esc(e) + Pick({"\f", "\v"});
  return gen;
}

// Physical lines of a logical line: continuations at random safe points (the byte before is no
// escape character; the next piece is neither blank nor a comment), with comment lines, blank
// lines and lone-escape lines between them.
std::string Physicalize(const std::string& line, char e) {
  std::vector<size_t> cuts;
  int n = Chance(50) ? 0 : Int(1, 3);
  for (int i = 0; i < n && line.size() > 1; ++i) {
    cuts.push_back(static_cast<size_t>(Int(1, static_cast<int>(line.size()) - 1)));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<size_t> kept;
  size_t next = line.size();
  for (size_t i = cuts.size(); i-- > 0;) {
    size_t c = cuts[i];
    if (line[c - 1] == e || IsBlankOrComment(std::string_view(line).substr(c, next - c))) continue;
    kept.push_back(c);
    next = c;
  }
  std::reverse(kept.begin(), kept.end());
  std::string out;
  size_t start = 0;
  for (size_t c : kept) {
    out += line.substr(start, c - start) + Esc(e) + Pick({"", "", " ", " \t"}) + Newline();
    int extra = Chance(60) ? 0 : Int(1, 2);
    for (int k = 0; k < extra; ++k) {
      out += Pick({"# inside", "  # inside ends in " + Esc(e), "#", "", "   ", Esc(e) + " "}) +
             Newline();
    }
    start = c;
  }
  out += line.substr(start);
  return out;
}

std::string HeredocBody(const HeredocSpec& spec, char e) {
  std::string out;
  int n = Int(0, 3);
  for (int i = 0; i < n; ++i) {
    std::string body = Pick({"echo hi", "\tindented", "# not a comment", "", "  spaced",
                             "trailing " + Esc(e), "$VAR", "EOFX", "\t\tEOF", "END "});
    std::string_view candidate(body);
    while (spec.chomp && !candidate.empty() && candidate.front() == '\t')
      candidate.remove_prefix(1);
    if (candidate == spec.name) body = "x";  // would end the heredoc early
    out += body + Newline();
  }
  out += (spec.chomp && Chance(50) ? "\t" : "") + spec.name + Newline();
  return out;
}

std::string Dockerfile() {
  std::string out = Chance(5) ? "\xEF\xBB\xBF" : "";
  char e = '\\';
  if (Chance(30))
    out += Pick({"# syntax=docker/dockerfile:1", "#syntax = docker/dockerfile:1.7"}) + Newline();
  if (Chance(40)) {
    e = Chance(60) ? '`' : '\\';
    out +=
        (e == '`' ? Pick({"# escape=`", "#escape = `"}) : std::string("# escape=\\")) + Newline();
  }
  if (Chance(15)) out += "# check=skip=JSONArgsRecommended" + Newline();
  int count = Int(1, 5);
  for (int i = 0; i < count; ++i) {
    if (Chance(25))
      out += Pick({"# about", "#", "#   spaced out  ", "# x=y", " # indented"}) + Newline();
    if (Chance(15)) out += Pick({"", "  ", "\t"}) + Newline();
    GenInstruction ins = GenerateInstruction(e, 0, true);
    out += Physicalize(ins.text, e);
    bool last = i + 1 == count;
    if (last && ins.heredocs.empty() && ins.text.back() != e && Chance(10)) {
      out += Esc(e);  // a continuation that meets the end of the file
      if (Chance(50)) out += Newline();
      break;
    }
    if (last && ins.heredocs.empty() && Chance(20)) break;  // no final newline
    out += Newline();
    for (const HeredocSpec& spec : ins.heredocs) out += HeredocBody(spec, e);
  }
  return out;
}

// Strings of Dockerfile-ish tokens and random bytes: keywords, escapes, continuations, heredoc
// operators, JSON brackets, quotes, NUL, CR, BOM and invalid or unusual UTF-8.
const std::vector<std::string>& SoupTokens() {
  static const std::vector<std::string> kTokens = [] {
    // Unformatted: clang-format would put each literal ending in \n on a line of its own.
    // clang-format off
    std::vector<std::string> tokens = {
        "FROM", "RUN", "run", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK",
        "CMD", "SHELL", "EXPOSE", "USER", "WORKDIR", "VOLUME", "MAINTAINER", "STOPSIGNAL",
        "ENTRYPOINT", "FOO", " ", " ", "\t", "\n", "\n", "\r\n", "\r", "\\", "`", "\\\n",
        "`\n", "#", "# escape=`", "# escape=\\", "# syntax=x", "<<", "<<EOF", "<<-EOF",
        "<<'EOF'", "<<\"EOF\"", "EOF", "EOF\n", "\tEOF", "[", "]", "[\"a\"]",
        "[\"a\\n\",\"\\u00e9\"]", "\"", "'", "=", "a=b", "--", "--x=", "--mount=type=cache",
        "\"a b\"", ",", "{", "}", "\\u0000", "\xEF\xBB\xBF", "\xC3\xA9", "\xE2\x80\xA8",
        "\xC2\x85", "\xC2\xA0", "\xFF", "\x85", "\xA0", "\xE2\x80", "\v", "\f", "0", "3<<E",
        "E", "AS", "x", "a", "$X", "RUN <<EOF\n", "\nEOF\n", "COPY <<-X y\n", "\tX\n",
        "ONBUILD ADD <<E\n", "\nE\n"};
    // clang-format on
    tokens.push_back(std::string(1, '\0'));
    return tokens;
  }();
  return kTokens;
}

rc::Gen<std::string> TokenSoup() {
  const std::vector<std::string>& kTokens = SoupTokens();
  return rc::gen::map(
      rc::gen::container<std::vector<std::string>>(rc::gen::oneOf(
          rc::gen::elementOf(kTokens),
          rc::gen::map(rc::gen::arbitrary<char>(), [](char c) { return std::string(1, c); }))),
      [](const std::vector<std::string>& tokens) {
        std::string out;
        for (const std::string& t : tokens) out += t;
        return out;
      });
}

TEST_CASE("parser props: generated Dockerfiles survive parse, print, parse", "[parser-props]") {
  rc::prop("round trip", [] {
    std::string source = Dockerfile();
    RC_LOG() << "source: " << Quoted(source) << "\n";
    auto tree = TimedParse(source);
    if (!tree.Ok()) RC_FAIL("generated Dockerfile does not parse: " + tree.Error().message);
    CheckRoundTrip(**tree);
  });
  rc::prop("ranges of generated Dockerfiles", [] {
    std::string source = Dockerfile();
    RC_LOG() << "source: " << Quoted(source) << "\n";
    auto tree = TimedParse(source);
    RC_ASSERT(tree.Ok());
    CheckTreeRanges(**tree);
  });
}

// A generated Dockerfile with a few soup tokens or random bytes inserted anywhere: near-valid
// files that reach the corners of the grammar (odd bytes inside flags, keywords and pairs).
std::string MutatedDockerfile() {
  std::string source = Dockerfile();
  int n = Int(1, 4);
  for (int i = 0; i < n; ++i) {
    size_t at = static_cast<size_t>(Int(0, static_cast<int>(source.size())));
    std::string token =
        Chance(70) ? Pick(SoupTokens()) : std::string(1, static_cast<char>(Int(0, 255)));
    source.insert(at, token);
  }
  return source;
}

TEST_CASE("parser props: arbitrary bytes give a tree or an error inside the file",
          "[parser-props]") {
  rc::prop("random bytes", [] {
    std::string source = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
    CheckParseOutcome(source);
  });
  rc::prop("token soup", [] {
    std::string source = *TokenSoup();
    CheckParseOutcome(source);
  });
  rc::prop("mutated Dockerfiles", [] { CheckParseOutcome(MutatedDockerfile()); });
  rc::prop("mutated Dockerfiles that parse survive print and parse", [] {
    std::string source = MutatedDockerfile();
    RC_LOG() << "source: " << Quoted(source) << "\n";
    auto tree = TimedParse(source);
    if (!tree.Ok()) return;
    CheckRoundTrip(**tree);
  });
  // Long repetitions catch work that grows faster than the input (every heredoc word reading
  // to the end of the file, nesting, quotes left open).
  rc::prop("repeated tokens", [] {
    std::string unit;
    int n = Int(1, 3);
    for (int i = 0; i < n; ++i) unit += Pick(SoupTokens());
    std::string source;
    while (source.size() + unit.size() <= kMaxInput) source += unit;
    CheckParseOutcome(source);
    auto tree = TimedParse(source);
    if (tree.Ok()) CheckRoundTrip(**tree);
  });
  rc::prop("token soup that parses survives print and parse", [] {
    std::string source = *TokenSoup();
    RC_LOG() << "source: " << Quoted(source) << "\n";
    auto tree = TimedParse(source);
    if (!tree.Ok()) return;
    CheckRoundTrip(**tree);
  });
}

}  // namespace
}  // namespace dockit

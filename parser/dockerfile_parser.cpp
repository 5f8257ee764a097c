#include "parser/dockerfile_parser.hpp"

#include <cstring>
#include <set>

#include "parser/heredoc.hpp"
#include "parser/json_array.hpp"
#include "parser/text.hpp"

namespace dockit {
namespace {

constexpr uint32_t kMaxLineLength = 65535;  // bufio.Scanner's token limit in BuildKit
constexpr int kMaxOnbuildDepth = 32;        // BuildKit rejects any nesting later anyway

// One physical line: [begin, end) without the trailing run of \r and \n bytes; `next` is the
// start of the following line.
struct PhysicalLine {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t next = 0;
};

// A raw word of the heredoc scanner with its logical offsets.
struct RawWord {
  uint32_t begin;
  uint32_t end;
};

Diagnostic MakeError(std::string code, std::string message, SourceRange range) {
  return Diagnostic{std::move(code), std::move(message), range, Severity::kError};
}

class Parser {
 public:
  explicit Parser(std::shared_ptr<const SourceFile> file)
      : file_(std::move(file)), src_(file_->Text()) {}

  Result<std::shared_ptr<const SyntaxTree>> Run();

 private:
  bool NextLine(PhysicalLine* line);
  std::optional<Diagnostic> CheckLength(const PhysicalLine& line) const;
  std::optional<Diagnostic> ParseDirective(uint32_t begin, uint32_t end);
  // BuildKit's trimContinuationCharacter on [begin, end): returns the end of the kept part
  // and whether the line continues.
  std::pair<uint32_t, bool> TrimContinuation(uint32_t begin, uint32_t end) const;
  bool IsCommentLine(uint32_t begin, uint32_t end) const;
  void AddComment(uint32_t begin, uint32_t end);

  // Fills `ins` (whose `line` is set) from line[begin, end).
  std::optional<Diagnostic> ParseInstruction(Instruction& ins, uint32_t begin, uint32_t end,
                                             int depth);
  uint32_t ScanFlags(Instruction& ins, uint32_t p, uint32_t end) const;
  std::optional<Diagnostic> ParseArguments(Instruction& ins, int depth);
  std::optional<Diagnostic> ParseNameValue(Instruction& ins, std::string_view key);
  void ParseMaybeJson(Instruction& ins, uint32_t begin, uint32_t end, bool to_list,
                      std::optional<Diagnostic>* error);
  void SplitWhitespace(Instruction& ins, uint32_t begin, uint32_t end);
  std::vector<Word> SplitWords(const std::string& t, uint32_t begin, uint32_t end) const;
  std::optional<Diagnostic> ReadHeredocs(Instruction& ins);
  SourceRange LogicalRange(const Instruction& ins, uint32_t begin, uint32_t end) const {
    return ins.line.ToSourceRange(*file_, begin, end);
  }

  std::shared_ptr<const SourceFile> file_;
  std::string_view src_;
  uint32_t pos_ = 0;
  char escape_ = '\\';
  bool directives_done_ = false;
  std::set<std::string> seen_directives_;
  std::vector<std::string> pending_comments_;
  std::shared_ptr<SyntaxTree> tree_ = std::make_shared<SyntaxTree>();
};

bool Parser::NextLine(PhysicalLine* line) {
  if (pos_ >= src_.size()) return false;
  const char* base = src_.data();
  const void* nl = std::memchr(base + pos_, '\n', src_.size() - pos_);
  uint32_t next = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - base) + 1
                     : static_cast<uint32_t>(src_.size());
  uint32_t end = next;
  while (end > pos_ && (src_[end - 1] == '\n' || src_[end - 1] == '\r')) --end;
  line->begin = pos_;
  line->end = end;
  line->next = next;
  pos_ = next;
  return true;
}

std::optional<Diagnostic> Parser::CheckLength(const PhysicalLine& line) const {
  if (line.end - line.begin <= kMaxLineLength) return std::nullopt;
  return MakeError("line-too-long",
                   "line is " + std::to_string(line.end - line.begin) +
                       " bytes long, more than the 65535 that BuildKit reads",
                   file_->RangeOf(line.begin, line.begin + 1));
}

bool Parser::IsCommentLine(uint32_t begin, uint32_t end) const {
  uint32_t b = text::SkipSpaceForward(src_, begin, end);
  return b < end && src_[b] == '#';
}

void Parser::AddComment(uint32_t begin, uint32_t end) {
  uint32_t hash = text::SkipSpaceForward(src_, begin, end);
  tree_->comments.push_back(
      Comment{std::string(src_.substr(hash + 1, end - hash - 1)), file_->RangeOf(hash, end)});
}

// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on the left-trimmed line, with the keys BuildKit
// knows. The first line that is not a directive ends directive scanning for good.
std::optional<Diagnostic> Parser::ParseDirective(uint32_t begin, uint32_t end) {
  if (directives_done_) return std::nullopt;
  auto is_go_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  };
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  uint32_t p = begin;
  directives_done_ = true;
  if (p >= end || src_[p] != '#') return std::nullopt;
  ++p;
  while (p < end && is_go_space(src_[p])) ++p;
  uint32_t key_begin = p;
  if (p >= end || !is_alpha(src_[p])) return std::nullopt;
  while (p < end && (is_alpha(src_[p]) || is_digit(src_[p]))) ++p;
  uint32_t key_end = p;
  while (p < end && is_go_space(src_[p])) ++p;
  if (p >= end || src_[p] != '=') return std::nullopt;
  ++p;
  while (p < end && is_go_space(src_[p])) ++p;
  uint32_t value_end = end;
  while (value_end > p && is_go_space(src_[value_end - 1])) --value_end;
  if (value_end <= p) return std::nullopt;
  std::string key = text::AsciiLower(src_.substr(key_begin, key_end - key_begin));
  if (key != "syntax" && key != "escape" && key != "check") return std::nullopt;
  directives_done_ = false;
  SourceRange range = file_->RangeOf(begin, end);
  if (!seen_directives_.insert(key).second) {
    return MakeError("duplicate-directive", "only one " + key + " parser directive can be used",
                     range);
  }
  std::string value(src_.substr(p, value_end - p));
  if (key == "escape") {
    if (value != "`" && value != "\\") {
      return MakeError("invalid-escape",
                       "invalid escape token '" + value + "' does not match ` or \\",
                       file_->RangeOf(p, value_end));
    }
    escape_ = value[0];
    tree_->escape = escape_;
  }
  tree_->directives.push_back(Directive{key, std::move(value), range});
  return std::nullopt;
}

std::pair<uint32_t, bool> Parser::TrimContinuation(uint32_t begin, uint32_t end) const {
  uint32_t p = end;
  while (p > begin && (src_[p - 1] == ' ' || src_[p - 1] == '\t')) --p;
  if (p == begin || src_[p - 1] != escape_) return {end, false};
  uint32_t esc = p - 1;
  if (esc == begin) return {begin, true};             // `^E[ \t]*$`
  if (src_[esc - 1] == escape_) return {end, false};  // an escaped escape does not continue
  return {esc, true};
}

Result<std::shared_ptr<const SyntaxTree>> Parser::Run() {
  tree_->file = file_;
  PhysicalLine line;
  bool first = true;
  while (NextLine(&line)) {
    if (auto err = CheckLength(line)) return *err;
    if (first) {
      first = false;
      if (src_.substr(line.begin, 3) == "\xEF\xBB\xBF") line.begin += 3;
    }
    bool comment = IsCommentLine(line.begin, line.end);
    uint32_t token = text::SkipSpaceForward(src_, line.begin, line.end);
    if (auto err = ParseDirective(token, line.end)) return *err;
    if (comment) {
      AddComment(line.begin, line.end);
      uint32_t hash = text::SkipSpaceForward(src_, line.begin, line.end);
      uint32_t cb = text::SkipSpaceForward(src_, hash + 1, line.end);
      uint32_t ce = text::SkipSpaceBackward(src_, cb, line.end);
      if (ce == cb) {
        pending_comments_.clear();
      } else {
        pending_comments_.emplace_back(src_.substr(cb, ce - cb));
      }
      continue;
    }
    auto [kept_end, continues] = TrimContinuation(token, line.end);
    if (!continues && kept_end == token) continue;  // blank line

    // Join the instruction's physical lines into one logical line, remembering where each
    // kept piece came from.
    std::string logical;
    std::vector<LogicalLine::Piece> pieces;
    auto add_piece = [&](uint32_t b, uint32_t e) {
      if (e > b) {
        pieces.push_back({static_cast<uint32_t>(logical.size()), b, e - b});
        logical.append(src_.data() + b, e - b);
      }
    };
    add_piece(token, kept_end);
    uint32_t last_end = line.end;
    while (continues && NextLine(&line)) {
      if (auto err = CheckLength(line)) return *err;
      last_end = line.end;
      if (IsCommentLine(line.begin, line.end)) {
        AddComment(line.begin, line.end);
        continue;
      }
      if (text::SkipSpaceForward(src_, line.begin, line.end) == line.end) {
        tree_->warnings.push_back(Diagnostic{
            "empty-continuation-line",
            "empty continuation line: a future Dockerfile syntax may end the instruction here",
            file_->RangeOf(line.begin, line.end), Severity::kWarning});
        continue;
      }
      auto [end, more] = TrimContinuation(line.begin, line.end);
      add_piece(line.begin, end);
      continues = more;
    }

    // A line that is only an escape, followed by blank lines or the end of the file, leaves an
    // empty logical line: anchor it where the instruction starts so that ranges stay inside it.
    if (pieces.empty()) pieces.push_back({0, token, 0});
    Instruction ins;
    ins.line = LogicalLine(std::move(logical), std::move(pieces));
    uint32_t size = static_cast<uint32_t>(ins.line.Text().size());
    if (auto err = ParseInstruction(ins, 0, size, 0)) return *err;
    ins.comments = std::move(pending_comments_);
    pending_comments_.clear();
    ins.range = file_->RangeOf(token, last_end);
    if (auto err = ReadHeredocs(ins)) return *err;
    tree_->instructions.push_back(std::move(ins));
  }
  if (tree_->instructions.empty()) {
    return MakeError("no-instructions", "file with no instructions",
                     file_->RangeOf(0, std::min<uint32_t>(1, src_.size())));
  }
  return std::shared_ptr<const SyntaxTree>(std::move(tree_));
}

// BuildKit's newNodeFromLine + splitCommand + extractBuilderFlags on line[begin, end).
// BuildKit's extractBuilderFlags on line[p, end): words starting with "--" before the arguments,
// scanned byte by byte. Appends them to ins.flags and returns where the arguments start.
uint32_t Parser::ScanFlags(Instruction& ins, uint32_t p, uint32_t end) const {
  const std::string& t = ins.line.Text();
  while (true) {
    while (p < end && text::IsSpaceByte(t[p])) ++p;
    if (p >= end) return end;
    if (!(t[p] == '-' && p + 1 < end && t[p + 1] == '-')) return p;
    uint32_t word_begin = p;
    std::string word;
    bool blank_ok = false;  // a quoted empty word ('') still counts
    char quote = 0;
    bool in_quote = false;
    for (;; ++p) {
      if (p >= end) {
        if (word != "--" && (blank_ok || !word.empty())) {
          ins.flags.push_back(Flag{std::move(word), word_begin, p, {}});
        }
        return end;
      }
      unsigned char ch = t[p];
      if (!in_quote) {
        if (text::IsSpaceByte(ch)) {
          if (word == "--") return p;  // `--` ends the flags and is not kept
          if (blank_ok || !word.empty()) {
            ins.flags.push_back(Flag{std::move(word), word_begin, p, {}});
          }
          break;
        }
        if (ch == '\'' || ch == '"') {
          quote = static_cast<char>(ch);
          blank_ok = true;
          in_quote = true;
          continue;
        }
      } else if (ch == static_cast<unsigned char>(quote)) {
        in_quote = false;
        continue;
      }
      if (ch == static_cast<unsigned char>(escape_)) {
        if (p + 1 == end) {
          in_quote = false;
          continue;  // an escape at the very end is dropped
        }
        ch = t[++p];
      }
      // BuildKit appends string(rune(byte)): bytes >= 0x80 are re-encoded as Latin-1.
      text::AppendUtf8(word, ch);
    }
  }
}

std::optional<Diagnostic> Parser::ParseInstruction(Instruction& ins, uint32_t begin, uint32_t end,
                                                   int depth) {
  const std::string& t = ins.line.Text();
  uint32_t t0 = text::SkipSpaceForward(t, begin, end);
  uint32_t t1 = text::SkipSpaceBackward(t, t0, end);
  uint32_t k1 = t0;
  while (k1 < t1 && !text::IsBlankSep(t[k1])) ++k1;
  ins.keyword = t.substr(t0, k1 - t0);
  ins.kind = KindFromKeyword(ins.keyword);
  ins.keyword_range = LogicalRange(ins, t0, k1);

  uint32_t args_start = t1;
  if (k1 < t1) {
    uint32_t p = k1;
    while (p < t1 && text::IsBlankSep(t[p])) ++p;
    args_start = ScanFlags(ins, p, t1);
  }
  ins.args_begin = text::SkipSpaceForward(t, args_start, t1);
  ins.args_end = text::SkipSpaceBackward(t, ins.args_begin, t1);
  for (Flag& f : ins.flags) f.range = LogicalRange(ins, f.begin, f.end);

  if (auto err = ParseArguments(ins, depth)) return err;
  for (Word& w : ins.args) w.range = LogicalRange(ins, w.begin, w.end);
  return std::nullopt;
}

std::optional<Diagnostic> Parser::ParseArguments(Instruction& ins, int depth) {
  const std::string& t = ins.line.Text();
  uint32_t b = ins.args_begin;
  uint32_t e = ins.args_end;
  std::optional<Diagnostic> error;
  switch (ins.kind) {
    case InstructionKind::kFrom:
    case InstructionKind::kExpose:
      SplitWhitespace(ins, b, e);
      break;
    case InstructionKind::kAdd:
    case InstructionKind::kCopy:
    case InstructionKind::kVolume:
      ParseMaybeJson(ins, b, e, /*to_list=*/true, &error);
      break;
    case InstructionKind::kRun:
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
    case InstructionKind::kShell:
      if (b < e) ParseMaybeJson(ins, b, e, /*to_list=*/false, &error);
      break;
    case InstructionKind::kMaintainer:
    case InstructionKind::kStopsignal:
    case InstructionKind::kUser:
    case InstructionKind::kWorkdir:
      if (b < e) ins.args.push_back(Word{t.substr(b, e - b), b, e, {}});
      break;
    case InstructionKind::kEnv:
      return ParseNameValue(ins, "ENV");
    case InstructionKind::kLabel:
      return ParseNameValue(ins, "LABEL");
    case InstructionKind::kArg:
      ins.args = SplitWords(t, b, e);
      break;
    case InstructionKind::kHealthcheck: {
      // The type is the first run of non-space bytes; the rest is a command.
      uint32_t sep = b;
      while (sep < e && !text::IsSpaceByte(t[sep])) ++sep;
      uint32_t next = sep;
      while (next < e && text::IsSpaceByte(t[next])) ++next;
      if (sep == b) break;
      ins.args.push_back(Word{t.substr(b, sep - b), b, sep, {}});
      if (next < e) ParseMaybeJson(ins, next, e, /*to_list=*/false, &error);
      break;
    }
    case InstructionKind::kOnbuild: {
      if (b == e) break;
      if (depth >= kMaxOnbuildDepth) {
        return MakeError("onbuild-too-deep", "ONBUILD nested too deeply", LogicalRange(ins, b, e));
      }
      auto inner = std::make_shared<Instruction>();
      inner->line = ins.line;
      if (auto err = ParseInstruction(*inner, b, e, depth + 1)) return err;
      ins.onbuild = std::move(inner);
      break;
    }
    case InstructionKind::kUnknown:
      ins.args.push_back(Word{"", b, b, {}});
      break;
  }
  return error;
}

void Parser::SplitWhitespace(Instruction& ins, uint32_t b, uint32_t e) {
  const std::string& t = ins.line.Text();
  uint32_t p = b;
  while (p < e) {
    uint32_t q = p;
    while (q < e && !text::IsBlankSep(t[q])) ++q;
    ins.args.push_back(Word{t.substr(p, q - p), p, q, {}});
    while (q < e && text::IsBlankSep(t[q])) ++q;
    p = q;
  }
}

void Parser::ParseMaybeJson(Instruction& ins, uint32_t b, uint32_t e, bool to_list,
                            std::optional<Diagnostic>* error) {
  const std::string& t = ins.line.Text();
  JsonArray json = ParseJsonArray(t, b, e);
  switch (json.status) {
    case JsonArrayStatus::kOk:
      ins.json_form = true;
      for (JsonElement& el : json.elements) {
        ins.args.push_back(Word{std::move(el.value), el.begin, el.end, {}});
      }
      return;
    case JsonArrayStatus::kNotStrings:
      *error = MakeError("json-not-strings",
                         "when using JSON array syntax, arrays must be comprised of strings only",
                         LogicalRange(ins, json.bad_element, json.bad_element + 1));
      return;
    case JsonArrayStatus::kNotJson:
      break;
  }
  if (to_list) {
    SplitWhitespace(ins, b, e);
  } else {
    ins.args.push_back(Word{t.substr(b, e - b), b, e, {}});
  }
}

// BuildKit's parseWords: whitespace-separated words; quotes and escapes are kept in the word.
std::vector<Word> Parser::SplitWords(const std::string& t, uint32_t b, uint32_t e) const {
  std::vector<Word> words;
  std::string_view s(t.data(), e);
  uint32_t pos = b;
  auto append_rune = [&](std::string& w, const text::Rune& r, uint32_t at) {
    if (r.value == 0xFFFD && r.width == 1) {
      text::AppendUtf8(w, 0xFFFD);  // Go's string(utf8.RuneError)
    } else {
      w.append(t.data() + at, r.width);
    }
  };
  while (pos < e) {
    text::Rune r = text::DecodeRune(s, pos);
    if (text::IsSpace(r.value)) {
      pos += r.width;
      continue;
    }
    Word w;
    w.begin = pos;
    bool blank_ok = false;
    char32_t quote = 0;
    bool in_quote = false;
    while (pos < e) {
      r = text::DecodeRune(s, pos);
      if (!in_quote) {
        if (text::IsSpace(r.value)) break;
        if (r.value == '\'' || r.value == '"') {
          quote = r.value;
          blank_ok = true;
          in_quote = true;
          append_rune(w.value, r, pos);
          pos += r.width;
          continue;
        }
        if (r.value == static_cast<unsigned char>(escape_)) {
          if (pos + r.width == e) {
            pos += r.width;  // an escape at the end of the text is dropped
            continue;
          }
          append_rune(w.value, r, pos);
          pos += r.width;
          r = text::DecodeRune(s, pos);
        }
        append_rune(w.value, r, pos);
        pos += r.width;
        continue;
      }
      if (r.value == quote) in_quote = false;
      if (r.value == static_cast<unsigned char>(escape_) && quote != '\'') {
        if (pos + r.width == e) {
          in_quote = false;
          pos += r.width;
          continue;
        }
        append_rune(w.value, r, pos);
        pos += r.width;
        r = text::DecodeRune(s, pos);
      }
      append_rune(w.value, r, pos);
      pos += r.width;
    }
    w.end = pos;
    if (blank_ok || !w.value.empty()) words.push_back(std::move(w));
  }
  return words;
}

std::optional<Diagnostic> Parser::ParseNameValue(Instruction& ins, std::string_view key) {
  const std::string& t = ins.line.Text();
  uint32_t b = ins.args_begin;
  uint32_t e = ins.args_end;
  std::vector<Word> words = SplitWords(t, b, e);
  if (words.empty()) return std::nullopt;
  if (words[0].value.find('=') == std::string::npos) {
    // Legacy form `KEY name value`: split the raw text once on whitespace.
    uint32_t k = b;
    while (k < e && !text::IsBlankSep(t[k])) ++k;
    uint32_t v = k;
    while (v < e && text::IsBlankSep(t[v])) ++v;
    if (k == e) {
      return MakeError("missing-value", std::string(key) + " must have two arguments",
                       LogicalRange(ins, b, e));
    }
    ins.args.push_back(Word{t.substr(b, k - b), b, k, {}});
    ins.args.push_back(Word{t.substr(v, e - v), v, e, {}});
    ins.args.push_back(Word{"", k, k, {}});
    return std::nullopt;
  }
  for (Word& w : words) {
    size_t eq = w.value.find('=');
    if (eq == std::string::npos) {
      return MakeError("missing-equals",
                       "can't find = in \"" + w.value + "\": must be of the form name=value",
                       LogicalRange(ins, w.begin, w.end));
    }
    uint32_t eq_at = w.begin;
    while (eq_at < w.end && t[eq_at] != '=') ++eq_at;
    ins.args.push_back(Word{w.value.substr(0, eq), w.begin, eq_at, {}});
    ins.args.push_back(Word{w.value.substr(eq + 1), eq_at + 1, w.end, {}});
    ins.args.push_back(Word{"=", eq_at, eq_at + 1, {}});
  }
  return std::nullopt;
}

std::optional<Diagnostic> Parser::ReadHeredocs(Instruction& ins) {
  const Instruction* target = ins.onbuild ? ins.onbuild.get() : &ins;
  bool can_contain = target->kind == InstructionKind::kRun ||
                     target->kind == InstructionKind::kCopy ||
                     target->kind == InstructionKind::kAdd;
  if (!can_contain || target->json_form) return std::nullopt;
  const std::string& t = ins.line.Text();
  if (t.find("<<") == std::string::npos) return std::nullopt;
  HeredocScan scan = ScanHeredocs(t);
  if (scan.error) {
    return MakeError("bad-heredoc", *scan.error,
                     LogicalRange(ins, scan.error_begin, scan.error_end));
  }
  for (HeredocWord& word : scan.words) {
    Heredoc doc;
    doc.name = std::move(word.name);
    doc.expand = word.expand;
    doc.chomp = word.chomp;
    doc.fd = word.fd;
    doc.word_range = LogicalRange(ins, word.begin, word.end);
    uint32_t body_begin = pos_;
    bool terminated = false;
    PhysicalLine line;
    while (NextLine(&line)) {
      if (auto err = CheckLength(line)) return err;
      std::string_view candidate = src_.substr(line.begin, line.end - line.begin);
      if (doc.chomp) {
        while (!candidate.empty() && candidate.front() == '\t') candidate.remove_prefix(1);
      }
      if (candidate == doc.name) {
        terminated = true;
        doc.body_range = file_->RangeOf(body_begin, line.begin);
        doc.terminator_range = file_->RangeOf(line.begin, line.end);
        ins.range.end = doc.terminator_range.end;
        break;
      }
      doc.content.append(src_.data() + line.begin, line.next - line.begin);
    }
    if (!terminated) {
      return MakeError("unterminated-heredoc",
                       "unterminated heredoc: no line \"" + doc.name + "\" ends it",
                       doc.word_range);
    }
    ins.heredocs.push_back(std::move(doc));
  }
  return std::nullopt;
}

void DumpNode(const Instruction& ins, std::string& out) {
  size_t start = out.size();
  out += text::AsciiLower(ins.keyword);
  if (!ins.flags.empty()) {
    out += " [";
    for (size_t i = 0; i < ins.flags.size(); ++i) {
      if (i) out += ' ';
      text::AppendQuoted(out, ins.flags[i].text);
    }
    out += ']';
  }
  for (const Word& w : ins.args) {
    out += ' ';
    text::AppendQuoted(out, w.value);
  }
  if (ins.onbuild) {
    out += " (";
    DumpNode(*ins.onbuild, out);
    out += ')';
  }
  // Go's strings.TrimSpace of the node's dump.
  uint32_t b =
      text::SkipSpaceForward(out, static_cast<uint32_t>(start), static_cast<uint32_t>(out.size()));
  uint32_t e = text::SkipSpaceBackward(out, b, static_cast<uint32_t>(out.size()));
  if (b != start || e != out.size()) {
    std::string trimmed = out.substr(b, e - b);
    out.resize(start);
    out += trimmed;
  }
}

}  // namespace

std::string DumpBuildkit(const SyntaxTree& tree) {
  std::string out;
  for (const Instruction& ins : tree.instructions) {
    out += '(';
    DumpNode(ins, out);
    out += ")\n";
  }
  return out;
}

Result<std::shared_ptr<const SyntaxTree>> ParseDockerfile(std::shared_ptr<const SourceFile> file) {
  return Parser(std::move(file)).Run();
}

}  // namespace dockit

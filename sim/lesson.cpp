#include "sim/lesson.hpp"

#include <algorithm>
#include <charconv>

#include "planner/run_size.hpp"

namespace dockit::sim {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<int64_t> Integer(std::string_view s) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// The first word and the rest of a line.
std::pair<std::string_view, std::string_view> Head(std::string_view line) {
  line = Trim(line);
  size_t blank = line.find_first_of(" \t");
  if (blank == std::string_view::npos) return {line, {}};
  return {line.substr(0, blank), Trim(line.substr(blank))};
}

// TEXT or "TEXT": an expectation's text may be quoted to keep its outer blanks.
std::string Unquote(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    auto words = SplitWords(text);
    if (words && words->size() == 1) return words->front();
  }
  return std::string(text);
}

class Parser {
 public:
  explicit Parser(const SourceFile& file) : file_(file), text_(file.Text()) {}

  Result<Lesson> Parse() {
    Lesson lesson;
    size_t slash = file_.Path().find_last_of('/');
    lesson.title = file_.Path().substr(slash == std::string::npos ? 0 : slash + 1);
    while (at_ < text_.size()) {
      line_begin_ = at_;
      std::string_view line = NextLine();
      std::string_view trimmed = Trim(line);
      if (trimmed.empty() || trimmed.front() == '#') continue;
      auto [word, rest] = Head(trimmed);
      LessonStep step;
      step.range = file_.RangeOf(static_cast<uint32_t>(line_begin_),
                                 static_cast<uint32_t>(line_begin_ + line.size()));
      Status parsed = Directive(word, rest, step, lesson);
      if (!parsed) return parsed.Error();
      if (word != "title") lesson.steps.push_back(std::move(step));
    }
    return lesson;
  }

 private:
  std::string_view NextLine() {
    size_t end = text_.find('\n', at_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(at_, end - at_);
    at_ = end < text_.size() ? end + 1 : end;
    return line;
  }

  Diagnostic Error(std::string message, std::string_view where = {}) const {
    uint32_t begin = static_cast<uint32_t>(line_begin_);
    uint32_t end = begin;
    if (!where.empty() && where.data() >= text_.data() &&
        where.data() <= text_.data() + text_.size()) {
      begin = static_cast<uint32_t>(where.data() - text_.data());
      end = begin + static_cast<uint32_t>(where.size());
    }
    return Diagnostic{"bad-lesson", std::move(message), file_.RangeOf(begin, end),
                      Severity::kError};
  }

  // `<<END` at the end of `rest`: the lines up to END, verbatim.
  Result<std::string> Heredoc(std::string_view rest, std::string_view& before) {
    size_t marker = rest.rfind("<<");
    if (marker == std::string_view::npos) return Error("expected <<END and a body", rest);
    std::string_view name = Trim(rest.substr(marker + 2));
    before = Trim(rest.substr(0, marker));
    if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
      return Error("expected a marker word after <<", rest.substr(marker));
    }
    std::string body;
    while (at_ < text_.size()) {
      std::string_view line = NextLine();
      if (Trim(line) == name) return body;
      body += line;
      body += '\n';
    }
    return Error("heredoc not closed: no line \"" + std::string(name) + "\"", rest.substr(marker));
  }

  Status Directive(std::string_view word, std::string_view rest, LessonStep& step, Lesson& lesson) {
    using Kind = LessonStep::Kind;
    if (word == "title") {
      lesson.title = std::string(rest);
      return OkStatus();
    }
    if (word == "say") {
      step.kind = Kind::kSay;
      step.text = std::string(rest);
      return OkStatus();
    }
    if (word == "$") {
      step.kind = Kind::kCommand;
      auto words = SplitWords(rest);
      if (!words) return Error("unterminated quote", rest);
      if (words->empty()) return Error("expected a command after $");
      step.argv = std::move(*words);
      return OkStatus();
    }
    if (word == "file" || word == "append" || word == "sizes" || word == "program") {
      step.kind = word == "file"     ? Kind::kFile
                  : word == "append" ? Kind::kAppend
                  : word == "sizes"  ? Kind::kSizes
                                     : Kind::kProgram;
      std::string_view before;
      Result<std::string> body = Heredoc(rest, before);
      if (!body) return body.Error();
      step.body = std::move(*body);
      if ((word == "file" || word == "append" || word == "program") && before.empty()) {
        return Error("expected " + std::string(word == "program" ? "a command" : "a path") +
                     " before <<");
      }
      if (word == "sizes" && !before.empty()) return Error("sizes takes only <<END", before);
      step.text = word == "program" ? Unquote(before) : std::string(before);
      step.range.end = file_.PosAt(static_cast<uint32_t>(at_));
      return PathCheck(step);
    }
    if (word == "delete" || word == "touch") {
      step.kind = word == "delete" ? Kind::kDelete : Kind::kTouch;
      step.text = std::string(rest);
      return PathCheck(step);
    }
    if (word == "chmod") {
      step.kind = Kind::kChmod;
      auto [mode, path] = Head(rest);
      uint32_t value = 0;
      for (char c : mode) {
        if (c < '0' || c > '7') return Error("expected an octal mode", mode);
        value = value * 8 + static_cast<uint32_t>(c - '0');
      }
      if (mode.empty() || mode.size() > 4) return Error("expected an octal mode", mode);
      step.mode = value;
      step.text = std::string(path);
      return PathCheck(step);
    }
    if (word == "wait") {
      step.kind = Kind::kWait;
      auto seconds = ParseDuration(rest);
      if (!seconds) return Error("expected a duration such as 30s, 5m or 2h", rest);
      step.seconds = *seconds;
      return OkStatus();
    }
    if (word == "expect") {
      step.kind = Kind::kExpect;
      return Expect(rest, step.expect);
    }
    return Error("unknown directive \"" + std::string(word) +
                     "\" (title, say, file, append, delete, chmod, touch, wait, $, expect, "
                     "sizes, program)",
                 word);
  }

  // Context paths stay inside the context.
  Status PathCheck(const LessonStep& step) const {
    using Kind = LessonStep::Kind;
    if (step.kind == Kind::kSizes || step.kind == Kind::kProgram) return OkStatus();
    const std::string& p = step.text;
    if (p.empty()) return Error("expected a path");
    if (p.starts_with('/') || p == ".." || p.starts_with("../") ||
        p.find("/../") != std::string::npos || p.ends_with("/..")) {
      return Error("a lesson's file paths stay inside its build context: " + p);
    }
    return OkStatus();
  }

  Status Expect(std::string_view rest, Expectation& e) {
    using K = Expectation::Kind;
    auto [what, tail] = Head(rest);
    if (what == "exit") {
      auto code = Integer(tail);
      if (!code) return Error("expected an exit code", tail);
      e.kind = K::kExit;
      e.exit_code = static_cast<int>(*code);
      return OkStatus();
    }
    if (what == "output") {
      auto [how, text] = Head(tail);
      if (how != "contains" && how != "lacks") {
        return Error("expected \"output contains TEXT\" or \"output lacks TEXT\"", how);
      }
      if (text.empty()) return Error("expected the text to look for");
      e.kind = how == "contains" ? K::kOutputContains : K::kOutputLacks;
      e.text = Unquote(text);
      return OkStatus();
    }
    if (what == "step") {
      auto [number, how] = Head(tail);
      auto n = Integer(number);
      if (!n || *n < 1) return Error("expected a step number", number);
      if (how != "cached" && how != "rebuilt") {
        return Error("expected \"cached\" or \"rebuilt\"", how);
      }
      e.kind = how == "cached" ? K::kStepCached : K::kStepRebuilt;
      e.step = static_cast<size_t>(*n);
      return OkStatus();
    }
    if (what == "image") {
      auto [ref, more] = Head(tail);
      auto [size_word, range] = Head(more);
      size_t dots = range.find("..");
      if (ref.empty() || size_word != "size" || dots == std::string_view::npos) {
        return Error("expected \"image REF size MIN..MAX\"", tail);
      }
      auto min = plan::ParseSize(range.substr(0, dots));
      auto max = plan::ParseSize(range.substr(dots + 2));
      if (!min || !max || *min > *max) return Error("expected sizes such as 100MB..150MB", range);
      e.kind = K::kImageSize;
      e.text = std::string(ref);
      e.min = *min;
      e.max = *max;
      return OkStatus();
    }
    if (what == "container") {
      auto [name, state] = Head(tail);
      std::string_view s = state;
      std::optional<int> code;
      if (size_t open = s.find('('); open != std::string_view::npos && s.ends_with(')')) {
        code = Integer(s.substr(open + 1, s.size() - open - 2));
        if (!code) return Error("expected exited(CODE)", state);
        s = s.substr(0, open);
      }
      static constexpr std::string_view kStates[] = {"running", "exited",  "removed",
                                                     "created", "healthy", "unhealthy"};
      if (name.empty() ||
          std::find(std::begin(kStates), std::end(kStates), s) == std::end(kStates)) {
        return Error(
            "expected \"container NAME STATE\" (running, exited, exited(CODE), removed, created, "
            "healthy, unhealthy)",
            tail);
      }
      if (code && s != "exited") return Error("only exited takes a code", state);
      e.kind = K::kContainer;
      e.text = std::string(name);
      e.state = std::string(s);
      e.state_code = code;
      return OkStatus();
    }
    return Error("unknown expectation (exit, output, step, image, container)", what);
  }

  const SourceFile& file_;
  std::string_view text_;
  size_t at_ = 0;
  size_t line_begin_ = 0;
};

}  // namespace

Result<Lesson> ParseLesson(const SourceFile& file) { return Parser(file).Parse(); }

std::optional<std::vector<std::string>> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      size_t close = line.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word += line.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return std::nullopt;
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) {
          ++i;
        }
        word += line[i];
      }
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::optional<int64_t> ParseDuration(std::string_view text) {
  text = Trim(text);
  if (auto plain = Integer(text)) return *plain >= 0 ? plain : std::nullopt;
  int64_t total = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t digits = at;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == at || digits >= text.size()) return std::nullopt;
    int64_t n = *Integer(text.substr(at, digits - at));
    char unit = text[digits];
    int64_t scale = unit == 's'   ? 1
                    : unit == 'm' ? 60
                    : unit == 'h' ? 3600
                    : unit == 'd' ? 86400
                                  : 0;
    if (!scale) return std::nullopt;
    total += n * scale;
    at = digits + 1;
  }
  return text.empty() ? std::nullopt : std::optional<int64_t>(total);
}

}  // namespace dockit::sim

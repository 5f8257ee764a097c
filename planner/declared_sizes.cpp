#include "planner/declared_sizes.hpp"

#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

struct Token {
  std::string_view text;
  uint32_t offset = 0;  // in the file
};

// The whitespace-separated words of the line [begin, end).
std::vector<Token> Tokens(std::string_view text, uint32_t begin, uint32_t end) {
  std::vector<Token> out;
  uint32_t i = begin;
  while (i < end) {
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    uint32_t start = i;
    while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') ++i;
    if (i > start && text[start] == '#') break;  // a comment to the end of the line
    if (i > start) out.push_back({text.substr(start, i - start), start});
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

std::optional<uint64_t> DeclaredSizes::Url(std::string_view url) const {
  auto it = urls.find(url);
  return it == urls.end() ? std::nullopt : std::optional<uint64_t>(it->second);
}

std::optional<uint64_t> DeclaredSizes::Command(const std::vector<std::string_view>& words) const {
  auto it = commands.find(Join(words));
  return it == commands.end() ? std::nullopt : std::optional<uint64_t>(it->second);
}

Result<DeclaredSizes> ParseDeclaredSizes(const SourceFile& file) {
  DeclaredSizes out;
  std::string_view text = file.Text();
  auto error = [&](std::string code, std::string message, uint32_t begin, uint32_t end) {
    return Diagnostic{std::move(code), std::move(message), file.RangeOf(begin, end),
                      Severity::kError};
  };
  for (uint32_t line = 1; line <= file.LineCount(); ++line) {
    uint32_t begin = file.LineStart(line);
    uint32_t end = line < file.LineCount() ? file.LineStart(line + 1) : uint32_t(text.size());
    while (end > begin && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
    std::vector<Token> t = Tokens(text, begin, end);
    if (t.empty()) continue;
    auto span = [](const Token& k) { return k.offset + static_cast<uint32_t>(k.text.size()); };
    auto size_of = [&](const Token& k) -> Result<uint64_t> {
      auto n = ParseSize(k.text);
      if (!n) {
        return error("bad-size", "bad size \"" + std::string(k.text) + "\" (10, 10K, 12M, 1GB)",
                     k.offset, span(k));
      }
      return *n;
    };
    if (t[0].text == "url") {
      if (t.size() < 2) return error("missing-url", "missing URL", t[0].offset, span(t[0]));
      if (t.size() < 3) return error("bad-size", "missing size", span(t[1]), span(t[1]));
      if (t.size() > 3) {
        return error("trailing-text", "unexpected text after the size", t[3].offset,
                     span(t.back()));
      }
      auto n = size_of(t[2]);
      if (!n) return n.Error();
      if (!out.urls.emplace(std::string(t[1].text), *n).second) {
        return error("duplicate-declaration", "URL declared twice", t[1].offset, span(t[1]));
      }
    } else if (t[0].text == "command") {
      if (t.size() < 2) return error("bad-size", "missing size", span(t[0]), span(t[0]));
      auto n = size_of(t[1]);
      if (!n) return n.Error();
      if (t.size() < 3) {
        return error("missing-command", "missing command", span(t[1]), span(t[1]));
      }
      std::vector<std::string_view> words;
      for (size_t i = 2; i < t.size(); ++i) words.push_back(t[i].text);
      if (!out.commands.emplace(Join(words), *n).second) {
        return error("duplicate-declaration", "command declared twice", t[2].offset,
                     span(t.back()));
      }
    } else {
      return error("unknown-declaration",
                   "unknown declaration \"" + std::string(t[0].text) + "\" (url, command)",
                   t[0].offset, span(t[0]));
    }
  }
  return out;
}

}  // namespace dockit::plan

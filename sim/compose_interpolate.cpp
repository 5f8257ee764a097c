#include "sim/compose_interpolate.hpp"

#include <map>

namespace dockit::sim {
namespace {

bool IsNameStart(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

Diagnostic ErrorAt(size_t begin, size_t end, std::string message) {
  SourceRange r;
  r.begin.offset = static_cast<uint32_t>(begin);
  r.begin.column = static_cast<uint32_t>(begin + 1);
  r.end.offset = static_cast<uint32_t>(end);
  r.end.column = static_cast<uint32_t>(end + 1);
  return Diagnostic{"compose-interpolation", std::move(message), r, Severity::kError};
}

class Interpolator {
 public:
  Interpolator(std::string_view text, const EnvLookup& lookup) : text_(text), lookup_(lookup) {}

  // Replaces variables in text_[begin, end), which holds balanced braces.
  Status Run(size_t begin, size_t end, std::string& out) {
    for (size_t i = begin; i < end; ++i) {
      char c = text_[i];
      if (c != '$') {
        out += c;
        continue;
      }
      if (i + 1 < end && text_[i + 1] == '$') {
        out += '$';
        ++i;
        continue;
      }
      if (i + 1 < end && IsNameStart(text_[i + 1])) {
        size_t j = i + 1;
        while (j < end && IsNameChar(text_[j])) ++j;
        Value(text_.substr(i + 1, j - i - 1), out);
        i = j - 1;
        continue;
      }
      if (i + 1 < end && text_[i + 1] == '{') {
        size_t close = MatchingBrace(i + 1, end);
        if (close == std::string_view::npos) return Invalid(i, end);
        Status braced = Braced(i, close, out);
        if (!braced) return braced;
        i = close;
        continue;
      }
      out += c;  // `$1`, `$(`, a final `$`: literal, as compose-go leaves them
    }
    return OkStatus();
  }

  std::vector<std::string> unset;

 private:
  Status Invalid(size_t begin, size_t end) {
    return ErrorAt(begin, end,
                   "invalid interpolation format: \"" + std::string(text_) +
                       "\" (you may need to escape any $ with another $)");
  }

  size_t MatchingBrace(size_t open, size_t end) const {
    int depth = 0;
    for (size_t i = open; i < end; ++i) {
      if (text_[i] == '{') ++depth;
      if (text_[i] == '}' && --depth == 0) return i;
    }
    return std::string_view::npos;
  }

  void Value(std::string_view name, std::string& out) {
    if (auto v = lookup_(name)) {
      out += *v;
    } else {
      unset.emplace_back(name);
    }
  }

  // `${...}` from the dollar at `dollar` to the closing brace at `close`.
  Status Braced(size_t dollar, size_t close, std::string& out) {
    size_t i = dollar + 2;
    size_t name_end = i;
    if (name_end < close && IsNameStart(text_[name_end])) {
      while (name_end < close && IsNameChar(text_[name_end])) ++name_end;
    }
    if (name_end == i) return Invalid(dollar, close + 1);
    std::string_view name = text_.substr(i, name_end - i);
    if (name_end == close) {
      Value(name, out);
      return OkStatus();
    }
    bool colon = text_[name_end] == ':';
    size_t op_at = name_end + (colon ? 1 : 0);
    if (op_at >= close) return Invalid(dollar, close + 1);
    char op = text_[op_at];
    if (op != '-' && op != '?' && op != '+') return Invalid(dollar, close + 1);
    size_t arg_begin = op_at + 1;
    std::optional<std::string> value = lookup_(name);
    bool missing = !value || (colon && value->empty());
    if (op == '-' || op == '+') {
      bool use_arg = op == '-' ? missing : !missing;
      if (use_arg) return Run(arg_begin, close, out);
      if (op == '-') out += *value;
      return OkStatus();
    }
    // `?`: an error when missing.
    if (!missing) {
      out += *value;
      return OkStatus();
    }
    std::string message;
    Status m = Run(arg_begin, close, message);
    if (!m) return m;
    return ErrorAt(dollar, close + 1,
                   "required variable " + std::string(name) + " is missing a value" +
                       (message.empty() ? "" : ": " + message));
  }

  std::string_view text_;
  const EnvLookup& lookup_;
};

}  // namespace

Result<Interpolated> Interpolate(std::string_view text, const EnvLookup& lookup) {
  Interpolator interpolator(text, lookup);
  Interpolated out;
  Status s = interpolator.Run(0, text.size(), out.value);
  if (!s) return s.Error();
  out.unset = std::move(interpolator.unset);
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseEnvFile(const SourceFile& file,
                                                                      const EnvLookup& lookup) {
  const std::string& text = file.Text();
  std::vector<std::pair<std::string, std::string>> out;
  std::map<std::string, std::string, std::less<>> seen;
  EnvLookup local = [&](std::string_view name) -> std::optional<std::string> {
    if (auto it = seen.find(name); it != seen.end()) return it->second;
    return lookup(name);
  };
  auto error = [&](size_t begin, size_t end, std::string message) {
    return Diagnostic{"compose-env-file", std::move(message),
                      file.RangeOf(static_cast<uint32_t>(begin), static_cast<uint32_t>(end)),
                      Severity::kError};
  };
  size_t at = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    if (eol == std::string::npos) eol = text.size();
    size_t line_end = eol > at && text[eol - 1] == '\r' ? eol - 1 : eol;
    size_t i = at;
    size_t next = eol + 1;
    while (i < line_end && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == line_end || text[i] == '#') {
      at = next;
      continue;
    }
    if (text.compare(i, 7, "export ") == 0) {
      i += 7;
      while (i < line_end && text[i] == ' ') ++i;
    }
    size_t key_begin = i;
    while (i < line_end && text[i] != '=' && text[i] != ' ' && text[i] != '\t') ++i;
    std::string key = text.substr(key_begin, i - key_begin);
    size_t key_end = i;
    while (i < line_end && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (key.empty() || !IsNameStart(key[0]) ||
        key.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string::npos) {
      return error(key_begin, std::max(key_end, key_begin + 1),
                   "invalid variable name \"" + key + "\" in " + file.Path());
    }
    if (i == line_end) {  // a bare KEY: from the environment
      if (auto v = lookup(key)) {
        seen[key] = *v;
        out.emplace_back(key, *v);
      }
      at = next;
      continue;
    }
    if (text[i] != '=') {
      return error(i, i + 1,
                   "unexpected character \"" + std::string(1, text[i]) +
                       "\" after variable name \"" + key + "\"");
    }
    ++i;
    while (i < line_end && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string value;
    if (i < line_end && (text[i] == '\'' || text[i] == '"')) {
      char quote = text[i];
      size_t begin = i;
      std::string raw;
      size_t j = i + 1;
      bool closed = false;
      for (; j < text.size(); ++j) {  // quoted values may span lines
        if (quote == '"' && text[j] == '\\' && j + 1 < text.size()) {
          char e = text[++j];
          raw += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
          if (e == '$') raw += '$';  // keep an escaped dollar literal through interpolation
          continue;
        }
        if (text[j] == quote) {
          closed = true;
          break;
        }
        raw += text[j];
      }
      if (!closed) return error(begin, line_end, "unterminated quoted value for " + key);
      if (quote == '"') {
        auto v = Interpolate(raw, local);
        if (!v) {
          return error(begin, j + 1, v.Error().message);
        }
        value = std::move(v->value);
      } else {
        value = std::move(raw);
      }
      size_t close_eol = text.find('\n', j);
      next = close_eol == std::string::npos ? text.size() : close_eol + 1;
    } else {
      size_t v_end = line_end;
      for (size_t k = i; k < line_end; ++k) {
        if (text[k] == '#' && k > i && (text[k - 1] == ' ' || text[k - 1] == '\t')) {
          v_end = k;
          break;
        }
      }
      while (v_end > i && (text[v_end - 1] == ' ' || text[v_end - 1] == '\t')) --v_end;
      auto v = Interpolate(std::string_view(text).substr(i, v_end - i), local);
      if (!v) {
        const SourceRange& r = v.Error().range;
        return error(i + r.begin.offset, i + r.end.offset, v.Error().message);
      }
      value = std::move(v->value);
    }
    seen[key] = value;
    out.emplace_back(std::move(key), std::move(value));
    at = next;
  }
  return out;
}

}  // namespace dockit::sim

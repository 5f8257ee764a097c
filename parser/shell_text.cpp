// Decoding helpers of the shell view that keep track of where every decoded byte came from, so
// scripts found inside other text (sh -c '...', exec-form JSON, <<- heredocs) keep exact ranges.
#include <algorithm>
#include <cstring>

#include "parser/shell_internal.hpp"
#include "parser/text.hpp"

namespace dockit::shell_internal {

void OffsetMap::Copy(uint32_t out, uint32_t raw, uint32_t n) {
  if (n == 0) return;
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    if (last.copy && last.out_end == out && last.raw_end == raw) {
      last.out_end += n;
      last.raw_end += n;
      return;
    }
  }
  pieces_.push_back(Piece{out, out + n, raw, raw + n, true});
}

void OffsetMap::Unit(uint32_t out, uint32_t n, uint32_t raw_begin, uint32_t raw_end) {
  // An escape that produces nothing (a line continuation) needs no piece: the next piece's raw
  // start already lies after it.
  if (n == 0) return;
  pieces_.push_back(Piece{out, out + n, raw_begin, raw_end, false});
}

void OffsetMap::Finish(uint32_t /*out_size*/, uint32_t raw_end) { final_raw_ = raw_end; }

uint32_t OffsetMap::Begin(uint32_t out) const {
  if (pieces_.empty()) return final_raw_;
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), out,
                             [](uint32_t o, const Piece& p) { return o < p.out; });
  if (it == pieces_.begin()) return pieces_.front().raw;
  const Piece& p = *(it - 1);
  if (out < p.out_end) return p.copy ? p.raw + (out - p.out) : p.raw;
  // Past the piece: the start of the next one, or the end of the last.
  return it != pieces_.end() ? it->raw : p.raw_end;
}

uint32_t OffsetMap::End(uint32_t out) const {
  if (pieces_.empty()) return final_raw_;
  if (out == 0) return Begin(0);
  // The piece holding output byte out - 1.
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), out - 1,
                             [](uint32_t o, const Piece& p) { return o < p.out; });
  if (it == pieces_.begin()) return pieces_.front().raw;
  const Piece& p = *(it - 1);
  if (out - 1 < p.out_end) return p.copy ? p.raw + (out - p.out) : p.raw_end;
  return p.raw_end;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

size_t DecodeAnsiEscape(std::string_view s, size_t i, std::string* out) {
  if (i + 1 >= s.size()) {
    out->push_back('\\');
    return 1;
  }
  char c = s[i + 1];
  switch (c) {
    case 'a':
      out->push_back('\a');
      return 2;
    case 'b':
      out->push_back('\b');
      return 2;
    case 'e':
    case 'E':
      out->push_back('\x1b');
      return 2;
    case 'f':
      out->push_back('\f');
      return 2;
    case 'n':
      out->push_back('\n');
      return 2;
    case 'r':
      out->push_back('\r');
      return 2;
    case 't':
      out->push_back('\t');
      return 2;
    case 'v':
      out->push_back('\v');
      return 2;
    case '\\':
    case '\'':
    case '"':
    case '?':
      out->push_back(c);
      return 2;
    case 'c':
      if (i + 2 < s.size()) {
        out->push_back(static_cast<char>(s[i + 2] & 0x1f));
        return 3;
      }
      break;
    case 'x':
    case 'u':
    case 'U': {
      size_t max_digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
      size_t j = i + 2;
      uint32_t value = 0;
      while (j < s.size() && j - (i + 2) < max_digits && HexValue(s[j]) >= 0) {
        value = value * 16 + static_cast<uint32_t>(HexValue(s[j]));
        ++j;
      }
      if (j == i + 2) break;  // no digits: bash keeps the text
      if (c == 'x') {
        out->push_back(static_cast<char>(value));
      } else {
        text::AppendUtf8(*out, static_cast<char32_t>(value));
      }
      return j - i;
    }
    default:
      if (c >= '0' && c <= '7') {
        size_t j = i + 1;
        uint32_t value = 0;
        while (j < s.size() && j - (i + 1) < 3 && s[j] >= '0' && s[j] <= '7') {
          value = value * 8 + static_cast<uint32_t>(s[j] - '0');
          ++j;
        }
        out->push_back(static_cast<char>(value & 0xff));
        return j - i;
      }
      break;
  }
  // Unknown escapes keep their backslash, as bash does.
  out->push_back('\\');
  out->push_back(c);
  return 2;
}

void UnquoteWord(std::string_view raw, uint32_t raw_base, std::string* out, OffsetMap* map) {
  const size_t n = raw.size();
  auto copy = [&](size_t from, size_t len) {
    if (map)
      map->Copy(static_cast<uint32_t>(out->size()), raw_base + static_cast<uint32_t>(from),
                static_cast<uint32_t>(len));
    out->append(raw.substr(from, len));
  };
  auto unit = [&](size_t out_before, size_t from, size_t len) {
    if (map) {
      map->Unit(static_cast<uint32_t>(out_before), static_cast<uint32_t>(out->size() - out_before),
                raw_base + static_cast<uint32_t>(from),
                raw_base + static_cast<uint32_t>(from + len));
    }
  };
  size_t i = 0;
  while (i < n) {
    char c = raw[i];
    if (c == '\\') {
      if (i + 1 >= n) {
        copy(i, 1);
        ++i;
      } else {
        size_t before = out->size();
        if (raw[i + 1] != '\n') out->push_back(raw[i + 1]);
        unit(before, i, 2);
        i += 2;
      }
    } else if (c == '\'') {
      size_t close = raw.find('\'', i + 1);
      if (close == std::string_view::npos) close = n;
      copy(i + 1, close - i - 1);
      i = close + 1;
    } else if (c == '"' || (c == '$' && i + 1 < n && raw[i + 1] == '"')) {
      i += c == '$' ? 2 : 1;
      while (i < n && raw[i] != '"') {
        if (raw[i] == '\\' && i + 1 < n && std::strchr("$`\"\\\n", raw[i + 1]) != nullptr) {
          size_t before = out->size();
          if (raw[i + 1] != '\n') out->push_back(raw[i + 1]);
          unit(before, i, 2);
          i += 2;
        } else {
          copy(i, 1);
          ++i;
        }
      }
      ++i;
    } else if (c == '$' && i + 1 < n && raw[i + 1] == '\'') {
      i += 2;
      while (i < n && raw[i] != '\'') {
        if (raw[i] == '\\') {
          size_t before = out->size();
          size_t used = DecodeAnsiEscape(raw, i, out);
          unit(before, i, used);
          i += used;
        } else {
          copy(i, 1);
          ++i;
        }
      }
      ++i;
    } else {
      copy(i, 1);
      ++i;
    }
  }
  if (map) map->Finish(static_cast<uint32_t>(out->size()), raw_base + static_cast<uint32_t>(n));
}

bool DecodeJsonString(std::string_view raw, uint32_t raw_base, std::string* out, OffsetMap* map) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  const size_t n = raw.size() - 1;
  auto read_hex4 = [&](size_t at, uint32_t* value) {
    if (at + 4 > n) return false;
    *value = 0;
    for (size_t k = at; k < at + 4; ++k) {
      int h = HexValue(raw[k]);
      if (h < 0) return false;
      *value = *value * 16 + static_cast<uint32_t>(h);
    }
    return true;
  };
  size_t i = 1;
  while (i < n) {
    size_t before = out->size();
    char c = raw[i];
    if (c != '\\') {
      out->push_back(c);
      if (map) map->Copy(static_cast<uint32_t>(before), raw_base + static_cast<uint32_t>(i), 1);
      ++i;
      continue;
    }
    if (i + 1 >= n) return false;
    size_t used = 2;
    switch (raw[i + 1]) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        uint32_t unit = 0;
        if (!read_hex4(i + 2, &unit)) return false;
        used = 6;
        char32_t rune = unit;
        if (unit >= 0xD800 && unit < 0xDC00) {
          uint32_t low = 0;
          if (i + 7 < n && raw[i + 6] == '\\' && raw[i + 7] == 'u' && read_hex4(i + 8, &low) &&
              low >= 0xDC00 && low < 0xE000) {
            rune = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            used = 12;
          } else {
            rune = 0xFFFD;  // Go decodes a lone surrogate as U+FFFD
          }
        } else if (unit >= 0xDC00 && unit < 0xE000) {
          rune = 0xFFFD;
        }
        text::AppendUtf8(*out, rune);
        break;
      }
      default:
        return false;
    }
    if (map) {
      map->Unit(static_cast<uint32_t>(before), static_cast<uint32_t>(out->size() - before),
                raw_base + static_cast<uint32_t>(i), raw_base + static_cast<uint32_t>(i + used));
    }
    i += used;
  }
  if (map) map->Finish(static_cast<uint32_t>(out->size()), raw_base + static_cast<uint32_t>(n));
  return true;
}

}  // namespace dockit::shell_internal

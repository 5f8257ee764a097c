#include "parser/encoding.hpp"

#include <cstdio>
#include <cstring>

#include "parser/text.hpp"

namespace dockit {

std::optional<Diagnostic> CheckEncoding(const SourceFile& file) {
  std::string_view s = file.Text();
  const void* nul = std::memchr(s.data(), '\0', s.size());
  if (nul) {
    uint32_t at = static_cast<uint32_t>(static_cast<const char*>(nul) - s.data());
    bool utf16 = (s.size() >= 2 &&
                  ((s[0] == '\xFF' && s[1] == '\xFE') || (s[0] == '\xFE' && s[1] == '\xFF')));
    return Diagnostic{"not-text",
                      utf16 ? "file is UTF-16 encoded: save it as UTF-8"
                            : "file contains a NUL byte: this is not a text Dockerfile",
                      file.RangeOf(at, at + 1), Severity::kError};
  }
  for (uint32_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    text::Rune r = text::DecodeRune(s, i);
    if (r.value == 0xFFFD && r.width == 1) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(s[i]));
      return Diagnostic{"invalid-utf8", std::string("invalid UTF-8: unexpected byte ") + hex,
                        file.RangeOf(i, i + 1), Severity::kError};
    }
    i += r.width;
  }
  return std::nullopt;
}

}  // namespace dockit

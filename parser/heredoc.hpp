// Heredoc detection on an instruction line, as BuildKit's heredocsFromLine / ParseHeredoc do it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockit {

struct HeredocWord {
  std::string name;
  bool expand = true;
  bool chomp = false;
  unsigned fd = 0;
  uint32_t begin = 0;  // the `<<NAME` word in the line
  uint32_t end = 0;
};

struct HeredocScan {
  std::vector<HeredocWord> words;
  std::optional<std::string> error;  // e.g. an unbalanced quote in a delimiter
  uint32_t error_begin = 0;
  uint32_t error_end = 0;
};

// Finds the heredoc words of `line` (a whole logical instruction line, keyword included).
HeredocScan ScanHeredocs(std::string_view line);

// ParseHeredoc on one word: nullopt when it is not a heredoc; error text on a bad delimiter.
struct HeredocParse {
  std::optional<HeredocWord> heredoc;
  std::optional<std::string> error;
};
HeredocParse ParseHeredocWord(std::string_view word);

}  // namespace dockit

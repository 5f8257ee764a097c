// BuildKit's exec-form detection: `json.Unmarshal` of the argument text into []interface{},
// with Go's encoding/json rules (strict grammar, nesting limit, U+FFFD for invalid UTF-8 and
// lone surrogates). Hand-written because the element offsets are needed for exact ranges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockit {

struct JsonElement {
  std::string value;   // decoded string
  uint32_t begin = 0;  // the string literal, quotes included, as offsets in the input
  uint32_t end = 0;
};

enum class JsonArrayStatus {
  kNotJson,     // not a JSON array: BuildKit falls back to the shell/whitespace form
  kNotStrings,  // valid JSON array with a non-string element: BuildKit's parse error
  kOk,
};

struct JsonArray {
  JsonArrayStatus status = JsonArrayStatus::kNotJson;
  std::vector<JsonElement> elements;
  uint32_t bad_element = 0;  // offset of the first non-string element (kNotStrings)
};

// Parses text[begin, end) (already trimmed of Unicode whitespace on the left by the caller, or
// not: leading Unicode whitespace is skipped as BuildKit does). Offsets are in `text`.
JsonArray ParseJsonArray(std::string_view text, uint32_t begin, uint32_t end);

}  // namespace dockit

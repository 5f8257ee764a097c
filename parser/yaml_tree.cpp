#include "parser/yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace dockit {
namespace {

// Deeper nesting is either hostile or a cyclic alias (`&a [*a]`), which yaml-cpp builds as a
// cyclic graph.
constexpr int kMaxDepth = 200;
// Aliases can expand exponentially ("billion laughs"); real compose files have a few thousand
// nodes.
constexpr size_t kMaxNodes = 1'000'000;

// An error found while converting yaml-cpp's tree; caught in ParseYaml, never escapes.
struct ConvertError {
  std::string message;
  uint32_t offset;
};

class Converter {
 public:
  explicit Converter(const SourceFile& file) : file_(file), text_(file.Text()) {
    // yaml-cpp drops a UTF-8 byte order mark and counts positions after it.
    if (text_.starts_with("\xEF\xBB\xBF")) bom_ = 3;
  }

  uint32_t OffsetOf(const YAML::Mark& mark) const {
    if (mark.pos < 0) return 0;
    return std::min<uint32_t>(static_cast<uint32_t>(mark.pos) + bom_,
                              static_cast<uint32_t>(text_.size()));
  }

  YamlNode Convert(const YAML::Node& n, bool flow, int depth) {
    uint32_t at = OffsetOf(n.Mark());
    if (depth > kMaxDepth) throw ConvertError{"nesting too deep (or a cyclic alias)", at};
    if (++nodes_ > kMaxNodes) throw ConvertError{"aliases expand to over a million nodes", at};
    YamlNode out;
    out.tag = n.Tag();
    uint32_t begin = SkipProperties(at);
    switch (n.Type()) {
      case YAML::NodeType::Scalar: {
        out.kind = YamlNode::Kind::kScalar;
        out.value = n.Scalar();
        out.plain = out.tag == "?";
        out.range = file_.RangeOf(begin, ScalarEnd(begin, flow));
        break;
      }
      case YAML::NodeType::Sequence:
      case YAML::NodeType::Map: {
        bool is_flow = begin < text_.size() && (text_[begin] == '[' || text_[begin] == '{');
        uint32_t end = begin;
        if (n.IsSequence()) {
          out.kind = YamlNode::Kind::kSequence;
          for (const YAML::Node& item : n) {
            out.items.push_back(Convert(item, flow || is_flow, depth + 1));
            end = std::max(end, out.items.back().range.end.offset);
          }
        } else {
          out.kind = YamlNode::Kind::kMap;
          ConvertMap(n, flow || is_flow, depth, out);
          for (const YamlEntry& e : out.entries) {
            if (!e.merged) end = std::max(end, e.value.range.end.offset);
          }
        }
        if (is_flow) {
          char close = text_[begin] == '[' ? ']' : '}';
          size_t c = text_.find(close, end);
          end = c == std::string::npos ? end : static_cast<uint32_t>(c + 1);
        }
        out.range = file_.RangeOf(begin, end);
        break;
      }
      default:  // Null, Undefined
        out.kind = YamlNode::Kind::kNull;
        out.range = file_.RangeOf(begin, ScalarEnd(begin, flow));
        break;
    }
    return out;
  }

 private:
  void ConvertMap(const YAML::Node& n, bool flow, int depth, YamlNode& out) {
    std::vector<YamlNode> merges;
    for (auto it = n.begin(); it != n.end(); ++it) {
      YamlNode key = Convert(it->first, flow, depth + 1);
      YamlNode value = Convert(it->second, flow, depth + 1);
      if (value.IsNull() && !IsNullLiteral(value.range.begin.offset)) {
        // `key:` with nothing after it: yaml-cpp marks the next token; point at the key's end.
        value.range = file_.RangeOf(key.range.end.offset, key.range.end.offset);
      }
      if (key.IsScalar() && key.plain && key.value == "<<") {
        merges.push_back(std::move(value));
        continue;
      }
      if (key.IsScalar()) {
        if (const YamlEntry* first = out.FindEntry(key.value)) {
          throw ConvertError{"mapping key \"" + key.value + "\" already defined at line " +
                                 std::to_string(first->key.range.begin.line),
                             key.range.begin.offset};
        }
      }
      out.entries.push_back(YamlEntry{std::move(key), std::move(value), false});
    }
    // Keys written in the map win over merged ones; among merged maps the first one wins.
    auto merge = [&](const YamlNode& source) {
      if (!source.IsMap()) return;
      for (const YamlEntry& e : source.entries) {
        if (!e.key.IsScalar() || out.FindEntry(e.key.value)) continue;
        out.entries.push_back(YamlEntry{e.key, e.value, true});
      }
    };
    for (const YamlNode& m : merges) {
      if (m.IsSequence()) {
        for (const YamlNode& item : m.items) merge(item);
      } else {
        merge(m);
      }
    }
  }

  bool IsNullLiteral(uint32_t at) const {
    std::string_view rest = std::string_view(text_).substr(at);
    for (std::string_view lit : {"null", "Null", "NULL", "~"}) {
      if (rest.starts_with(lit)) return true;
    }
    return false;
  }

  // Past an anchor (&a) or tag (!!str) and the blanks after it.
  uint32_t SkipProperties(uint32_t at) const {
    size_t i = at;
    while (i < text_.size() && (text_[i] == '&' || text_[i] == '!')) {
      while (i < text_.size() && !IsBlank(text_[i])) ++i;
      while (i < text_.size() && IsBlank(text_[i])) ++i;
    }
    return static_cast<uint32_t>(i);
  }

  static bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  // The end of the scalar written at `begin`. Plain scalars end at the line's end, a comment,
  // or a `: ` (a key); in flow collections also at `,`, `]` and `}`. Multi-line plain scalars
  // are cut at their first line, which is enough for a caret.
  uint32_t ScalarEnd(uint32_t begin, bool flow) const {
    size_t n = text_.size(), i = begin;
    if (i >= n) return static_cast<uint32_t>(n);
    char c = text_[i];
    if (c == '"') {
      for (++i; i < n; ++i) {
        if (text_[i] == '\\') {
          ++i;
        } else if (text_[i] == '"') {
          return static_cast<uint32_t>(i + 1);
        }
      }
      return static_cast<uint32_t>(n);
    }
    if (c == '\'') {
      for (++i; i < n; ++i) {
        if (text_[i] != '\'') continue;
        if (i + 1 < n && text_[i + 1] == '\'') {
          ++i;
        } else {
          return static_cast<uint32_t>(i + 1);
        }
      }
      return static_cast<uint32_t>(n);
    }
    if (c == '|' || c == '>') return BlockScalarEnd(begin);
    for (; i < n; ++i) {
      char ch = text_[i];
      if (ch == '\n' || ch == '\r') break;
      if (ch == '#' && i > begin && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) break;
      if (ch == ':' &&
          (i + 1 == n || IsBlank(text_[i + 1]) ||
           (flow && (text_[i + 1] == ',' || text_[i + 1] == ']' || text_[i + 1] == '}')))) {
        break;
      }
      if (flow && (ch == ',' || ch == ']' || ch == '}')) break;
    }
    while (i > begin && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) --i;
    return static_cast<uint32_t>(i);
  }

  // A `|` or `>` scalar: its header line and every following line indented deeper than the line
  // that holds the header (blank lines inside included).
  uint32_t BlockScalarEnd(uint32_t begin) const {
    size_t n = text_.size();
    size_t line_start = text_.rfind('\n', begin);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    size_t indent = 0;
    while (line_start + indent < n && text_[line_start + indent] == ' ') ++indent;
    size_t end = text_.find('\n', begin);
    if (end == std::string::npos) return static_cast<uint32_t>(n);
    size_t next = end + 1;
    while (next < n) {
      size_t eol = text_.find('\n', next);
      if (eol == std::string::npos) eol = n;
      size_t spaces = 0;
      while (next + spaces < eol && text_[next + spaces] == ' ') ++spaces;
      bool blank = next + spaces == eol || (next + spaces + 1 == eol && text_[eol - 1] == '\r');
      if (!blank) {
        if (spaces <= indent) break;
        end = eol;
      }
      next = eol + 1;
    }
    if (end > begin && text_[end - 1] == '\r') --end;
    return static_cast<uint32_t>(end);
  }

  const SourceFile& file_;
  const std::string& text_;
  uint32_t bom_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

const YamlEntry* YamlNode::FindEntry(std::string_view key) const {
  for (const YamlEntry& e : entries) {
    if (e.key.IsScalar() && e.key.value == key) return &e;
  }
  return nullptr;
}

const YamlNode* YamlNode::Find(std::string_view key) const {
  const YamlEntry* e = FindEntry(key);
  return e ? &e->value : nullptr;
}

Result<YamlNode> ParseYaml(const SourceFile& file) {
  Converter converter(file);
  auto error = [&](std::string message, uint32_t offset) {
    SourcePos at = file.PosAt(offset);
    return Diagnostic{"yaml-syntax", std::move(message), {at, at}, Severity::kError};
  };
  try {
    YAML::Node root = YAML::Load(file.Text());
    return converter.Convert(root, false, 0);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own depth guard says only "bad file".
    return error("nesting too deep", converter.OffsetOf(e.mark));
  } catch (const YAML::Exception& e) {
    return error(e.msg, converter.OffsetOf(e.mark));
  } catch (const ConvertError& e) {
    return error(e.message, e.offset);
  } catch (const std::exception& e) {
    return error(e.what(), 0);
  }
}

}  // namespace dockit

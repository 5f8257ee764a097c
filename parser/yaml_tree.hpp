// A YAML document as dockit's compose rules read it: yaml-cpp's node tree converted once into
// plain values that keep an exact range for every scalar, key and collection, and whether a
// scalar was written plain (unquoted), which decides how YAML 1.1 readers type it. Merge keys
// (`<<: *anchor`) are resolved here, as Compose does; yaml-cpp 0.7 does not.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit {

struct YamlEntry;

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string value;  // scalars: the value after YAML's quoting and folding
  // Written without quotes or a block indicator (yaml-cpp's tag "?"): a YAML 1.1 reader such as
  // PyYAML resolves its type from the text (22:22 is the base-60 integer 1342).
  bool plain = false;
  std::string tag;  // an explicit tag such as "tag:yaml.org,2002:str"; "" or "?" / "!" otherwise
  // Scalars: their text (quotes included). Collections: from their first byte to the end of
  // their last child. A node reached through an alias has the anchored node's range.
  SourceRange range;
  std::vector<YamlNode> items;     // kSequence
  std::vector<YamlEntry> entries;  // kMap, in file order; merged (<<) entries follow

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsMap() const { return kind == Kind::kMap; }
  // The value of a scalar key in a map; nullptr when absent or not a map.
  const YamlNode* Find(std::string_view key) const;
  const YamlEntry* FindEntry(std::string_view key) const;
};

struct YamlEntry {
  YamlNode key;
  YamlNode value;
  bool merged = false;  // came from a `<<` merge key, not written in this map
};

// Parses the first document of `file`. A syntax error, a duplicate key in a mapping (an error
// in Go's yaml.v3, which Compose uses), a cyclic alias or an alias expansion bigger than a
// million nodes is a Diagnostic with the position yaml-cpp reports; never throws.
Result<YamlNode> ParseYaml(const SourceFile& file);

}  // namespace dockit

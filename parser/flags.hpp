// Instruction flags as BuildKit's BFlags reads them: which flags each instruction takes, their
// types, and the errors BuildKit gives (unknown flag, missing value, bad boolean, duplicate).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/syntax.hpp"

namespace dockit {

enum class FlagType { kBool, kString, kStrings };

struct FlagSpec {
  std::string_view name;
  FlagType type;
};

// The flags BuildKit accepts on `kind` (empty for instructions that take none).
const std::vector<FlagSpec>& FlagSpecsFor(InstructionKind kind);

struct FlagValue {
  const Flag* flag = nullptr;    // the last occurrence
  std::vector<const Flag*> all;  // every occurrence (kStrings)
  bool bool_value = false;
};

// Flags by name. Unknown or malformed flags produce diagnostics and are left out.
struct ParsedFlags {
  std::map<std::string, FlagValue, std::less<>> values;
  const FlagValue* Find(std::string_view name) const;
};

ParsedFlags ParseFlags(const Instruction& ins, std::vector<Diagnostic>& diagnostics);

}  // namespace dockit

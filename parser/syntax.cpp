#include "parser/syntax.hpp"

#include <algorithm>
#include <array>

#include "parser/text.hpp"

namespace dockit {
namespace {

struct KeywordEntry {
  std::string_view lower;
  std::string_view upper;
  InstructionKind kind;
};

// Sorted by `lower` for binary search.
constexpr std::array<KeywordEntry, 18> kKeywords{{
    {"add", "ADD", InstructionKind::kAdd},
    {"arg", "ARG", InstructionKind::kArg},
    {"cmd", "CMD", InstructionKind::kCmd},
    {"copy", "COPY", InstructionKind::kCopy},
    {"entrypoint", "ENTRYPOINT", InstructionKind::kEntrypoint},
    {"env", "ENV", InstructionKind::kEnv},
    {"expose", "EXPOSE", InstructionKind::kExpose},
    {"from", "FROM", InstructionKind::kFrom},
    {"healthcheck", "HEALTHCHECK", InstructionKind::kHealthcheck},
    {"label", "LABEL", InstructionKind::kLabel},
    {"maintainer", "MAINTAINER", InstructionKind::kMaintainer},
    {"onbuild", "ONBUILD", InstructionKind::kOnbuild},
    {"run", "RUN", InstructionKind::kRun},
    {"shell", "SHELL", InstructionKind::kShell},
    {"stopsignal", "STOPSIGNAL", InstructionKind::kStopsignal},
    {"user", "USER", InstructionKind::kUser},
    {"volume", "VOLUME", InstructionKind::kVolume},
    {"workdir", "WORKDIR", InstructionKind::kWorkdir},
}};

}  // namespace

InstructionKind KindFromKeyword(std::string_view keyword) {
  if (keyword.size() > 11) return InstructionKind::kUnknown;
  std::string lower = text::AsciiLower(keyword);
  auto it =
      std::lower_bound(kKeywords.begin(), kKeywords.end(), lower,
                       [](const KeywordEntry& e, const std::string& k) { return e.lower < k; });
  if (it != kKeywords.end() && it->lower == lower) return it->kind;
  return InstructionKind::kUnknown;
}

std::string_view KeywordOf(InstructionKind kind) {
  for (const auto& e : kKeywords) {
    if (e.kind == kind) return e.upper;
  }
  return "";
}

uint32_t LogicalLine::ToSource(uint32_t logical) const {
  if (pieces_.empty()) return 0;
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), logical,
                             [](uint32_t off, const Piece& p) { return off < p.logical; });
  const Piece& p = it == pieces_.begin() ? pieces_.front() : *(it - 1);
  uint32_t delta = logical - std::min(logical, p.logical);
  return p.source + std::min(delta, p.length);
}

SourceRange LogicalLine::ToSourceRange(const SourceFile& file, uint32_t begin, uint32_t end) const {
  uint32_t b = ToSource(begin);
  uint32_t e = end > begin ? ToSource(end - 1) + 1 : b;
  return file.RangeOf(b, e);
}

std::string_view Flag::Name() const {
  std::string_view t(text);
  if (t.substr(0, 2) == "--") t.remove_prefix(2);
  return t.substr(0, t.find('='));
}

std::optional<std::string_view> Flag::Value() const {
  size_t eq = text.find('=');
  if (eq == std::string::npos) return std::nullopt;
  return std::string_view(text).substr(eq + 1);
}

const Flag* Instruction::FindFlag(std::string_view name) const {
  for (const Flag& f : flags) {
    if (f.Name() == name) return &f;
  }
  return nullptr;
}

}  // namespace dockit

#include "parser/flags.hpp"

#include "parser/suggest.hpp"
#include "parser/text.hpp"

namespace dockit {

const std::vector<FlagSpec>& FlagSpecsFor(InstructionKind kind) {
  using enum FlagType;
  static const std::vector<FlagSpec> kNone;
  static const std::vector<FlagSpec> kFrom{{"platform", kString}};
  static const std::vector<FlagSpec> kRun{
      {"mount", kStrings}, {"network", kString}, {"security", kString}};
  static const std::vector<FlagSpec> kCopy{{"from", kString},  {"chown", kString},
                                           {"chmod", kString}, {"link", kBool},
                                           {"parents", kBool}, {"exclude", kStrings}};
  static const std::vector<FlagSpec> kAdd{
      {"chown", kString},    {"chmod", kString},    {"link", kBool},   {"keep-git-dir", kBool},
      {"checksum", kString}, {"exclude", kStrings}, {"unpack", kBool}, {"parents", kBool}};
  static const std::vector<FlagSpec> kHealthcheck{{"interval", kString},
                                                  {"timeout", kString},
                                                  {"start-period", kString},
                                                  {"start-interval", kString},
                                                  {"retries", kString}};
  switch (kind) {
    case InstructionKind::kFrom:
      return kFrom;
    case InstructionKind::kRun:
      return kRun;
    case InstructionKind::kCopy:
      return kCopy;
    case InstructionKind::kAdd:
      return kAdd;
    case InstructionKind::kHealthcheck:
      return kHealthcheck;
    default:
      return kNone;
  }
}

const FlagValue* ParsedFlags::Find(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

ParsedFlags ParseFlags(const Instruction& ins, std::vector<Diagnostic>& diagnostics) {
  ParsedFlags out;
  const std::vector<FlagSpec>& specs = FlagSpecsFor(ins.kind);
  auto error = [&](const Flag& f, std::string code, std::string message) {
    diagnostics.push_back(
        Diagnostic{std::move(code), std::move(message), f.range, Severity::kError});
  };
  for (const Flag& f : ins.flags) {
    std::string_view name = f.Name();
    auto value = f.Value();
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (!spec) {
      std::vector<std::string_view> names;
      for (const FlagSpec& s : specs) names.push_back(s.name);
      std::string hint = Suggest(name, names);
      std::string message =
          "unknown flag --" + std::string(name) + " on " + std::string(KeywordOf(ins.kind));
      if (!hint.empty()) message += " (did you mean --" + hint + "?)";
      error(f, "unknown-flag", message);
      continue;
    }
    auto [it, inserted] = out.values.try_emplace(std::string(name));
    if (!inserted && spec->type != FlagType::kStrings) {
      error(f, "duplicate-flag", "duplicate flag specified: --" + std::string(name));
      continue;
    }
    FlagValue& v = it->second;
    switch (spec->type) {
      case FlagType::kBool: {
        std::string lower = value ? text::AsciiLower(*value) : "";
        if (value && value->empty()) {
          error(f, "missing-flag-value", "missing a value on flag --" + std::string(name));
          if (inserted) out.values.erase(it);
          continue;
        }
        if (lower != "" && lower != "true" && lower != "false") {
          error(f, "bad-flag-value",
                "expecting boolean value for flag --" + std::string(name) +
                    ", not: " + std::string(*value));
          if (inserted) out.values.erase(it);
          continue;
        }
        v.bool_value = lower != "false";
        break;
      }
      case FlagType::kString:
      case FlagType::kStrings:
        if (!value) {
          error(f, "missing-flag-value", "missing a value on flag --" + std::string(name));
          if (inserted) out.values.erase(it);
          continue;
        }
        break;
    }
    v.flag = &f;
    v.all.push_back(&f);
  }
  return out;
}

}  // namespace dockit

#include "sim/docker_flags.hpp"

namespace dockit::sim {
namespace {

Diagnostic FlagError(std::string message, std::string_view command) {
  return Diagnostic{
      "bad-flag", message + "\nSee '" + std::string(command) + " --help'.", {}, Severity::kError};
}

}  // namespace

std::string ParsedFlags::Value(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

std::vector<std::string> ParsedFlags::Values(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, std::span<const FlagSpec> spec,
                               bool stop_at_operand, std::string_view command) {
  ParsedFlags out;
  auto by_name = [&](std::string_view name) -> const FlagSpec* {
    for (const FlagSpec& f : spec) {
      if (f.name == name) return &f;
    }
    return nullptr;
  };
  auto by_short = [&](char c) -> const FlagSpec* {
    for (const FlagSpec& f : spec) {
      if (f.shorthand == c) return &f;
    }
    return nullptr;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.operands_.insert(out.operands_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           args.end());
      break;
    }
    if (a.size() > 2 && a.starts_with("--")) {
      std::string_view body = std::string_view(a).substr(2);
      size_t eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      const FlagSpec* f = by_name(name);
      if (!f) return FlagError("unknown flag: --" + std::string(name), command);
      std::string key(f->name);
      if (eq != std::string_view::npos) {
        std::string value(body.substr(eq + 1));
        if (!f->takes_value && value != "true" && value != "false") {
          return FlagError("invalid argument \"" + value + "\" for \"--" + key +
                               "\" flag: strconv.ParseBool: parsing \"" + value +
                               "\": invalid syntax",
                           command);
        }
        out.values_[key].push_back(value);
      } else if (f->takes_value) {
        if (i + 1 >= args.size()) return FlagError("flag needs an argument: --" + key, command);
        out.values_[key].push_back(args[++i]);
      } else {
        out.values_[key].push_back("true");
      }
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {
      // Shorthands: -itd, -p80:80, -p 80:80.
      for (size_t k = 1; k < a.size(); ++k) {
        const FlagSpec* f = by_short(a[k]);
        if (!f) {
          return FlagError("unknown shorthand flag: '" + std::string(1, a[k]) + "' in " + a,
                           command);
        }
        std::string key(f->name);
        if (!f->takes_value) {
          out.values_[key].push_back("true");
          continue;
        }
        if (k + 1 < a.size()) {
          std::string value = a.substr(k + 1);
          if (value.starts_with('=')) value.erase(0, 1);
          out.values_[key].push_back(value);
        } else if (i + 1 < args.size()) {
          out.values_[key].push_back(args[++i]);
        } else {
          return FlagError(
              "flag needs an argument: '" + std::string(1, a[k]) + "' in -" + std::string(1, a[k]),
              command);
        }
        break;
      }
      continue;
    }
    out.operands_.push_back(a);
    if (stop_at_operand) {
      out.operands_.insert(out.operands_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           args.end());
      break;
    }
  }
  // A bool flag given as --flag=false is absent.
  for (auto it = out.values_.begin(); it != out.values_.end();) {
    const FlagSpec* f = by_name(it->first);
    if (f && !f->takes_value && !it->second.empty() && it->second.back() == "false") {
      it = out.values_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace dockit::sim

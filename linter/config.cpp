#include "linter/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "parser/text.hpp"

namespace dockit::lint {
namespace {

// YAML 1.1's and the environment's spellings of a boolean.
std::optional<bool> ParseBool(std::string_view v) {
  for (std::string_view t : {"true", "True", "TRUE", "yes", "on", "1"}) {
    if (v == t) return true;
  }
  for (std::string_view f : {"false", "False", "FALSE", "no", "off", "0"}) {
    if (v == f) return false;
  }
  return std::nullopt;
}

namespace fs = std::filesystem;

bool AddRuleIds(const YAML::Node& list, std::vector<std::string>* out, const std::string& where,
                std::string* error) {
  if (!list) return true;
  if (!list.IsSequence()) {
    *error = where + ": expected a list of rule ids";
    return false;
  }
  for (const YAML::Node& item : list) {
    std::string id = item.as<std::string>();
    std::string canonical = CanonicalRuleId(id);
    if (canonical.empty()) {
      *error = where + ": unknown rule \"" + id + "\"";
      return false;
    }
    out->push_back(std::move(canonical));
  }
  return true;
}

}  // namespace

std::optional<Severity> ParseSeverityName(std::string_view name) {
  for (Severity s : {Severity::kError, Severity::kWarning, Severity::kInfo, Severity::kStyle}) {
    if (name == SeverityName(s)) return s;
  }
  return std::nullopt;
}

bool MergeConfigFile(const std::string& path, bool hadolint_format, Config* config,
                     std::string* error) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    *error = path + ":" + std::to_string(e.mark.line + 1) + ":" +
             std::to_string(e.mark.column + 1) + ": " + e.msg;
    return false;
  }
  if (!root || root.IsNull()) return true;
  if (!root.IsMap()) {
    *error = path + ": expected a mapping at the top level";
    return false;
  }
  try {
    if (!AddRuleIds(root["ignored"], &config->ignored, path + ": ignored", error)) return false;
    if (!AddRuleIds(root["enable"], &config->enabled, path + ": enable", error)) return false;
    if (const YAML::Node over = root["override"]) {
      for (const auto& entry : over) {
        std::string level = entry.first.as<std::string>();
        auto severity = ParseSeverityName(level);
        if (!severity) {
          *error = path + ": override: unknown severity \"" + level + "\"";
          return false;
        }
        std::vector<std::string> slugs;
        if (!AddRuleIds(entry.second, &slugs, path + ": override." + level, error)) return false;
        for (const std::string& slug : slugs) config->severity[slug] = *severity;
      }
    }
    if (const YAML::Node t = root["failure-threshold"]) {
      auto severity = ParseSeverityName(t.as<std::string>());
      if (!severity) {
        *error = path + ": failure-threshold: unknown severity \"" + t.as<std::string>() + "\"";
        return false;
      }
      config->failure_threshold = severity;
    }
    for (auto [key, field] : {std::pair{"disable-ignore-pragma", &config->disable_ignore_pragma},
                              std::pair{"require-reason", &config->require_reason}}) {
      if (const YAML::Node flag = root[key]) {
        std::optional<bool> value = ParseBool(flag.as<std::string>());
        if (!value) {
          *error = path + ": " + key + ": expected true or false";
          return false;
        }
        *field = value;
      }
    }
    if (const YAML::Node sc = root["shellcheck"]) {
      auto on = sc.IsScalar() ? ParseBool(sc.as<std::string>()) : std::nullopt;
      if (!on) {
        *error = path + ": shellcheck: expected true or false";
        return false;
      }
      config->shellcheck = on;
    }
    const char* registries_key = hadolint_format ? "trustedRegistries" : "trusted-registries";
    if (const YAML::Node r = root[registries_key]) {
      for (const YAML::Node& item : r) config->trusted_registries.push_back(item.as<std::string>());
    }
    // hadolint's keys, the same in both files.
    if (const YAML::Node schema = root["label-schema"]) {
      if (!schema.IsMap() && !schema.IsNull()) {
        *error = path + ": label-schema: expected a mapping of label names to types (" +
                 std::string(LabelTypeNames()) + ")";
        return false;
      }
      for (const auto& entry : schema) {
        std::string label = entry.first.as<std::string>();
        // `label:` with no type is text, as an empty type is in hadolint.
        std::string name = entry.second.IsNull() ? "" : entry.second.as<std::string>();
        auto type = ParseLabelType(name);
        if (label.empty() || !type) {
          *error = path + ":" + std::to_string(entry.second.Mark().line + 1) + ": label-schema: " +
                   (label.empty() ? std::string("empty label name")
                                  : "unknown type \"" + name + "\" for label \"" + label +
                                        "\" (known: " + std::string(LabelTypeNames()) + ")");
          return false;
        }
        config->label_schema[label] = *type;
      }
    }
    if (const YAML::Node strict = root["strict-labels"]) {
      bool value = false;
      if (!YAML::convert<bool>::decode(strict, value)) {
        *error = path + ":" + std::to_string(strict.Mark().line + 1) +
                 ": strict-labels: expected true or false";
        return false;
      }
      config->strict_labels = value;
    }
  } catch (const YAML::Exception& e) {
    *error = path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
    return false;
  }
  config->sources.push_back(path);
  return true;
}

bool LoadConfigFor(const std::string& dir, Config* config, std::string* error) {
  std::error_code ec;
  fs::path here = fs::absolute(dir.empty() ? "." : dir, ec);
  std::vector<fs::path> chain;  // nearest first
  for (fs::path p = here;; p = p.parent_path()) {
    chain.push_back(p);
    if (fs::exists(p / ".git", ec) || p == p.parent_path()) break;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    fs::path ours = *it / ".dlint.yaml";
    fs::path theirs = *it / ".hadolint.yaml";
    if (fs::exists(ours, ec)) {
      if (!MergeConfigFile(ours.string(), false, config, error)) return false;
    } else if (fs::exists(theirs, ec)) {
      if (!MergeConfigFile(theirs.string(), true, config, error)) return false;
    }
  }
  return true;
}

bool ParseRequiredLabel(std::string_view spec, std::string* label, LabelType* type,
                        std::string* error) {
  size_t colon = spec.find(':');
  *label = std::string(spec.substr(0, colon));
  std::string_view name = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  auto parsed = ParseLabelType(name);
  if (label->empty()) {
    *error = "empty label name in \"" + std::string(spec) + "\" (expected LABEL:TYPE)";
    return false;
  }
  if (!parsed) {
    *error = "unknown label type \"" + std::string(name) + "\" in \"" + std::string(spec) +
             "\" (known: " + std::string(LabelTypeNames()) + ")";
    return false;
  }
  *type = *parsed;
  return true;
}

bool MergeEnvironment(Config* config, std::string* error) {
  if (const char* ignore = std::getenv("DLINT_IGNORE")) {
    std::string_view list = ignore;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string id(list.substr(0, comma));
      if (!id.empty()) {
        std::string canonical = CanonicalRuleId(id);
        if (canonical.empty()) {
          *error = "DLINT_IGNORE: unknown rule \"" + id + "\"";
          return false;
        }
        config->ignored.push_back(std::move(canonical));
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  for (auto [name, field] :
       {std::pair{"DLINT_DISABLE_IGNORE_PRAGMA", &config->disable_ignore_pragma},
        std::pair{"DLINT_REQUIRE_REASON", &config->require_reason}}) {
    if (const char* v = std::getenv(name)) {
      std::optional<bool> value = ParseBool(v);
      if (!value) {
        *error = std::string(name) + ": expected true or false, not \"" + v + "\"";
        return false;
      }
      *field = value;
    }
  }
  if (const char* t = std::getenv("DLINT_FAILURE_THRESHOLD")) {
    auto severity = ParseSeverityName(t);
    if (!severity) {
      *error = std::string("DLINT_FAILURE_THRESHOLD: unknown severity \"") + t + "\"";
      return false;
    }
    config->failure_threshold = severity;
  }
  if (const char* sc = std::getenv("DLINT_SHELLCHECK")) {
    auto on = ParseBool(sc);
    if (!on) {
      *error = std::string("DLINT_SHELLCHECK: expected true or false, not \"") + sc + "\"";
      return false;
    }
    config->shellcheck = on;
  }
  if (const char* labels = std::getenv("DLINT_REQUIRE_LABELS")) {
    std::string_view list = labels;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view spec = list.substr(0, comma);
      if (!spec.empty()) {
        std::string label;
        LabelType type;
        if (!ParseRequiredLabel(spec, &label, &type, error)) {
          *error = "DLINT_REQUIRE_LABELS: " + *error;
          return false;
        }
        config->label_schema[label] = type;
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (const char* strict = std::getenv("DLINT_STRICT_LABELS")) {
    std::string value = text::AsciiLower(strict);
    if (value != "true" && value != "false" && value != "1" && value != "0") {
      *error = std::string("DLINT_STRICT_LABELS: expected true or false, not \"") + strict + "\"";
      return false;
    }
    config->strict_labels = value == "true" || value == "1";
  }
  return true;
}

void ApplyConfig(const Config& config, LintOptions* options) {
  for (const std::string& s : config.ignored) options->ignored.insert(s);
  for (const std::string& s : config.enabled) options->enabled.insert(s);
  for (const auto& [slug, severity] : config.severity) options->severity[slug] = severity;
  for (const std::string& r : config.trusted_registries) {
    options->settings.trusted_registries.push_back(r);
  }
  if (config.disable_ignore_pragma) options->disable_ignore_pragma = *config.disable_ignore_pragma;
  if (config.require_reason) options->require_reason = *config.require_reason;
  if (config.shellcheck == false) options->shellcheck.enabled = false;
  for (const auto& [label, type] : config.label_schema) {
    options->settings.label_schema.emplace(label, type);  // the command line's type wins
  }
  if (config.strict_labels.value_or(false)) options->settings.strict_labels = true;
}

}  // namespace dockit::lint

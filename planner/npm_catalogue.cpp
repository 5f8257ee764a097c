#include "planner/npm_catalogue.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace dockit::plan {
namespace {

struct Catalogue {
  std::map<std::string, uint64_t, std::less<>> bytes;  // name@version -> unpacked bytes
  std::map<std::string, std::pair<std::string, std::vector<std::string>>, std::less<>>
      closures;  // name -> (its version, the closure's name@version)
};

// "express@5.3.0" -> {"express", "5.3.0"}; "@types/node@1.0" -> {"@types/node", "1.0"}.
std::pair<std::string, std::string> Split(std::string_view key) {
  size_t at = key.rfind('@');
  if (at == 0 || at == std::string_view::npos) return {std::string(key), ""};
  return {std::string(key.substr(0, at)), std::string(key.substr(at + 1))};
}

const Catalogue& Data() {
  static const Catalogue catalogue = [] {
    Catalogue c;
    std::istringstream sizes(kNpmSizes);
    for (std::string key; sizes >> key;) {
      uint64_t n = 0;
      sizes >> n;
      c.bytes[key] = n;
    }
    std::istringstream closures(kNpmClosures);
    for (std::string line; std::getline(closures, line);) {
      std::istringstream in(line);
      std::string name, range;
      if (!(in >> name >> range) || range.empty() || range.back() != ':') continue;
      std::vector<std::string> closure;
      for (std::string w; in >> w;) closure.push_back(w);
      std::string version;
      for (const std::string& key : closure) {
        if (Split(key).first == name) version = Split(key).second;
      }
      c.closures[name] = {version, closure};
    }
    return c;
  }();
  return catalogue;
}

std::optional<PackageSet> FromKeys(const std::set<std::string>& keys) {
  const Catalogue& c = Data();
  PackageSet out;
  for (const std::string& key : keys) {
    auto it = c.bytes.find(key);
    if (it == c.bytes.end()) return std::nullopt;
    auto [name, version] = Split(key);
    out.packages.push_back({name, version, it->second, 0});
  }
  return out;
}

}  // namespace

std::optional<PackageSet> NpmInstall(const std::vector<std::string>& packages) {
  const Catalogue& c = Data();
  std::set<std::string> keys;
  for (const std::string& spec : packages) {
    auto [name, version] = Split(spec);
    auto it = c.closures.find(name);
    if (it == c.closures.end()) return std::nullopt;
    if (!version.empty() && version != "latest" && version != it->second.first) {
      return std::nullopt;
    }
    keys.insert(it->second.second.begin(), it->second.second.end());
  }
  return FromKeys(keys);
}

std::optional<PackageSet> NpmLockInstall(std::string_view package_lock, bool omit_dev) {
  nlohmann::json lock = nlohmann::json::parse(package_lock, nullptr, /*allow_exceptions=*/false);
  if (!lock.is_object() || !lock.contains("lockfileVersion") ||
      !lock["lockfileVersion"].is_number_integer() || lock["lockfileVersion"].get<int>() < 2 ||
      !lock.contains("packages") || !lock["packages"].is_object()) {
    return std::nullopt;
  }
  // An optional package of another platform: its "os"/"cpu" list names others, or negates ours.
  auto excludes = [](const nlohmann::json& entry, const char* field, const std::string& ours) {
    if (!entry.contains(field) || !entry[field].is_array()) return false;
    bool listed = false, positive = false;
    for (const auto& v : entry[field]) {
      if (!v.is_string()) continue;
      std::string s = v.get<std::string>();
      if (s == "!" + ours) return true;
      if (!s.starts_with('!')) positive = true;
      if (s == ours) listed = true;
    }
    return positive && !listed;
  };
  std::set<std::string> keys;
  for (const auto& [path, entry] : lock["packages"].items()) {
    size_t at = path.rfind("node_modules/");
    if (at == std::string::npos || !entry.is_object()) continue;
    if (entry.value("link", false)) continue;
    if (omit_dev && entry.value("dev", false)) continue;
    if (excludes(entry, "os", "linux") || excludes(entry, "cpu", "x64")) continue;
    if (!entry.contains("version") || !entry["version"].is_string()) return std::nullopt;
    std::string name = entry.value("name", path.substr(at + 13));
    keys.insert(name + "@" + entry["version"].get<std::string>());
  }
  return FromKeys(keys);
}

std::optional<PackageSet> YarnLockInstall(std::string_view yarn_lock) {
  std::set<std::string> keys;
  std::string name;  // the entry being read, until its version line
  bool any = false;
  std::istringstream in{std::string(yarn_lock)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != ' ') {
      if (!name.empty() || line.back() != ':') return std::nullopt;  // no version, or not v1
      std::string spec = line.substr(0, line.find(", "));
      if (spec.back() == ':') spec.pop_back();
      if (!spec.empty() && spec.front() == '"') spec = spec.substr(1, spec.find('"', 1) - 1);
      size_t at = spec.find('@', 1);
      if (spec.empty() || at == std::string::npos || spec.starts_with("__metadata")) {
        return std::nullopt;
      }
      name = spec.substr(0, at);
      any = true;
    } else if (!name.empty() && line.starts_with("  version ")) {
      std::string version = line.substr(10);
      if (version.size() >= 2 && version.front() == '"' && version.back() == '"') {
        version = version.substr(1, version.size() - 2);
      }
      keys.insert(name + "@" + version);
      name.clear();
    }
  }
  if (!name.empty() || !any) return std::nullopt;
  return FromKeys(keys);
}

}  // namespace dockit::plan

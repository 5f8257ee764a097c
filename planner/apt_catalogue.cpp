#include "planner/apt_catalogue.hpp"

#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace dockit::plan {
namespace {

struct Catalogue {
  std::map<std::string, uint64_t, std::less<>> kib;
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>, std::less<>>
      closures;  // package -> (dependencies, recommends)
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

const Catalogue& Data() {
  static const Catalogue catalogue = [] {
    Catalogue c;
    std::istringstream sizes(kAptSizes);
    for (std::string name; sizes >> name;) {
      uint64_t kib = 0;
      sizes >> kib;
      c.kib[name] = kib;
    }
    std::istringstream closures(kAptClosures);
    for (std::string line; std::getline(closures, line);) {
      size_t colon = line.find(':');
      size_t bar = line.find('|');
      if (colon == std::string::npos || bar == std::string::npos) continue;
      c.closures[line.substr(0, colon)] = {
          Words(std::string_view(line).substr(colon + 1, bar - colon - 1)),
          Words(std::string_view(line).substr(bar + 1))};
    }
    return c;
  }();
  return catalogue;
}

}  // namespace

std::optional<PackageSet> AptInstall(const std::vector<std::string>& packages,
                                     bool with_recommends) {
  const Catalogue& c = Data();
  std::set<std::string> all;
  for (const std::string& spec : packages) {
    std::string name = spec.substr(0, spec.find('='));
    auto it = c.closures.find(name);
    if (it == c.closures.end()) return std::nullopt;
    all.insert(it->second.first.begin(), it->second.first.end());
    if (with_recommends) all.insert(it->second.second.begin(), it->second.second.end());
  }
  PackageSet out;
  for (const std::string& name : all) {
    auto size = c.kib.find(name);
    out.packages.push_back({name, "", size != c.kib.end() ? size->second * 1024 : 0, 0});
  }
  return out;
}

std::optional<AptEstimate> AptInstallSize(const std::vector<std::string>& packages,
                                          bool with_recommends) {
  auto set = AptInstall(packages, with_recommends);
  if (!set) return std::nullopt;
  return AptEstimate{set->Bytes(), set->packages.size()};
}

bool IsDebianBookworm(std::string_view image) {
  for (std::string_view prefix : {"docker.io/library/", "library/"}) {
    if (image.starts_with(prefix)) image.remove_prefix(prefix.size());
  }
  image = image.substr(0, image.find('@'));
  for (std::string_view tag : {"debian:12", "debian:bookworm"}) {
    if (image == tag) return true;
    if (image.starts_with(tag)) {
      std::string_view rest = image.substr(tag.size());
      // debian:12-slim, debian:12.8, debian:12.8-slim, debian:bookworm-20241111-slim
      if (rest.starts_with('-') || rest.starts_with('.')) return true;
    }
  }
  return false;
}

}  // namespace dockit::plan

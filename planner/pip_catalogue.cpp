#include "planner/pip_catalogue.hpp"

#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace dockit::plan {
namespace {

struct Catalogue {
  std::map<std::string, PackageBytes, std::less<>> packages;  // Debian package -> its figures
  std::map<std::string, std::pair<std::string, std::vector<std::string>>, std::less<>>
      closures;  // project -> (Debian package, closure)
};

const Catalogue& Data() {
  static const Catalogue catalogue = [] {
    Catalogue c;
    std::istringstream sizes(kPipSizes);
    for (std::string line; std::getline(sizes, line);) {
      std::istringstream in(line);
      PackageBytes p;
      uint64_t kib = 0;
      if (in >> p.name >> p.version >> kib >> p.download) {
        p.bytes = kib * 1024;
        c.packages[p.name] = p;
      }
    }
    std::istringstream closures(kPipClosures);
    for (std::string line; std::getline(closures, line);) {
      std::istringstream in(line);
      std::string project, debian;
      if (!(in >> project >> debian) || debian.empty() || debian.back() != ':') continue;
      debian.pop_back();
      std::vector<std::string> closure;
      for (std::string w; in >> w;) closure.push_back(w);
      c.closures[project] = {debian, closure};
    }
    return c;
  }();
  return catalogue;
}

// The project name of a requirement, or "" when it is not a plain `NAME[op version]`.
std::string ProjectOf(std::string_view req) {
  while (!req.empty() && std::isspace(static_cast<unsigned char>(req.back()))) req.remove_suffix(1);
  size_t i = 0;
  while (i < req.size() && (std::isalnum(static_cast<unsigned char>(req[i])) || req[i] == '-' ||
                            req[i] == '_' || req[i] == '.')) {
    ++i;
  }
  if (i == 0) return "";
  std::string_view rest = req.substr(i);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty()) {
    // A version specifier list: ==, >=, <=, ~=, !=, <, > with versions; no extras, markers,
    // URLs.
    if (rest.find_first_of("[;@ ") != std::string_view::npos) return "";
    if (rest.find_first_not_of("=<>!~0123456789.*,abcrdevpostAB") != std::string_view::npos) {
      return "";
    }
    if (rest.front() != '=' && rest.front() != '<' && rest.front() != '>' && rest.front() != '!' &&
        rest.front() != '~') {
      return "";
    }
  }
  return NormalizeProject(req.substr(0, i));
}

}  // namespace

std::string NormalizeProject(std::string_view name) {
  std::string out;
  for (char ch : name) {
    bool sep = ch == '-' || ch == '_' || ch == '.';
    if (sep) {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

std::string PipDebianPackage(std::string_view project) {
  const Catalogue& c = Data();
  auto it = c.closures.find(NormalizeProject(project));
  return it == c.closures.end() ? "" : it->second.first;
}

std::optional<PackageSet> PipInstall(const std::vector<std::string>& requirements) {
  const Catalogue& c = Data();
  std::set<std::string> all;
  for (const std::string& req : requirements) {
    std::string project = ProjectOf(req);
    auto it = c.closures.find(project);
    if (project.empty() || it == c.closures.end()) return std::nullopt;
    all.insert(it->second.second.begin(), it->second.second.end());
  }
  PackageSet out;
  for (const std::string& name : all) {
    auto it = c.packages.find(name);
    if (it == c.packages.end()) return std::nullopt;  // the generator writes every one
    out.packages.push_back(it->second);
  }
  return out;
}

std::optional<std::vector<std::string>> ParseRequirementsFile(std::string_view text) {
  std::vector<std::string> out;
  std::string logical;
  std::istringstream in{std::string(text)};
  auto flush = [&]() -> bool {
    std::string line = logical;
    logical.clear();
    // A comment starts at `#` at the start or after whitespace.
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) {
        line.resize(i);
        break;
      }
    }
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) return true;
    size_t e = line.find_last_not_of(" \t\r");
    line = line.substr(b, e - b + 1);
    if (line.front() == '-' || ProjectOf(line).empty()) return false;
    out.push_back(line);
    return true;
  };
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      logical += line.substr(0, line.size() - 1);
      continue;
    }
    logical += line;
    if (!flush()) return std::nullopt;
  }
  if (!flush()) return std::nullopt;
  return out;
}

}  // namespace dockit::plan

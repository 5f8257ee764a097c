#include "cli/dlint/discover.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "parser/gitignore.hpp"

namespace dockit::dlint {

namespace fs = std::filesystem;

namespace {

// The .gitignore files that apply in a walk: those of every folder from the repository root
// (the nearest folder with .git above the walk, else the walk's root) down to the entry's
// folder, deeper files overriding shallower ones as in git.
class GitIgnoreTree {
 public:
  explicit GitIgnoreTree(const fs::path& walk_root) {
    std::error_code ec;
    fs::path start = fs::absolute(walk_root, ec).lexically_normal();
    root_ = start;
    for (fs::path p = start;; p = p.parent_path()) {
      if (fs::exists(p / ".git", ec)) {
        root_ = p;
        break;
      }
      if (p == p.parent_path()) break;
    }
  }

  // Ignored by the last matching pattern, or inside an ignored folder (git cannot re-include a
  // file whose folder is excluded).
  bool Ignored(const fs::path& entry, bool is_directory) {
    std::error_code ec;
    fs::path path = fs::absolute(entry, ec).lexically_normal();
    fs::path relative = path.lexically_relative(root_);
    if (relative.empty() || *relative.begin() == "..") return false;
    std::vector<fs::path> parts(relative.begin(), relative.end());
    bool ignored = false;
    for (size_t k = 1; k <= parts.size(); ++k) {
      bool as_directory = k < parts.size() || is_directory;
      ignored = false;
      fs::path dir = root_;
      for (size_t level = 0; level < k; ++level) {
        fs::path rest;
        for (size_t i = level; i < k; ++i) rest /= parts[i];
        if (const GitIgnore& rules = RulesOf(dir); !rules.Empty()) {
          if (auto verdict = rules.Match(rest.generic_string(), as_directory)) ignored = *verdict;
        }
        dir /= parts[level];
      }
      if (ignored) return true;
    }
    return ignored;
  }

 private:
  const GitIgnore& RulesOf(const fs::path& dir) {
    auto [it, inserted] = cache_.try_emplace(dir);
    if (inserted) {
      std::ifstream in(dir / ".gitignore", std::ios::binary);
      if (in) {
        std::ostringstream text;
        text << in.rdbuf();
        it->second = GitIgnore::Parse(text.str());
      }
    }
    return it->second;
  }

  fs::path root_;
  std::map<fs::path, GitIgnore> cache_;
};

}  // namespace

bool LooksLikeDockerfile(const std::string& name) {
  auto ends_with = [&](std::string_view suffix) { return name.ends_with(suffix); };
  // Files about a Dockerfile rather than Dockerfiles themselves.
  if (ends_with(".dockerignore") || ends_with(".md") || ends_with(".txt")) return false;
  return name.starts_with("Dockerfile.") || name.starts_with("Containerfile.") ||
         ends_with("Dockerfile") || ends_with("Containerfile") || ends_with(".dockerfile");
}

bool LooksLikeComposeFile(const std::string& name) {
  for (std::string_view stem : {"compose", "docker-compose"}) {
    if (!name.starts_with(stem)) continue;
    std::string_view rest = std::string_view(name).substr(stem.size());
    // compose.yaml, or an override such as compose.override.yaml or docker-compose.prod.yml.
    if (rest == ".yaml" || rest == ".yml") return true;
    if (rest.starts_with(".") && rest.size() > 1 &&
        (rest.ends_with(".yaml") || rest.ends_with(".yml"))) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> DiscoverFiles(const std::vector<std::string>& paths,
                                       std::vector<std::string>* errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    GitIgnoreTree gitignore(path);
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      errors->push_back("cannot read " + path + ": " + ec.message());
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      if (it->is_directory(ec)) {
        if (name == ".git" || name == "node_modules" || name == "vendor" ||
            gitignore.Ignored(it->path(), true)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (it->is_regular_file(ec) && (LooksLikeDockerfile(name) || LooksLikeComposeFile(name)) &&
          !gitignore.Ignored(it->path(), false)) {
        found.push_back(it->path().string());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace dockit::dlint

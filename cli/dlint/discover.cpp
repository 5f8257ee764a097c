#include "cli/dlint/discover.hpp"

#include <algorithm>
#include <filesystem>

namespace dockit::dlint {

namespace fs = std::filesystem;

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
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      errors->push_back("cannot read " + path + ": " + ec.message());
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      if (it->is_directory(ec)) {
        if (name == ".git" || name == "node_modules" || name == "vendor")
          it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && (LooksLikeDockerfile(name) || LooksLikeComposeFile(name)))
        found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace dockit::dlint

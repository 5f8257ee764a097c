#include "sim/path.hpp"

namespace dockit::sim {

Diagnostic FsError(std::string_view code, std::string message) {
  Diagnostic d;
  d.code = std::string(code);
  d.message = std::move(message);
  return d;
}

Result<std::string> CleanPath(std::string_view path) {
  if (path.empty()) return FsError("EINVAL", "empty path");
  if (path.find('\0') != std::string_view::npos) {
    return FsError("EINVAL", "path contains a NUL byte");
  }
  if (path.front() != '/') {
    return FsError("EINVAL", "path " + std::string(path) + " is not absolute");
  }
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view name = path.substr(i, j - i);
    if (name == "..") {
      if (!parts.empty()) parts.pop_back();  // at the root, `..` is the root
    } else if (!name.empty() && name != ".") {
      parts.push_back(name);
    }
    i = j + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    out += '/';
    out += p;
  }
  return out.empty() ? std::string("/") : out;
}

std::vector<std::string> Components(std::string_view clean_path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i < clean_path.size()) {
    size_t j = clean_path.find('/', i);
    if (j == std::string_view::npos) j = clean_path.size();
    out.emplace_back(clean_path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string ParentOf(std::string_view clean_path) {
  size_t slash = clean_path.rfind('/');
  if (slash == 0 || slash == std::string_view::npos) return "/";
  return std::string(clean_path.substr(0, slash));
}

std::string BaseOf(std::string_view clean_path) {
  size_t slash = clean_path.rfind('/');
  return std::string(clean_path.substr(slash + 1));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

bool IsAtOrBelow(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  if (path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

}  // namespace dockit::sim

#include "runtime/image_ref.hpp"

#include <algorithm>
#include <vector>

#include "runtime/image_files.hpp"

namespace dockit::runtime {
namespace {

Diagnostic Invalid(const std::string& reference, const std::string& why) {
  return StoreError("invalid-reference", "invalid reference format \"" + reference + "\": " + why);
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A path component: [a-z0-9]+ separated by ".", "_", "__" or runs of "-".
bool ValidComponent(const std::string& c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  for (char ch : c) {
    if (!IsLowerAlnum(ch) && ch != '.' && ch != '_' && ch != '-') return false;
  }
  return true;
}

// A registry host: has a "." or a ":" or is "localhost" (docker's rule for the first part).
bool LooksLikeRegistry(const std::string& part) {
  return part.find('.') != std::string::npos || part.find(':') != std::string::npos ||
         part == "localhost" ||
         std::any_of(part.begin(), part.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool ValidTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 128) return false;
  auto word = [](char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!word(tag.front())) return false;
  for (char c : tag) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

}  // namespace

Result<std::string> NormalizeReference(const std::string& reference) {
  if (reference.empty()) return Invalid(reference, "empty");
  if (reference.find('@') != std::string::npos) {
    return Invalid(reference, "a digest reference cannot be a tag");
  }
  std::string name = reference;
  std::string tag = "latest";
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    name = reference.substr(0, colon);
    tag = reference.substr(colon + 1);
    if (!ValidTag(tag)) return Invalid(reference, "bad tag \"" + tag + "\"");
  }
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t end = name.find('/', start);
    parts.push_back(name.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string registry;
  if (parts.size() > 1 && LooksLikeRegistry(parts.front())) {
    registry = parts.front();
    parts.erase(parts.begin());
  }
  for (const std::string& p : parts) {
    for (char c : p) {
      if (c >= 'A' && c <= 'Z') return Invalid(reference, "repository name must be lowercase");
    }
    if (!ValidComponent(p)) return Invalid(reference, "bad name component \"" + p + "\"");
  }
  // Docker Hub's names are shown in their familiar form.
  if (registry == "docker.io" || registry == "index.docker.io" ||
      registry == "registry-1.docker.io") {
    registry.clear();
    if (parts.size() == 2 && parts.front() == "library") parts.erase(parts.begin());
  }
  std::string out = registry;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out + ":" + tag;
}

std::string FullReference(const std::string& normalized) {
  size_t slash = normalized.find('/');
  if (slash == std::string::npos) return "docker.io/library/" + normalized;
  if (!LooksLikeRegistry(normalized.substr(0, slash))) return "docker.io/" + normalized;
  return normalized;
}

std::pair<std::string, std::string> SplitTag(const std::string& normalized) {
  size_t colon = normalized.rfind(':');
  size_t slash = normalized.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) {
    return {normalized, "latest"};
  }
  return {normalized.substr(0, colon), normalized.substr(colon + 1)};
}

}  // namespace dockit::runtime

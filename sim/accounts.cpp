#include "sim/accounts.hpp"

#include <charconv>
#include <vector>

namespace dockit::sim {
namespace {

std::optional<uint32_t> Number(std::string_view s) {
  uint32_t value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (true) {
    size_t end = line.find(sep, at);
    out.push_back(line.substr(at, end == std::string_view::npos ? end : end - at));
    if (end == std::string_view::npos) return out;
    at = end + 1;
  }
}

// The fields of the line of a passwd-style file whose first field is `name`.
std::optional<std::vector<std::string_view>> Entry(std::string_view text, std::string_view name) {
  for (std::string_view line : Split(text, '\n')) {
    std::vector<std::string_view> fields = Split(line, ':');
    if (fields.size() >= 4 && fields[0] == name) return fields;
  }
  return std::nullopt;
}

Diagnostic NotFound(std::string_view what, std::string_view name, std::string_view file) {
  return Diagnostic{"unknown-user",
                    "unable to find " + std::string(what) + " " + std::string(name) +
                        ": no matching entries in " + std::string(file) + " file",
                    {},
                    Severity::kError};
}

}  // namespace

std::optional<std::string> ReadText(const Tree& view, const TextStore& texts,
                                    std::string_view path) {
  Result<Node> node = view.Stat(path);
  if (!node || node->kind != NodeKind::kFile) return std::nullopt;
  std::optional<std::string_view> text = texts.Get(node->digest);
  if (!text) return std::nullopt;
  return std::string(*text);
}

Result<Owner> ResolveOwner(const Tree& view, const TextStore& texts, std::string_view spec) {
  size_t colon = spec.find(':');
  std::string_view user = spec.substr(0, colon);
  std::optional<std::string_view> group;
  if (colon != std::string_view::npos) group = spec.substr(colon + 1);
  std::string passwd = ReadText(view, texts, "/etc/passwd").value_or("");
  Owner owner;
  if (auto uid = Number(user)) {
    owner.uid = *uid;
    // A numeric user keeps its passwd entry's group when it has one.
    for (std::string_view line : Split(passwd, '\n')) {
      std::vector<std::string_view> f = Split(line, ':');
      if (f.size() >= 4 && Number(f[2]) == *uid) owner.gid = Number(f[3]).value_or(0);
    }
  } else if (auto entry = Entry(passwd, user)) {
    owner.uid = Number((*entry)[2]).value_or(0);
    owner.gid = Number((*entry)[3]).value_or(0);
  } else {
    return NotFound("user", user, "passwd");
  }
  if (group && !group->empty()) {
    // Entry's fields point into the text: it must outlive them.
    std::string groups = ReadText(view, texts, "/etc/group").value_or("");
    if (auto gid = Number(*group)) {
      owner.gid = *gid;
    } else if (auto entry = Entry(groups, *group)) {
      owner.gid = Number((*entry)[2]).value_or(0);
    } else {
      return NotFound("group", *group, "group");
    }
  }
  return owner;
}

}  // namespace dockit::sim

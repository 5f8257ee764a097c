#include "planner/chown_spec.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace dockit::plan {
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

Result<FileOwner> ResolveChown(std::string_view spec, std::string_view passwd_text,
                               std::string_view group_text) {
  size_t colon = spec.find(':');
  std::string_view user = spec.substr(0, colon);
  std::optional<std::string_view> group;
  if (colon != std::string_view::npos) group = spec.substr(colon + 1);
  FileOwner owner;
  if (auto uid = Number(user)) {
    owner.uid = *uid;
    // A numeric user keeps its passwd entry's group when it has one.
    for (std::string_view line : Split(passwd_text, '\n')) {
      std::vector<std::string_view> f = Split(line, ':');
      if (f.size() >= 4 && Number(f[2]) == *uid) owner.gid = Number(f[3]).value_or(0);
    }
  } else if (auto entry = Entry(passwd_text, user)) {
    owner.uid = Number((*entry)[2]).value_or(0);
    owner.gid = Number((*entry)[3]).value_or(0);
  } else {
    return NotFound("user", user, "passwd");
  }
  if (group && !group->empty()) {
    if (auto gid = Number(*group)) {
      owner.gid = *gid;
    } else if (auto entry = Entry(group_text, *group)) {
      owner.gid = Number((*entry)[2]).value_or(0);
    } else {
      return NotFound("group", *group, "group");
    }
  }
  return owner;
}

}  // namespace dockit::plan

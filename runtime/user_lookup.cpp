#include "runtime/user_lookup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <optional>

namespace dockit::runtime {
namespace {

Diagnostic UserError(std::string message) {
  return Diagnostic{"bad-user", std::move(message), {}, Severity::kError};
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// runc accepts only plain non-negative decimal ids; anything else is a name.
std::optional<long long> Numeric(std::string_view text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct PasswdEntry {
  std::string_view name;
  long long uid = 0;
  long long gid = 0;
  std::string_view home;
};

struct GroupEntry {
  std::string_view name;
  long long gid = 0;
  std::vector<std::string_view> members;
};

// Malformed lines are skipped, as runc's parser does with lines it cannot read.
std::vector<PasswdEntry> ParsePasswd(std::string_view text) {
  std::vector<PasswdEntry> entries;
  for (std::string_view line : Split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    auto fields = Split(line, ':');
    if (fields.size() < 4) continue;
    auto uid = Numeric(fields[2]);
    auto gid = Numeric(fields[3]);
    if (!uid || !gid) continue;
    entries.push_back({fields[0], *uid, *gid, fields.size() > 5 ? fields[5] : ""});
  }
  return entries;
}

std::vector<GroupEntry> ParseGroup(std::string_view text) {
  std::vector<GroupEntry> entries;
  for (std::string_view line : Split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    auto fields = Split(line, ':');
    if (fields.size() < 3) continue;
    auto gid = Numeric(fields[2]);
    if (!gid) continue;
    GroupEntry entry{fields[0], *gid, {}};
    if (fields.size() > 3 && !fields[3].empty()) entry.members = Split(fields[3], ',');
    entries.push_back(std::move(entry));
  }
  return entries;
}

bool InRange(long long id) { return id >= 0 && id <= INT_MAX; }

bool IsWhiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool IsOpaque(const std::string& dir) {
  char value[2] = {};
  if (getxattr(dir.c_str(), "trusted.overlay.opaque", value, 1) == 1 && value[0] == 'y')
    return true;
  struct stat st;
  return lstat((dir + "/.wh..wh..opq").c_str(), &st) == 0;
}

std::string ReadRegular(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return "";
  std::string text;
  char buffer[8192];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  close(fd);
  return text;
}

}  // namespace

std::optional<std::string> FindThroughLayers(const std::vector<std::string>& lower_dirs,
                                             std::string_view relative) {
  std::vector<std::string_view> components;
  for (std::string_view part : Split(relative, '/'))
    if (!part.empty() && part != ".") components.push_back(part);
  if (components.empty()) return std::nullopt;
  for (auto layer = lower_dirs.rbegin(); layer != lower_dirs.rend(); ++layer) {
    std::string path = *layer;
    bool opaque_above = false;  // a directory of this layer on the way hides the layers below
    for (size_t i = 0; i < components.size(); ++i) {
      std::string parent = path;
      path += "/";
      path += components[i];
      struct stat st;
      if (lstat(path.c_str(), &st) != 0) {
        struct stat wh;
        std::string whiteout = parent + "/.wh." + std::string(components[i]);
        if (opaque_above || lstat(whiteout.c_str(), &wh) == 0) return std::nullopt;
        break;  // not in this layer: look below
      }
      if (IsWhiteout(st)) return std::nullopt;
      if (i + 1 == components.size()) return path;
      if (!S_ISDIR(st.st_mode)) return std::nullopt;  // a file or symlink hides the path below
      if (IsOpaque(path)) opaque_above = true;
    }
  }
  return std::nullopt;
}

std::string ReadThroughLayers(const std::vector<std::string>& lower_dirs,
                              std::string_view relative) {
  std::optional<std::string> path = FindThroughLayers(lower_dirs, relative);
  struct stat st;
  if (!path || lstat(path->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  return ReadRegular(*path);
}

Result<ExecUser> ResolveUser(std::string_view spec, std::string_view passwd,
                             std::string_view group) {
  size_t colon = spec.find(':');
  std::string_view user_arg = spec.substr(0, colon);
  std::string_view group_arg = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  std::optional<long long> uid_arg = Numeric(user_arg);
  std::optional<long long> gid_arg = Numeric(group_arg);

  ExecUser user;
  std::string_view matched_name;
  bool matched = false;
  for (const PasswdEntry& entry : ParsePasswd(passwd)) {
    // An empty user means the current one (root), as in runc.
    bool hit = user_arg.empty() ? entry.uid == 0
                                : entry.name == user_arg || (uid_arg && entry.uid == *uid_arg);
    if (!hit) continue;
    if (!InRange(entry.uid) || !InRange(entry.gid))
      return UserError("uids and gids must be in range 0-" + std::to_string(INT_MAX));
    user.uid = static_cast<unsigned>(entry.uid);
    user.gid = static_cast<unsigned>(entry.gid);
    user.home = std::string(entry.home);
    matched_name = entry.name;
    matched = true;
    break;
  }
  if (!matched && !user_arg.empty()) {
    if (!uid_arg)
      return UserError("unable to find user " + std::string(user_arg) +
                       ": no matching entries in passwd file");
    if (!InRange(*uid_arg))
      return UserError("uids and gids must be in range 0-" + std::to_string(INT_MAX));
    user.uid = static_cast<unsigned>(*uid_arg);
  }

  if (!group_arg.empty() || matched) {
    std::vector<GroupEntry> groups = ParseGroup(group);
    std::vector<const GroupEntry*> hits;
    for (const GroupEntry& entry : groups) {
      bool hit = false;
      if (group_arg.empty()) {
        for (std::string_view member : entry.members) hit = hit || member == matched_name;
      } else {
        hit = gid_arg ? entry.gid == *gid_arg : entry.name == group_arg;
      }
      if (hit) hits.push_back(&entry);
    }
    if (!group_arg.empty()) {
      long long gid = 0;
      if (!hits.empty()) {
        gid = hits.front()->gid;  // the first match wins, as in runc
      } else if (gid_arg) {
        gid = *gid_arg;
      } else {
        return UserError("unable to find group " + std::string(group_arg) +
                         ": no matching entries in group file");
      }
      if (!InRange(gid))
        return UserError("uids and gids must be in range 0-" + std::to_string(INT_MAX));
      user.gid = static_cast<unsigned>(gid);
    } else {
      // Supplementary groups only come with the implicit form, as in runc.
      for (const GroupEntry* entry : hits)
        if (InRange(entry->gid))
          user.supplementary_gids.push_back(static_cast<unsigned>(entry->gid));
    }
  }
  if (user.home.empty()) user.home = "/";
  return user;
}

}  // namespace dockit::runtime

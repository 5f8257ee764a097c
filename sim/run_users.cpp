// The RUN model's users and groups: /etc/passwd, /etc/group and /etc/shadow as text, the user a
// step runs as, chown's owner specs, whoami and id, and the account tools of each userland:
// useradd/groupadd (shadow, Debian) and adduser/addgroup (Debian's adduser, or busybox's
// applets on alpine and busybox).
#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "sim/path.hpp"
#include "sim/run_internal.hpp"

namespace dockit::sim::run {
namespace {

// The day written as "last password change" in /etc/shadow. A real useradd writes today's
// date; the simulator has no clock of its own yet, so a fixed day (2024-09-30) keeps layers
// deterministic.
constexpr std::string_view kShadowDay = "19996";

std::vector<std::string> Fields(std::string_view line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t colon = line.find(':', start);
    out.emplace_back(
        line.substr(start, colon == std::string_view::npos ? line.npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return out;
}

std::optional<uint32_t> Number(std::string_view text) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

Diagnostic UserError(std::string code, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

bool Busybox(const Shell& s) { return s.userland == Userland::kBusybox; }

// The account files, read once per command and written back on success.
struct Accounts {
  std::string passwd;
  std::string group;
  std::optional<std::string> shadow;  // absent or not held: not written
  bool ok = true;
};

Accounts Load(const Shell& s) {
  Accounts a;
  Result<std::string> p = s.ReadText("/etc/passwd");
  Result<std::string> g = s.ReadText("/etc/group");
  a.ok = p.Ok() && g.Ok();
  if (p) a.passwd = *p;
  if (g) a.group = *g;
  Result<std::string> sh = s.ReadText("/etc/shadow");
  if (sh) a.shadow = *sh;
  return a;
}

bool Save(Shell& s, const Accounts& before, const Accounts& after) {
  bool ok = true;
  if (after.passwd != before.passwd) ok &= s.WriteText("/etc/passwd", after.passwd).Ok();
  if (after.group != before.group) ok &= s.WriteText("/etc/group", after.group).Ok();
  if (after.shadow && after.shadow != before.shadow) {
    ok &= s.WriteText("/etc/shadow", *after.shadow).Ok();
  }
  return ok;
}

std::vector<PasswdEntry> ParsePasswd(std::string_view text) {
  std::vector<PasswdEntry> out;
  for (const std::string& line : Lines(text)) {
    std::vector<std::string> f = Fields(line);
    if (f.size() < 7) continue;
    PasswdEntry e;
    e.name = f[0];
    e.uid = Number(f[2]).value_or(0);
    e.gid = Number(f[3]).value_or(0);
    e.home = f[5];
    e.shell = f[6];
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<GroupEntry> ParseGroup(std::string_view text) {
  std::vector<GroupEntry> out;
  for (const std::string& line : Lines(text)) {
    std::vector<std::string> f = Fields(line);
    if (f.size() < 3) continue;
    GroupEntry e;
    e.name = f[0];
    e.gid = Number(f[2]).value_or(0);
    if (f.size() > 3 && !f[3].empty()) {
      std::string_view m = f[3];
      size_t start = 0;
      while (start <= m.size()) {
        size_t comma = m.find(',', start);
        if (comma == std::string_view::npos) comma = m.size();
        if (comma > start) e.members.emplace_back(m.substr(start, comma - start));
        start = comma + 1;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

const GroupEntry* FindGroup(const std::vector<GroupEntry>& groups, std::string_view spec) {
  for (const GroupEntry& g : groups) {
    if (g.name == spec) return &g;
  }
  if (std::optional<uint32_t> gid = Number(spec)) {
    for (const GroupEntry& g : groups) {
      if (g.gid == *gid) return &g;
    }
  }
  return nullptr;
}

const PasswdEntry* FindUser(const std::vector<PasswdEntry>& users, std::string_view name) {
  for (const PasswdEntry& u : users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

bool UidUsed(const std::vector<PasswdEntry>& users, uint32_t uid) {
  return std::any_of(users.begin(), users.end(), [&](const auto& u) { return u.uid == uid; });
}
bool GidUsed(const std::vector<GroupEntry>& groups, uint32_t gid) {
  return std::any_of(groups.begin(), groups.end(), [&](const auto& g) { return g.gid == gid; });
}

// shadow's useradd/groupadd: a regular id is one more than the highest in 1000..60000 (or 1000);
// a system id is the highest free one in 100..999. busybox and Debian's adduser take the first
// free id from the bottom of the range.
template <typename Used>
uint32_t NextId(bool system, bool from_top_for_system, Used used,
                const std::vector<uint32_t>& ids) {
  if (system) {
    if (from_top_for_system) {
      for (uint32_t id = 999; id >= 100; --id) {
        if (!used(id)) return id;
      }
      return 999;
    }
    for (uint32_t id = 100; id <= 999; ++id) {
      if (!used(id)) return id;
    }
    return 999;
  }
  if (from_top_for_system) {
    uint32_t highest = 999;
    for (uint32_t id : ids) {
      if (id >= 1000 && id <= 60000) highest = std::max(highest, id);
    }
    return highest + 1;
  }
  for (uint32_t id = 1000;; ++id) {
    if (!used(id)) return id;
  }
}

std::string AddMember(std::string group_text, std::string_view group, std::string_view user) {
  std::string out;
  for (const std::string& line : Lines(group_text)) {
    std::vector<std::string> f = Fields(line);
    if (f.size() >= 3 && f[0] == group) {
      std::string members = f.size() > 3 ? f[3] : "";
      bool present = false;
      // The parsed entry must outlive the loop (a range-for does not extend the temporary).
      std::vector<GroupEntry> parsed = ParseGroup(line);
      for (const std::string& m : parsed[0].members) present |= m == user;
      if (!present) members += (members.empty() ? "" : ",") + std::string(user);
      out += f[0] + ":" + f[1] + ":" + f[2] + ":" + members + "\n";
    } else {
      out += line + "\n";
    }
  }
  return out;
}

// Copies /etc/skel (when the image has one) into a new home and gives it to the user.
void MakeHome(Shell& s, const std::string& home, uint32_t mode, Owner owner, bool skel) {
  Result<Node> existing = s.View().Stat(home);
  if (!existing) {
    (void)s.Layer().Mkdir(home, true, mode, owner);
    // mkdir -p makes parents root-owned 0755; the home itself is the user's.
    (void)s.Layer().Chown(home, owner);
  }
  if (!skel) return;
  const auto& entries = s.View().Entries();
  std::vector<std::pair<std::string, Node>> copies;
  for (auto it = entries.upper_bound("/etc/skel"); it != entries.end(); ++it) {
    if (!IsAtOrBelow(it->first, "/etc/skel")) break;
    copies.emplace_back(it->first, it->second);
  }
  for (auto& [path, node] : copies) {
    std::string to = home + path.substr(std::string_view("/etc/skel").size());
    if (node.kind == NodeKind::kDirectory) {
      (void)s.Layer().Mkdir(to, false, node.mode, owner);
    } else if (node.kind == NodeKind::kFile) {
      (void)s.Layer().WriteFile(to, FileContent{node.digest, node.size}, node.mode, owner);
    } else {
      (void)s.Layer().Symlink(node.target, to, owner);
    }
  }
}

struct NewUser {
  std::string name;
  std::optional<uint32_t> uid;
  std::optional<std::string> group;  // primary group (name or gid); nullopt: a group of its own
  bool user_group = true;            // make a group named after the user
  std::vector<std::string> groups;   // supplementary
  std::optional<std::string> home;
  std::optional<std::string> shell;
  std::string gecos;
  bool create_home = false;
  bool system = false;
  bool top_down_ids = true;  // shadow's allocation
  bool log_init = false;     // shadow's useradd without -l: lastlog and faillog records
  std::string locked = "!";  // the shadow password field
};

// `adduser USER GROUP`: adds an existing user to an existing group (Debian's and busybox's
// adduser share it; their messages differ).
int AddToGroup(Shell& s, Io& io, const std::string& user, const std::string& group,
               const std::string& unknown_user, const std::string& unknown_group) {
  Accounts before = Load(s);
  if (!FindUser(ParsePasswd(before.passwd), user)) {
    io.err += unknown_user + "\n";
    return 1;
  }
  if (!FindGroup(ParseGroup(before.group), group)) {
    io.err += unknown_group + "\n";
    return 1;
  }
  Accounts after = before;
  after.group = AddMember(before.group, group, user);
  Save(s, before, after);
  return 0;
}

// Adds the user (and its group); returns the exit status, messages in io.err as `tool` words
// them.
int AddUser(Shell& s, const NewUser& u, std::string_view tool, Io& io) {
  if (!s.Root()) {
    io.err += std::string(tool) + ": Permission denied.\n" + std::string(tool) +
              ": cannot lock /etc/passwd; try again later.\n";
    return 1;
  }
  Accounts before = Load(s);
  if (!before.ok) {
    s.Opaque("the image's /etc/passwd or /etc/group text is not known");
    return 0;
  }
  Accounts after = before;
  std::vector<PasswdEntry> users = ParsePasswd(before.passwd);
  std::vector<GroupEntry> groups = ParseGroup(before.group);
  if (FindUser(users, u.name)) {
    io.err += Busybox(s) ? "adduser: user '" + u.name + "' in use\n"
                         : std::string(tool) + ": user '" + u.name + "' already exists\n";
    return Busybox(s) ? 1 : 9;
  }
  std::vector<uint32_t> uids;
  for (const PasswdEntry& e : users) uids.push_back(e.uid);
  uint32_t uid =
      u.uid ? *u.uid
            : NextId(
                  u.system, u.top_down_ids, [&](uint32_t id) { return UidUsed(users, id); }, uids);
  if (u.uid && UidUsed(users, uid)) {
    io.err += std::string(tool) + ": UID " + std::to_string(uid) + " is not unique\n";
    return 4;
  }
  uint32_t gid = 0;
  if (u.group) {
    const GroupEntry* g = FindGroup(groups, *u.group);
    if (!g) {
      io.err += Busybox(s) ? "adduser: unknown group " + *u.group + "\n"
                           : std::string(tool) + ": group '" + *u.group + "' does not exist\n";
      return Busybox(s) ? 1 : 6;
    }
    gid = g->gid;
  } else if (u.user_group) {
    if (FindGroup(groups, u.name)) {
      io.err += std::string(tool) + ": group " + u.name +
                " exists - if you want to add this user to that group, use -g.\n";
      return 9;
    }
    std::vector<uint32_t> gids;
    for (const GroupEntry& g : groups) gids.push_back(g.gid);
    gid = !GidUsed(groups, uid) ? uid
                                : NextId(
                                      u.system, u.top_down_ids,
                                      [&](uint32_t id) { return GidUsed(groups, id); }, gids);
    after.group += u.name + ":x:" + std::to_string(gid) + ":\n";
    if (after.shadow) {
      // gshadow is not modelled; /etc/shadow holds users only.
    }
  } else {
    gid = 100;  // `users`, shadow's default group without a user group
  }
  for (const std::string& g : u.groups) {
    if (!FindGroup(groups, g)) {
      io.err += std::string(tool) + ": group '" + g + "' does not exist\n";
      return 6;
    }
  }
  for (const std::string& g : u.groups) {
    after.group = AddMember(after.group, FindGroup(groups, g)->name, u.name);
  }
  std::string home = u.home.value_or("/home/" + u.name);
  std::string shell = u.shell.value_or("/bin/sh");
  after.passwd += u.name + ":x:" + std::to_string(uid) + ":" + std::to_string(gid) + ":" + u.gecos +
                  ":" + home + ":" + shell + "\n";
  if (after.shadow) {
    after.shadow =
        *after.shadow + u.name + ":" + u.locked + ":" + std::string(kShadowDay) + ":0:99999:7:::\n";
  }
  if (!Save(s, before, after)) {
    io.err += std::string(tool) + ": cannot write the account files\n";
    return 1;
  }
  if (u.log_init) {
    // useradd writes the new uid's record into lastlog and faillog at offset uid * record:
    // sparse files on disk, but a layer holds their full length (hadolint's DL3046: a large
    // uid without -l makes a huge layer). Debian's images have both files, empty.
    for (const auto& [path, record] : {std::pair<const char*, uint64_t>{"/var/log/lastlog", 292},
                                       std::pair<const char*, uint64_t>{"/var/log/faillog", 32}}) {
      uint64_t size = (uint64_t{uid} + 1) * record;
      Result<Node> old = s.View().Stat(path);
      if (old && old->size >= size) continue;
      s.Prepare(path);
      FileContent content = FileContent::Synthetic(
          std::string(path) + " records up to uid " + std::to_string(uid), size);
      if (old) {
        (void)s.Layer().WriteFile(path, content, old->mode, Owner{old->uid, old->gid});
      } else {
        // lastlog is root:utmp 0664 on Debian; faillog root:root 0644.
        Owner owner;
        const GroupEntry* utmp = FindGroup(groups, "utmp");
        if (utmp && std::string_view(path) == "/var/log/lastlog") owner.gid = utmp->gid;
        (void)s.Layer().WriteFile(
            path, content, std::string_view(path) == "/var/log/lastlog" ? 0664u : 0644u, owner);
      }
    }
  }
  if (u.create_home) {
    MakeHome(s, home, Busybox(s) ? 02755 : 0755, Owner{uid, gid}, true);
    if (Busybox(s)) (void)s.Layer().Chmod(home, 02755);
  }
  return 0;
}

// `wanted` is the gid asked for, or -1.
int AddGroup(Shell& s, const std::string& name, int64_t wanted, bool system, bool top_down,
             bool force, std::string_view tool, Io& io) {
  if (!s.Root()) {
    io.err += std::string(tool) + ": Permission denied.\n" + std::string(tool) +
              ": cannot lock /etc/group; try again later.\n";
    return 10;
  }
  Accounts before = Load(s);
  if (!before.ok) {
    s.Opaque("the image's /etc/group text is not known");
    return 0;
  }
  std::vector<GroupEntry> groups = ParseGroup(before.group);
  if (FindGroup(groups, name) && FindGroup(groups, name)->name == name) {
    if (force) return 0;
    io.err += Busybox(s) ? "addgroup: group '" + name + "' in use\n"
                         : std::string(tool) + ": group '" + name + "' already exists\n";
    return Busybox(s) ? 1 : 9;
  }
  if (wanted >= 0 && GidUsed(groups, static_cast<uint32_t>(wanted))) {
    if (force) {
      wanted = -1;
    } else {
      io.err += Busybox(s)
                    ? "addgroup: gid '" + std::to_string(wanted) + "' in use\n"
                    : std::string(tool) + ": GID '" + std::to_string(wanted) + "' already exists\n";
      return Busybox(s) ? 1 : 4;
    }
  }
  std::vector<uint32_t> gids;
  for (const GroupEntry& g : groups) gids.push_back(g.gid);
  uint32_t id = static_cast<uint32_t>(wanted);
  if (wanted < 0) {
    id = NextId(
        system, top_down, [&](uint32_t v) { return GidUsed(groups, v); }, gids);
  }
  Accounts after = before;
  after.group += name + ":x:" + std::to_string(id) + ":\n";
  Save(s, before, after);
  return 0;
}

// ---- the tools ---------------------------------------------------------------------------------

int Useradd(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  NewUser u;
  u.log_init = true;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string a = argv[i];
    std::string value;
    auto take = [&]() -> std::string {
      size_t eq = a.find('=');
      if (a.starts_with("--") && eq != std::string::npos) return a.substr(eq + 1);
      if (!a.starts_with("--") && a.size() > 2) return a.substr(2);
      return i + 1 < argv.size() ? argv[++i] : "";
    };
    auto is = [&](std::string_view s1, std::string_view l) {
      return a == s1 || a == l || (a.starts_with(l) && a.size() > l.size() && a[l.size()] == '=') ||
             (s1.size() == 2 && a.starts_with(s1) && a.size() > 2 && !a.starts_with("--"));
    };
    if (is("-u", "--uid")) {
      u.uid = Number(take());
    } else if (is("-g", "--gid")) {
      u.group = take();
    } else if (is("-G", "--groups")) {
      std::string list = take();
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (comma > start) u.groups.push_back(list.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (is("-d", "--home-dir")) {
      u.home = take();
    } else if (is("-s", "--shell")) {
      u.shell = take();
    } else if (is("-c", "--comment")) {
      u.gecos = take();
    } else if (is("-k", "--skel") || is("-K", "--key") || is("-e", "--expiredate") ||
               is("-f", "--inactive") || is("-p", "--password")) {
      take();
    } else if (a == "-m" || a == "--create-home") {
      u.create_home = true;
    } else if (a == "-M" || a == "--no-create-home") {
      u.create_home = false;
    } else if (a == "-r" || a == "--system") {
      u.system = true;
    } else if (a == "-N" || a == "--no-user-group") {
      u.user_group = false;
    } else if (a == "-U" || a == "--user-group") {
      u.user_group = true;
    } else if (a == "-l" || a == "--no-log-init") {
      u.log_init = false;
    } else if (a == "-o" || a == "--non-unique") {
    } else if (a.starts_with('-') && a.size() > 1) {
      // Clusters such as -rm or -mU.
      bool all_known =
          a.find_first_not_of("rmMNUlo", 1) == std::string::npos && !a.starts_with("--");
      if (!all_known) {
        s.Opaque("a useradd option the model does not know");
        return 0;
      }
      for (char c : a.substr(1)) {
        if (c == 'r') u.system = true;
        if (c == 'm') u.create_home = true;
        if (c == 'M') u.create_home = false;
        if (c == 'N') u.user_group = false;
        if (c == 'l') u.log_init = false;
      }
    } else {
      u.name = a;
    }
  }
  if (u.name.empty()) {
    io.err += "Usage: useradd [options] LOGIN\n";
    return 2;
  }
  return AddUser(s, u, "useradd", io);
}

int Groupadd(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::optional<uint32_t> gid;
  bool system = false;
  bool force = false;
  std::string name;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-g" || a == "--gid") {
      if (i + 1 < argv.size()) gid = Number(argv[++i]);
    } else if (a.starts_with("--gid=")) {
      gid = Number(a.substr(6));
    } else if (a.starts_with("-g") && a.size() > 2) {
      gid = Number(a.substr(2));
    } else if (a == "-r" || a == "--system") {
      system = true;
    } else if (a == "-f" || a == "--force") {
      force = true;
    } else if (a.starts_with('-')) {
      if (a.find_first_not_of("rf", 1) != std::string::npos) {
        s.Opaque("a groupadd option the model does not know");
        return 0;
      }
      system |= a.find('r') != std::string::npos;
      force |= a.find('f') != std::string::npos;
    } else {
      name = a;
    }
  }
  if (name.empty()) {
    io.err += "Usage: groupadd [options] GROUP\n";
    return 2;
  }
  return AddGroup(s, name, gid ? int64_t{*gid} : -1, system, true, force, "groupadd", io);
}

// busybox adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GRP] [-S] [-D] [-H] [-u UID] [-k SKEL]
// USER [GROUP]; Debian's adduser [--system] [--uid N] [--gid N | --ingroup G] [--home D]
// [--shell S] [--no-create-home] [--disabled-password] [--gecos G] [--group] USER [GROUP].
int Adduser(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::vector<std::string> operands;
  NewUser u;
  u.top_down_ids = false;
  if (Busybox(s)) {
    u.create_home = true;
    u.gecos = "Linux User,,,";
    // Busybox's long options (alpine builds it with them) and their short equivalents.
    static const std::pair<std::string_view, std::string_view> kLong[] = {
        {"--home", "-h"},
        {"--gecos", "-g"},
        {"--shell", "-s"},
        {"--ingroup", "-G"},
        {"--uid", "-u"},
        {"--skel", "-k"},
        {"--system", "-S"},
        {"--no-create-home", "-H"},
        {"--disabled-password", "-D"},
        {"--empty-password", "-D"}};
    std::vector<std::string> args;
    for (size_t i = 1; i < argv.size(); ++i) {
      std::string a = argv[i];
      std::string value;
      size_t eq = a.find('=');
      if (a.starts_with("--") && eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
      }
      bool mapped = false;
      for (const auto& [name, letter] : kLong) {
        if (a == name) {
          args.emplace_back(letter);
          if (eq != std::string::npos) args.push_back(value);
          mapped = true;
          break;
        }
      }
      if (!mapped) args.push_back(argv[i]);
    }
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (!a.starts_with('-') || a.size() < 2) {
        operands.push_back(a);
        continue;
      }
      for (size_t k = 1; k < a.size(); ++k) {
        char c = a[k];
        if (std::string_view("hgsGuk").find(c) != std::string_view::npos) {
          std::string v =
              k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < args.size() ? args[++i] : "");
          if (c == 'h') u.home = v;
          if (c == 'g') u.gecos = v;
          if (c == 's') u.shell = v;
          if (c == 'G') u.group = v;
          if (c == 'u') u.uid = Number(v);
          break;
        }
        if (c == 'S') u.system = true;
        if (c == 'H') u.create_home = false;
      }
    }
    if (operands.size() == 2) {
      // adduser USER GROUP: adds an existing user to a group.
      return AddToGroup(s, io, operands[0], operands[1], "adduser: unknown user " + operands[0],
                        "adduser: unknown group " + operands[1]);
    }
    if (operands.size() != 1) {
      io.err += "BusyBox: adduser: usage: adduser [OPTIONS] USER [GROUP]\n";
      return 1;
    }
    u.name = operands[0];
    if (u.system && !u.shell) u.shell = "/sbin/nologin";
    if (u.system && !u.group) {
      Accounts a = Load(s);
      if (FindGroup(ParseGroup(a.group), "nogroup")) u.group = "nogroup";
    }
    return AddUser(s, u, "adduser", io);
  }
  // Debian's adduser.
  bool system = false;
  bool group_named = false;
  bool no_home = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string a = argv[i];
    std::string value;
    size_t eq = a.find('=');
    auto take = [&]() {
      if (a.starts_with("--") && eq != std::string::npos) return a.substr(eq + 1);
      return i + 1 < argv.size() ? argv[++i] : std::string();
    };
    std::string name = a.starts_with("--") ? a.substr(0, eq) : a;
    if (name == "--system") {
      system = true;
    } else if (name == "--group") {
      group_named = true;
    } else if (name == "--no-create-home") {
      no_home = true;
    } else if (name == "--uid" || name == "-u") {
      u.uid = Number(take());
    } else if (name == "--gid") {
      u.group = take();
    } else if (name == "--ingroup") {
      u.group = take();
    } else if (name == "--home") {
      u.home = take();
    } else if (name == "--shell") {
      u.shell = take();
    } else if (name == "--gecos" || name == "--comment") {
      u.gecos = take();
    } else if (name == "--disabled-password" || name == "--disabled-login" || name == "--quiet" ||
               name == "-q" || name == "--force-badname" || name == "--allow-bad-names") {
    } else if (name == "--firstuid" || name == "--lastuid" || name == "--conf" ||
               name == "--add-extra-groups") {
      take();
    } else if (a.starts_with('-')) {
      s.Opaque("an adduser option the model does not know");
      return 0;
    } else {
      operands.push_back(a);
    }
  }
  if (operands.size() == 2 && !system) {
    int code = AddToGroup(s, io, operands[0], operands[1],
                          "fatal: The user `" + operands[0] + "' does not exist.",
                          "fatal: The group `" + operands[1] + "' does not exist.");
    if (code == 0) {
      io.out += "Adding user `" + operands[0] + "' to group `" + operands[1] + "' ...\nDone.\n";
    }
    return code;
  }
  if (operands.size() != 1) {
    io.err += "fatal: Only one or two names allowed.\n";
    return 1;
  }
  u.name = operands[0];
  u.system = system;
  u.log_init = true;  // adduser runs useradd without --no-log-init
  if (system) {
    u.home = u.home.value_or("/nonexistent");
    u.shell = u.shell.value_or("/usr/sbin/nologin");
    u.create_home = !no_home && *u.home != "/nonexistent";
    if (!u.group && !group_named) u.group = "nogroup";
  } else {
    u.shell = u.shell.value_or("/bin/bash");
    u.create_home = !no_home;
  }
  int status = AddUser(s, u, "adduser", io);
  if (status == 0) io.out += "Adding user `" + u.name + "' ...\n";
  return status;
}

int Addgroup(Shell& s, const Args& argv, Io& io) {
  if (!s.InPath(argv[0])) return s.NotFound(argv[0], io);
  std::optional<uint32_t> gid;
  bool system = false;
  std::vector<std::string> operands;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-g" || a == "--gid") {
      if (i + 1 < argv.size()) gid = Number(argv[++i]);
    } else if (a.starts_with("--gid=")) {
      gid = Number(a.substr(6));
    } else if (a.starts_with("-g") && a.size() > 2) {
      gid = Number(a.substr(2));
    } else if (a == "-S" || a == "--system") {
      system = true;
    } else if (a.starts_with('-')) {
      if (a == "--quiet" || a == "-q") continue;
      s.Opaque("an addgroup option the model does not know");
      return 0;
    } else {
      operands.push_back(a);
    }
  }
  if (operands.size() == 2) {
    Args add = {"adduser", operands[0], operands[1]};
    return Adduser(s, add, io);
  }
  if (operands.size() != 1) {
    io.err += "addgroup: usage: addgroup [-g GID] [-S] [USER] GROUP\n";
    return 1;
  }
  return AddGroup(s, operands[0], gid ? int64_t{*gid} : -1, system, false, false, "addgroup", io);
}

int Whoami(Shell& s, const Args&, Io& io) {
  for (const PasswdEntry& u : ReadPasswd(s)) {
    if (u.uid == s.owner.uid) {
      io.out += u.name + "\n";
      return 0;
    }
  }
  io.err += "whoami: cannot find name for user ID " + std::to_string(s.owner.uid) + "\n";
  return 1;
}

int Id(Shell& s, const Args& argv, Io& io) {
  std::vector<PasswdEntry> users = ReadPasswd(s);
  std::vector<GroupEntry> groups = ReadGroup(s);
  uint32_t uid = s.owner.uid;
  uint32_t gid = s.owner.gid;
  std::string user_name;
  for (const PasswdEntry& u : users) {
    if (u.uid == uid) {
      user_name = u.name;
      break;
    }
  }
  std::vector<std::string> operands;
  std::string flags;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].starts_with('-')) {
      flags += argv[i].substr(1);
    } else {
      operands.push_back(argv[i]);
    }
  }
  if (!operands.empty()) {
    const PasswdEntry* u = FindUser(users, operands[0]);
    if (!u) {
      io.err += "id: '" + operands[0] + "': no such user\n";
      return 1;
    }
    uid = u->uid;
    gid = u->gid;
    user_name = u->name;
  }
  auto group_name = [&](uint32_t g) -> std::string {
    for (const GroupEntry& e : groups) {
      if (e.gid == g) return e.name;
    }
    return "";
  };
  bool name_only = flags.find('n') != std::string::npos;
  if (flags.find('u') != std::string::npos) {
    io.out += (name_only && !user_name.empty() ? user_name : std::to_string(uid)) + "\n";
    return 0;
  }
  if (flags.find('g') != std::string::npos && flags.find('G') == std::string::npos) {
    std::string gn = group_name(gid);
    io.out += (name_only && !gn.empty() ? gn : std::to_string(gid)) + "\n";
    return 0;
  }
  std::vector<uint32_t> all = {gid};
  for (const GroupEntry& e : groups) {
    if (e.gid != gid &&
        std::find(e.members.begin(), e.members.end(), user_name) != e.members.end()) {
      all.push_back(e.gid);
    }
  }
  if (flags.find('G') != std::string::npos) {
    for (size_t i = 0; i < all.size(); ++i) {
      std::string gn = group_name(all[i]);
      io.out += (i ? " " : "") + (name_only && !gn.empty() ? gn : std::to_string(all[i]));
    }
    io.out += "\n";
    return 0;
  }
  auto show = [&](uint32_t id, const std::string& name) {
    return std::to_string(id) + (name.empty() ? "" : "(" + name + ")");
  };
  io.out += "uid=" + show(uid, user_name) + " gid=" + show(gid, group_name(gid)) + " groups=";
  for (size_t i = 0; i < all.size(); ++i) {
    io.out += (i ? "," : "") + show(all[i], group_name(all[i]));
  }
  io.out += "\n";
  return 0;
}

}  // namespace

std::vector<PasswdEntry> ReadPasswd(const Shell& shell) {
  Result<std::string> text = shell.ReadText("/etc/passwd");
  return text ? ParsePasswd(*text) : std::vector<PasswdEntry>{};
}

std::vector<GroupEntry> ReadGroup(const Shell& shell) {
  Result<std::string> text = shell.ReadText("/etc/group");
  return text ? ParseGroup(*text) : std::vector<GroupEntry>{};
}

Result<Owner> ParseOwner(const Shell& shell, std::string_view spec, Owner current, bool* set_uid,
                         bool* set_gid) {
  size_t colon = spec.find_first_of(":.");
  if (colon != std::string_view::npos && spec[colon] == '.' && spec.find(':') == spec.npos) {
    // The old user.group form, only when the whole spec is not a user name.
    if (FindUser(ReadPasswd(shell), spec)) colon = std::string_view::npos;
  }
  std::string_view user = spec.substr(0, colon);
  std::string_view group = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  Owner out = current;
  *set_uid = false;
  *set_gid = false;
  bool busybox = shell.userland == Userland::kBusybox;
  if (!user.empty()) {
    const PasswdEntry* u = nullptr;
    std::vector<PasswdEntry> users = ReadPasswd(shell);
    u = FindUser(users, user);
    if (u) {
      out.uid = u->uid;
      // `chown user:` gives the user's login group.
      if (colon != std::string_view::npos && group.empty()) {
        out.gid = u->gid;
        *set_gid = true;
      }
    } else if (std::optional<uint32_t> n = Number(user)) {
      out.uid = *n;
    } else {
      return UserError("chown", busybox ? "chown: unknown user " + std::string(user)
                                        : "chown: invalid user: '" + std::string(spec) + "'");
    }
    *set_uid = true;
  }
  if (!group.empty()) {
    std::vector<GroupEntry> groups = ReadGroup(shell);
    const GroupEntry* g = nullptr;
    for (const GroupEntry& e : groups) {
      if (e.name == group) g = &e;
    }
    if (g) {
      out.gid = g->gid;
    } else if (std::optional<uint32_t> n = Number(group)) {
      out.gid = *n;
    } else {
      return UserError("chown", busybox ? "chown: unknown group " + std::string(group)
                                        : "chown: invalid group: '" + std::string(spec) + "'");
    }
    *set_gid = true;
  }
  return out;
}

Result<PasswdEntry> ResolveUser(const Shell& shell, std::string_view spec) {
  PasswdEntry root{"root", 0, 0, "/root", "/bin/sh"};
  if (spec.empty()) spec = "root";
  size_t colon = spec.find(':');
  std::string_view user = spec.substr(0, colon);
  std::string_view group = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  std::vector<PasswdEntry> users = ReadPasswd(shell);
  PasswdEntry out;
  if (const PasswdEntry* u = FindUser(users, user)) {
    out = *u;
  } else if (std::optional<uint32_t> n = Number(user)) {
    // A uid without a passwd entry runs with gid 0, as runc resolves it (USER 1001).
    out.uid = *n;
    out.gid = 0;
    out.home = "/";
    for (const PasswdEntry& e : users) {
      if (e.uid == *n) out = e;
    }
  } else if (user == "root") {
    out = root;
  } else {
    return UserError("user", "unable to find user " + std::string(user) +
                                 ": no matching entries in passwd file");
  }
  if (!group.empty()) {
    std::vector<GroupEntry> groups = ReadGroup(shell);
    if (const GroupEntry* g = FindGroup(groups, group)) {
      out.gid = g->gid;
    } else if (std::optional<uint32_t> n = Number(group)) {
      out.gid = *n;
    } else {
      return UserError("user", "unable to find group " + std::string(group) +
                                   ": no matching entries in group file");
    }
  }
  return out;
}

CommandFn UserCommand(std::string_view name) {
  static const std::map<std::string_view, CommandFn> kCommands = {
      {"useradd", Useradd},   {"groupadd", Groupadd}, {"adduser", Adduser},
      {"addgroup", Addgroup}, {"whoami", Whoami},     {"id", Id},
  };
  auto it = kCommands.find(name);
  return it == kCommands.end() ? nullptr : it->second;
}

}  // namespace dockit::sim::run

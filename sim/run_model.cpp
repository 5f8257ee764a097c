// The shell part of the RUN model: and-or lists and pipelines over the shell view's flat command
// list, variables, words, redirections, heredocs, `sh -c`, the builtins, PATH lookup and the
// dispatch to the modelled programs (run_files.cpp, run_users.cpp, run_packages.cpp).
#include "sim/run_model.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "planner/digest.hpp"
#include "sim/path.hpp"
#include "sim/run_internal.hpp"
#include "sim/run_packages.hpp"

namespace dockit::sim {
namespace run {

// ---- Shell helpers ---------------------------------------------------------------------------

// The directories every image of a userland has (Debian's base-files, dpkg and apt; alpine's
// alpine-baselayout and apk). The catalogue's images hold only the files that matter, and
// writing into /usr/local/bin or /etc/apt must not fail for want of a directory that the real
// image has. They are made when a command writes into them (Shell::Prepare), as overlayfs
// would copy them up, and count as present for cd and test.
const std::vector<std::pair<std::string_view, uint32_t>>& Skeleton(Userland userland) {
  static const std::vector<std::pair<std::string_view, uint32_t>> kGnu = {
      {"/boot", 0755},
      {"/etc/apt", 0755},
      {"/etc/apt/apt.conf.d", 0755},
      {"/etc/apt/preferences.d", 0755},
      {"/etc/apt/sources.list.d", 0755},
      {"/etc/apt/trusted.gpg.d", 0755},
      {"/etc/default", 0755},
      {"/etc/profile.d", 0755},
      {"/etc/ssl", 0755},
      {"/etc/ssl/certs", 0755},
      {"/etc/ld.so.conf.d", 0755},
      {"/etc/init.d", 0755},
      {"/media", 0755},
      {"/mnt", 0755},
      {"/opt", 0755},
      {"/srv", 0755},
      {"/usr/include", 0755},
      {"/usr/local", 0755},
      {"/usr/local/bin", 0755},
      {"/usr/local/etc", 0755},
      {"/usr/local/games", 0755},
      {"/usr/local/include", 0755},
      {"/usr/local/lib", 0755},
      {"/usr/local/sbin", 0755},
      {"/usr/local/share", 0755},
      {"/usr/local/src", 0755},
      {"/usr/sbin", 0755},
      {"/usr/share", 0755},
      {"/usr/share/doc", 0755},
      {"/usr/share/man", 0755},
      {"/usr/src", 0755},
      {"/var/backups", 0755},
      {"/var/cache", 0755},
      {"/var/cache/apt", 0755},
      {"/var/cache/apt/archives", 0755},
      {"/var/cache/apt/archives/partial", 0700},
      {"/var/lib/apt", 0755},
      {"/var/lib/apt/lists", 0755},
      {"/var/lib/apt/lists/partial", 0700},
      {"/var/lib/dpkg/info", 0755},
      {"/var/lib/misc", 0755},
      {"/var/local", 0755},
      {"/var/log", 0755},
      {"/var/mail", 02775},
      {"/var/opt", 0755},
      {"/var/spool", 0755},
      {"/var/tmp", 01777}};
  static const std::vector<std::pair<std::string_view, uint32_t>> kBusybox = {
      {"/etc/apk", 0755},       {"/etc/conf.d", 0755},
      {"/etc/crontabs", 0755},  {"/etc/init.d", 0755},
      {"/etc/profile.d", 0755}, {"/etc/ssl", 0755},
      {"/etc/ssl/certs", 0755}, {"/lib", 0755},
      {"/media", 0755},         {"/mnt", 0755},
      {"/opt", 0755},           {"/sbin", 0755},
      {"/srv", 0755},           {"/usr", 0755},
      {"/usr/bin", 0755},       {"/usr/lib", 0755},
      {"/usr/local", 0755},     {"/usr/local/bin", 0755},
      {"/usr/local/lib", 0755}, {"/usr/local/share", 0755},
      {"/usr/sbin", 0755},      {"/usr/share", 0755},
      {"/var", 0755},           {"/var/cache", 0755},
      {"/var/cache/apk", 0755}, {"/var/empty", 0555},
      {"/var/lib", 0755},       {"/var/local", 0755},
      {"/var/log", 0755},       {"/var/mail", 0755},
      {"/var/opt", 0755},       {"/var/spool", 0755},
      {"/var/tmp", 01777}};
  return userland == Userland::kBusybox ? kBusybox : kGnu;
}

bool Shell::IsSkeleton(std::string_view path) const {
  Result<std::string> clean = CleanPath(Abs(path));
  if (!clean) return false;
  for (const auto& [dir, mode] : Skeleton(userland)) {
    if (dir == *clean) return !View().Lstat(*clean).Ok();
  }
  return false;
}

void Shell::Prepare(std::string_view path, bool self) {
  Result<std::string> clean = CleanPath(Abs(path));
  if (!clean) return;
  for (const auto& [dir, mode] : Skeleton(userland)) {
    if (!IsAtOrBelow(*clean, dir) || (!self && dir == *clean)) continue;
    std::string p(dir);
    if (View().Lstat(p).Ok()) continue;
    Result<Node> parent = View().Stat(ParentOf(p));
    if (!parent || parent->kind != NodeKind::kDirectory) continue;
    (void)Layer().Mkdir(p, false, mode);
  }
}

std::string Shell::Abs(std::string_view path) const {
  if (path.starts_with('/')) return std::string(path);
  return JoinPath(cwd, path);
}

std::optional<std::string> Shell::Var(std::string_view name) const {
  for (const auto& [k, v] : prefix_env) {
    if (k == name) return v;
  }
  auto it = vars.find(name);
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

bool Shell::VarUnknown(std::string_view name) const {
  auto it = vars.find(name);
  if (it == vars.end()) return sourced;  // `. FILE` may have set it
  return !it->second;
}

std::vector<std::pair<std::string, std::string>> Shell::Environment() const {
  std::map<std::string, std::string> env;
  for (const std::string& name : exported) {
    auto it = vars.find(name);
    if (it != vars.end() && it->second) env[name] = *it->second;
  }
  for (const auto& [k, v] : prefix_env) env[k] = v;
  return {env.begin(), env.end()};
}

Result<std::string> Shell::ReadText(std::string_view path) const {
  Result<Node> node = View().Stat(Abs(path));
  if (!node) return node.Error();
  if (node->kind == NodeKind::kDirectory) return FsError("EISDIR", std::string(path));
  if (node->size == 0) return std::string();
  std::optional<std::string_view> text = ctx.texts->Get(node->digest);
  if (!text) return FsError("EUNKNOWN", std::string(path));
  return std::string(*text);
}

Status Shell::WriteText(std::string_view path, std::string_view text) {
  Prepare(path);
  return Layer().WriteFile(Abs(path), ctx.texts->Put(text), kFileMode, owner);
}

bool Shell::CanWriteDir(std::string_view dir) const {
  if (Root()) return true;
  Result<Node> node = View().Stat(Abs(dir));
  if (!node) return true;  // the operation itself reports the missing directory
  uint32_t bits = node->mode & 07;
  if (node->uid == owner.uid) {
    bits = (node->mode >> 6) & 07;
  } else if (node->gid == owner.gid) {
    bits = (node->mode >> 3) & 07;
  }
  return (bits & 03) == 03;  // write and search
}

std::string Shell::ShellPrefix() const {
  switch (flavor) {
    case ShellFlavor::kAsh:
      return "/bin/sh: ";
    case ShellFlavor::kBash:
      return "/bin/bash: line " + std::to_string(line) + ": ";
    case ShellFlavor::kDash:
      break;
  }
  return "sh: " + std::to_string(line) + ": ";
}

void Shell::Opaque(std::string_view why) {
  outcome.opaque.push_back(text);
  if (!why.empty()) Note(text + ": " + std::string(why));
}

void Shell::Installed() {
  unknown_installs = true;
  outcome.installs.push_back(text);
}

void Shell::Note(std::string note) {
  if (std::find(outcome.notes.begin(), outcome.notes.end(), note) == outcome.notes.end()) {
    outcome.notes.push_back(std::move(note));
  }
}

namespace {

// The programs each userland ships in /bin and /usr/bin. The catalogue's base images hold only
// the files that matter as real entries (the rest of a layer is one filler file), so a program
// of the base system counts as present although its file is not listed: Debian's essential
// set (coreutils, util-linux, findutils, grep, sed, tar, gzip, diffutils, passwd, adduser,
// debianutils, perl-base, mawk) and busybox's applets.
bool BaseProgram(Userland userland, std::string_view name) {
  static const std::set<std::string_view> kCommon = {
      "[",      "awk",    "base64",  "basename", "cat",       "chgrp",     "chmod",     "chown",
      "chroot", "cksum",  "cmp",     "comm",     "cp",        "cut",       "date",      "dd",
      "df",     "diff",   "dirname", "du",       "echo",      "egrep",     "env",       "expand",
      "expr",   "false",  "fgrep",   "find",     "flock",     "fold",      "getopt",    "grep",
      "gunzip", "gzip",   "head",    "hostname", "id",        "install",   "kill",      "link",
      "ln",     "logger", "login",   "ls",       "md5sum",    "mkdir",     "mkfifo",    "mknod",
      "mktemp", "more",   "mount",   "mv",       "nice",      "nl",        "nohup",     "nproc",
      "od",     "passwd", "paste",   "printenv", "printf",    "pwd",       "readlink",  "realpath",
      "rm",     "rmdir",  "sed",     "seq",      "sha1sum",   "sha256sum", "sha512sum", "sleep",
      "sort",   "split",  "stat",    "stty",     "su",        "sync",      "tac",       "tail",
      "tar",    "tee",    "test",    "timeout",  "touch",     "tr",        "true",      "truncate",
      "tty",    "umount", "uname",   "uniq",     "unlink",    "wc",        "which",     "whoami",
      "xargs",  "yes",    "zcat",    "chpasswd", "fallocate", "setsid"};
  static const std::set<std::string_view> kGnu = {"addgroup",    "adduser",
                                                  "apt",         "apt-cache",
                                                  "apt-config",  "apt-get",
                                                  "apt-mark",    "b2sum",
                                                  "bash",        "chfn",
                                                  "chsh",        "csplit",
                                                  "dash",        "debconf-set-selections",
                                                  "delgroup",    "deluser",
                                                  "dircolors",   "dpkg",
                                                  "dpkg-divert", "dpkg-query",
                                                  "factor",      "fmt",
                                                  "getent",      "gpasswd",
                                                  "groupadd",    "groupdel",
                                                  "groupmod",    "join",
                                                  "ldconfig",    "logname",
                                                  "mawk",        "nologin",
                                                  "numfmt",      "perl",
                                                  "pr",          "ptx",
                                                  "run-parts",   "sh",
                                                  "shred",       "shuf",
                                                  "stdbuf",      "sum",
                                                  "tempfile",    "tsort",
                                                  "unexpand",    "update-alternatives",
                                                  "useradd",     "userdel",
                                                  "usermod",     "users",
                                                  "vdir",        "who",
                                                  "xargs",       "zgrep"};
  static const std::set<std::string_view> kBusybox = {
      "addgroup", "adduser",  "ash",    "bunzip2", "bzcat",    "cpio", "crond", "delgroup",
      "deluser",  "dos2unix", "free",   "hexdump", "ifconfig", "ip",   "less",  "nc",
      "netstat",  "nslookup", "patch",  "ping",    "ps",       "sh",   "top",   "traceroute",
      "unxz",     "unzip",    "uptime", "vi",      "watch",    "wget", "xxd",   "xzcat"};
  if (kCommon.contains(name)) return true;
  return userland == Userland::kBusybox ? kBusybox.contains(name) : kGnu.contains(name);
}

}  // namespace

bool Shell::InPath(std::string_view name) const {
  return InFiles(name) || unknown_installs || UnknownBefore();
}

bool Shell::UnknownBefore() const {
  return !outcome.opaque.empty() || ctx.earlier_opaque || ctx.base_unknown ||
         !ctx.other_mounts.empty();
}

bool Shell::InFiles(std::string_view name) const {
  if (ctx.base_unknown) return true;  // a stand-in's files are not the image's
  if (name.find('/') == std::string_view::npos && BaseProgram(userland, name)) return true;
  auto exists = [&](const std::string& path) {
    Result<Node> node = View().Lstat(path);
    return node.Ok() && node->kind != NodeKind::kDirectory;
  };
  if (name.find('/') != std::string_view::npos) return exists(Abs(name));
  std::string path = Var("PATH").value_or("");
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(start, colon - start);
    if (dir.empty()) dir = ".";
    if (exists(JoinPath(Abs(dir), name))) return true;
    start = colon + 1;
  }
  return false;
}

int Shell::NotFound(std::string_view name, Io& io) const {
  if (exec_form) {
    io.err += "exec: \"" + std::string(name) + "\": executable file not found in $PATH\n";
    return 127;
  }
  if (flavor == ShellFlavor::kBash) {
    io.err += ShellPrefix() + std::string(name) + ": command not found\n";
  } else {
    io.err += ShellPrefix() + std::string(name) + ": not found\n";
  }
  return 127;
}

std::string_view ErrnoText(std::string_view code) {
  static const std::pair<std::string_view, std::string_view> kTexts[] = {
      {"ENOENT", "No such file or directory"}, {"EEXIST", "File exists"},
      {"ENOTDIR", "Not a directory"},          {"EISDIR", "Is a directory"},
      {"ENOTEMPTY", "Directory not empty"},    {"ELOOP", "Too many levels of symbolic links"},
      {"EACCES", "Permission denied"},         {"EBUSY", "Device or resource busy"},
      {"EINVAL", "Invalid argument"},
  };
  for (const auto& [c, text] : kTexts) {
    if (c == code) return text;
  }
  return "Invalid argument";
}

std::string_view ErrnoText(const Diagnostic& error) { return ErrnoText(error.code); }

}  // namespace run

namespace {

using run::Args;
using run::Io;
using run::Shell;
using run::ShellFlavor;
using run::Userland;

constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// ---- words -----------------------------------------------------------------------------------

bool IsNameChar(char c, bool first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (!first && c >= '0' && c <= '9');
}

// $NAME, ${NAME}, ${NAME:-word} (and -, :+, +, :=, =), $?, $0, $#, $$ in a word's value or an
// unquoted heredoc body. nullopt when something in it is unknown.
std::optional<std::string> ExpandParameters(const Shell& shell, std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      ++i;
      continue;
    }
    char d = text[i + 1];
    auto value = [&](std::string_view name) -> std::optional<std::string> {
      if (shell.VarUnknown(name)) return std::nullopt;
      std::optional<std::string> v = shell.Var(name);
      if (!v && shell.nounset && shell.unset_error.empty()) shell.unset_error = name;
      return v.value_or("");
    };
    if (d == '?') {
      out += std::to_string(shell.status);
      i += 2;
    } else if (d == '0') {
      out += "sh";
      i += 2;
    } else if (d == '#') {
      out += "0";
      i += 2;
    } else if (d == '(' || d == '$' || d == '!') {
      return std::nullopt;
    } else if (d == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && IsNameChar(inner[n], n == 0)) ++n;
      if (n == 0) return std::nullopt;
      std::string_view name = inner.substr(0, n);
      std::string_view op = inner.substr(n);
      bool set = shell.Var(name).has_value() || shell.VarUnknown(name);
      std::optional<std::string> v =
          set || op.empty() ? value(name) : std::optional<std::string>(std::string());
      bool colon = op.starts_with(':');
      std::string_view rest = colon ? op.substr(1) : op;
      bool empty = !set || (v && v->empty());
      bool use_word_if_unset = colon ? empty : !set;
      if (op.empty()) {
        if (!v) return std::nullopt;
        out += *v;
      } else if (rest.starts_with('-') || rest.starts_with('=')) {
        if (use_word_if_unset) {
          std::optional<std::string> w = ExpandParameters(shell, rest.substr(1));
          if (!w) return std::nullopt;
          out += *w;
        } else {
          if (!v) return std::nullopt;
          out += *v;
        }
      } else if (rest.starts_with('+')) {
        if (!use_word_if_unset) {
          if (!v) return std::nullopt;
          std::optional<std::string> w = ExpandParameters(shell, rest.substr(1));
          if (!w) return std::nullopt;
          out += *w;
        }
      } else {
        return std::nullopt;  // ${#x}, ${x%y}, ...
      }
      i = close + 1;
    } else if (IsNameChar(d, true)) {
      size_t n = i + 1;
      while (n < text.size() && IsNameChar(text[n], false)) ++n;
      std::optional<std::string> v = value(text.substr(i + 1, n - i - 1));
      if (!v) return std::nullopt;
      out += *v;
      i = n;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// Path name expansion of one pattern against the view, as sh does: sorted matches, no dotfiles
// unless the pattern component starts with a dot; the pattern itself when nothing matches.
std::vector<std::string> Glob(const Shell& shell, const std::string& pattern) {
  bool absolute = pattern.starts_with('/');
  std::vector<std::string> parts;
  for (size_t start = 0; start <= pattern.size();) {
    size_t slash = pattern.find('/', start);
    if (slash == std::string::npos) slash = pattern.size();
    if (slash > start) parts.push_back(pattern.substr(start, slash - start));
    start = slash + 1;
  }
  // (shown prefix, real absolute directory)
  std::vector<std::pair<std::string, std::string>> found = {
      {absolute ? "/" : "", absolute ? "/" : shell.cwd}};
  for (const std::string& part : parts) {
    std::vector<std::pair<std::string, std::string>> next;
    bool magic = part.find_first_of("*?[") != std::string::npos;
    for (const auto& [shown, real] : found) {
      auto join = [&](const std::string& name) {
        std::string s = shown.empty() ? name : (shown == "/" ? "/" + name : shown + "/" + name);
        return std::pair{s, JoinPath(real, name)};
      };
      if (!magic) {
        auto entry = join(part);
        if (shell.View().Lstat(entry.second).Ok()) next.push_back(entry);
        continue;
      }
      Result<std::vector<std::string>> names = shell.View().ReadDir(real);
      if (!names) continue;
      for (const std::string& name : *names) {
        if (fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0) next.push_back(join(name));
      }
    }
    found = std::move(next);
  }
  std::vector<std::string> out;
  for (auto& [shown, real] : found) out.push_back(shown);
  if (out.empty()) out.push_back(pattern);
  std::sort(out.begin(), out.end());
  return out;
}

// The fields a word gives, or nullopt when the model cannot know them.
std::optional<std::string> ExpandOne(const Shell& shell, const ShellWord& word);

std::optional<std::vector<std::string>> ExpandWord(const Shell& shell, const ShellWord& word) {
  if (word.Static()) return std::vector<std::string>{std::string(word.value)};
  std::optional<std::string> expanded = ExpandOne(shell, word);
  if (!expanded) return std::nullopt;
  std::string value = std::move(*expanded);
  std::vector<std::string> fields;
  if (word.Has(ShellWordFlags::kParameter) && !word.Has(ShellWordFlags::kQuoted)) {
    // Field splitting on the default IFS.
    size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n')) ++i;
      size_t j = i;
      while (j < value.size() && value[j] != ' ' && value[j] != '\t' && value[j] != '\n') ++j;
      if (j > i) fields.push_back(value.substr(i, j - i));
      i = j;
    }
  } else {
    fields.push_back(value);
  }
  if (word.Has(ShellWordFlags::kGlob)) {
    std::vector<std::string> globbed;
    for (const std::string& f : fields) {
      for (std::string& m : Glob(shell, f)) globbed.push_back(std::move(m));
    }
    fields = std::move(globbed);
  }
  return fields;
}

std::optional<std::string> ExpandOne(const Shell& shell, const ShellWord& word) {
  if (word.Static()) return std::string(word.value);
  if (word.Has(ShellWordFlags::kCommandSubstitution | ShellWordFlags::kArithmetic |
               ShellWordFlags::kArray | ShellWordFlags::kUnmodeled | ShellWordFlags::kBrace)) {
    return std::nullopt;
  }
  std::string value(word.value);
  if (word.Has(ShellWordFlags::kParameter)) {
    if (word.raw.find('\'') != std::string_view::npos) return std::nullopt;
    std::optional<std::string> expanded = ExpandParameters(shell, value);
    if (!expanded) return std::nullopt;
    value = std::move(*expanded);
  }
  if (word.Has(ShellWordFlags::kTilde) && value.starts_with('~') &&
      (value.size() == 1 || value[1] == '/')) {
    value = shell.Var("HOME").value_or("/") + value.substr(1);
  }
  return value;
}

// ---- the interpreter -------------------------------------------------------------------------

class Interpreter {
 public:
  Interpreter(const ShellScript& script, Shell& shell) : script_(script), shell_(shell) {}

  // Runs the commands of the segments `owner` runs (-1: the script itself) and gives the
  // status of the last one.
  int RunSegments(int32_t owner);

 private:
  struct Step {
    int32_t command = -1;                         // index in Commands(), or -1
    const ShellAssignment* assignment = nullptr;  // a bare assignment
    uint32_t begin = 0;
  };

  int RunPipeline(const std::vector<int32_t>& commands);
  int RunCommand(int32_t index, Io& io, bool piped_out);
  int Dispatch(int32_t index, const Args& argv, Io& io);
  int WriteDeclared(uint64_t bytes);
  int Builtin(int32_t index, const Args& argv, Io& io, bool* handled);
  int RunNestedShell(int32_t index, const Args& argv, Io& io);
  void Assign(const ShellAssignment& a, bool exported);
  int LineOf(uint32_t offset, uint32_t segment) const;
  std::optional<std::string> HeredocBody(int32_t index, const ShellRedirect& r) const;
  std::string_view TextOf(const ShellCommand& c) const {
    return script_.Text().substr(c.begin, c.end - c.begin);
  }
  std::string Display(const ShellCommand& c) const {
    // The command without a heredoc body: up to the end of its first line.
    std::string_view t = TextOf(c);
    return std::string(t.substr(0, t.find('\n')));
  }

  const ShellScript& script_;
  Shell& shell_;
};

int Interpreter::LineOf(uint32_t offset, uint32_t segment) const {
  std::span<const ShellSegment> segs = script_.Segments();
  uint32_t from = segment < segs.size() ? segs[segment].begin : 0;
  std::string_view text = script_.Text();
  return 1 + static_cast<int>(std::count(text.begin() + from, text.begin() + offset, '\n'));
}

int Interpreter::RunSegments(int32_t owner) {
  std::span<const ShellCommand> commands = script_.Commands();
  std::span<const ShellSegment> segments = script_.Segments();
  auto runs_here = [&](uint32_t segment) {
    if (segment >= segments.size()) return owner < 0;
    const ShellSegment& s = segments[segment];
    return (s.is_shell || s.origin == ShellSegment::Origin::kExecArgv) && s.command == owner;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < commands.size(); ++i) {
    const ShellCommand& c = commands[i];
    if (!runs_here(c.segment)) continue;
    if (c.In(ShellContext::kCommandSubstitution | ShellContext::kProcessSubstitution |
             ShellContext::kFunction)) {
      continue;
    }
    steps.push_back({static_cast<int32_t>(i), nullptr, c.begin});
  }
  for (const ShellAssignment& a : script_.Assignments()) {
    if (a.kind != ShellAssignment::Kind::kBare || a.command >= 0) continue;
    if (a.context & (ShellContext::kCommandSubstitution | ShellContext::kProcessSubstitution |
                     ShellContext::kFunction)) {
      continue;
    }
    // Which segment holds it: the one whose text range contains it.
    bool here = false;
    for (size_t s = 0; s < segments.size(); ++s) {
      if (a.begin >= segments[s].begin && a.end <= segments[s].end) {
        here = runs_here(static_cast<uint32_t>(s));
        break;
      }
    }
    if (segments.empty()) here = owner < 0;
    if (here) steps.push_back({-1, &a, a.begin});
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& x, const Step& y) { return x.begin < y.begin; });

  ShellOperator previous = ShellOperator::kSemicolon;
  for (size_t i = 0; i < steps.size() && !shell_.exited;) {
    bool skip = (previous == ShellOperator::kAnd && shell_.status != 0) ||
                (previous == ShellOperator::kOr && shell_.status == 0);
    if (steps[i].assignment) {
      // A bare assignment carries no operator of its own: the next command is taken to follow
      // a `;` (it does in `a && X=1; b`; `a && X=1 && b` would run b after a failed).
      if (!skip) {
        Assign(*steps[i].assignment, false);
        shell_.status = 0;
      }
      previous = ShellOperator::kSemicolon;
      ++i;
      continue;
    }
    // A pipeline: this command and those its `|` joins.
    std::vector<int32_t> pipeline = {steps[i].command};
    size_t j = i + 1;
    while (j < steps.size() && !steps[j].assignment) {
      ShellOperator op = commands[pipeline.back()].next;
      if (op != ShellOperator::kPipe && op != ShellOperator::kPipeAll) break;
      pipeline.push_back(steps[j].command);
      ++j;
    }
    ShellOperator op = commands[pipeline.back()].next;
    if (!skip) {
      int status = RunPipeline(pipeline);
      if (commands[pipeline.front()].In(ShellContext::kNegated)) status = status == 0 ? 1 : 0;
      shell_.status = status;
      bool tested = op == ShellOperator::kAnd || op == ShellOperator::kOr ||
                    commands[pipeline.front()].In(ShellContext::kNegated);
      if (status != 0 && shell_.errexit && !tested) shell_.exited = true;
    }
    previous = op;
    i = j;
  }
  return shell_.status;
}

int Interpreter::RunPipeline(const std::vector<int32_t>& pipeline) {
  std::optional<std::string> carried;
  std::optional<FileContent> carried_binary;
  bool carried_unknown = false;
  int status = 0;
  int failed = 0;
  for (size_t k = 0; k < pipeline.size(); ++k) {
    Io io;
    io.in = std::move(carried);
    io.in_unknown = carried_unknown;
    io.in_binary = std::move(carried_binary);
    carried.reset();
    carried_binary.reset();
    carried_unknown = false;
    bool last = k + 1 == pipeline.size();
    size_t opaque_before = shell_.outcome.opaque.size();
    status = RunCommand(pipeline[k], io, !last);
    if (status != 0) failed = status;
    if (!last) {
      if (shell_.outcome.opaque.size() > opaque_before && io.out.empty() && !io.binary) {
        carried_unknown = true;  // what an opaque command prints is not known
      } else if (io.binary) {
        carried_binary = std::move(io.binary);
      } else if (!io.out.empty()) {
        carried = std::move(io.out);
      }
    }
    if (shell_.exited) break;
  }
  return shell_.pipefail ? failed : status;
}

void Interpreter::Assign(const ShellAssignment& a, bool exported) {
  std::string name(a.name);
  if (exported) shell_.exported.insert(name);
  if (!a.has_value && a.kind == ShellAssignment::Kind::kDeclaration) return;  // `export X`
  std::optional<std::string> value = a.has_value ? ExpandOne(shell_, a.value) : std::string();
  if (value && a.append) {
    std::optional<std::string> old = shell_.Var(name);
    value = old.value_or("") + *value;
  }
  shell_.vars[name] = value;
}

std::optional<std::string> Interpreter::HeredocBody(int32_t index, const ShellRedirect& r) const {
  // BuildKit heredocs (RUN cat <<EOF > f): the body is a segment of its own.
  for (const ShellSegment& s : script_.Segments()) {
    if (s.origin == ShellSegment::Origin::kHeredoc && s.command == index && !s.is_shell) {
      std::string body(script_.Text().substr(s.begin, s.end - s.begin));
      if (!body.empty() && !body.ends_with('\n')) body += '\n';
      return body;
    }
  }
  // A heredoc inside the script: tree-sitter's heredoc redirect spans the body, which starts
  // on the line after the command and ends before the delimiter's line.
  std::string_view text = script_.Text();
  size_t start = text.find('\n', r.target.end);
  if (start == std::string_view::npos) return std::nullopt;
  ++start;
  std::string delimiter(r.target.value);
  std::string body;
  bool strip = r.op == "<<-";
  while (start < text.size()) {
    size_t eol = text.find('\n', start);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(start, eol - start);
    if (strip) {
      while (line.starts_with('\t')) line.remove_prefix(1);
    }
    if (line == delimiter) return body;
    body += line;
    body += '\n';
    start = eol + 1;
  }
  return body;
}

int Interpreter::RunCommand(int32_t index, Io& io, bool piped_out) {
  const ShellCommand& c = script_.Commands()[index];
  shell_.line = LineOf(c.begin, c.segment);
  shell_.text = Display(c);
  shell_.prefix_env.clear();

  if (c.In(ShellContext::kSubshell | ShellContext::kIf | ShellContext::kCondition |
           ShellContext::kLoop | ShellContext::kCase | ShellContext::kBraceGroup)) {
    shell_.Opaque("commands inside if/for/while/case, ( ) and { } are not run by the model");
    return 0;
  }

  // Prefix assignments (`X=1 cmd`) and declarations (`export X=1`).
  bool declaration = false;
  for (const ShellAssignment& a : c.assignments) {
    if (a.kind == ShellAssignment::Kind::kPrefix) {
      std::optional<std::string> v = a.has_value ? ExpandOne(shell_, a.value) : std::string();
      if (!v) {
        shell_.Opaque("a prefix assignment the model cannot evaluate");
        return 0;
      }
      shell_.prefix_env.emplace_back(std::string(a.name), *v);
    } else if (a.kind == ShellAssignment::Kind::kDeclaration) {
      declaration = true;
    }
  }

  Args argv;
  for (const ShellWord& w : c.argv) {
    std::optional<std::vector<std::string>> fields = ExpandWord(shell_, w);
    if (!fields) {
      // A declaration's assignment words are handled below; others are unknown.
      if (declaration && w.raw.find('=') != std::string_view::npos) continue;
      shell_.Opaque("a word the model cannot expand ($(...), $((...)), {a,b}, ...)");
      return 0;
    }
    for (std::string& f : *fields) argv.push_back(std::move(f));
  }
  if (!shell_.unset_error.empty()) {
    // set -u: an unset variable is an error that ends a non-interactive shell.
    std::string name = std::move(shell_.unset_error);
    shell_.unset_error.clear();
    shell_.outcome.output +=
        shell_.ShellPrefix() + name +
        (shell_.flavor == ShellFlavor::kBash ? ": unbound variable\n" : ": parameter not set\n");
    shell_.exited = true;
    return shell_.flavor == ShellFlavor::kBash ? 1 : 2;
  }
  if (!argv.empty() && shell_.xtrace) {
    std::string trace = "+";
    for (const auto& [k, v] : shell_.prefix_env) trace += " " + k + "=" + v;
    for (const std::string& a : argv) {
      bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$*?[]|&;<>()") == std::string::npos;
      trace += " " + (plain || shell_.flavor == ShellFlavor::kDash ? a : "'" + a + "'");
    }
    shell_.outcome.output += trace + "\n";
  }
  if (!c.argv.empty() && argv.empty()) return 0;  // `$EMPTY` expands to no command

  // Redirections: inputs first (heredocs, <, <<<), outputs are opened (created or truncated)
  // before the command runs, as the shell does.
  struct Out {
    int fd = 1;
    std::string path;  // absolute; "" for /dev/null
    bool append = false;
    bool to_stdout = false;  // 2>&1
    bool to_stderr = false;  // >&2
  };
  std::vector<Out> outs;
  for (const ShellRedirect& r : c.redirects) {
    if (r.IsHeredoc()) {
      bool quoted = r.target.Has(ShellWordFlags::kQuoted);
      std::optional<std::string> body = HeredocBody(index, r);
      if (body && !quoted) body = ExpandParameters(shell_, *body);
      if (!body) {
        io.in_unknown = true;
      } else {
        io.in = std::move(body);
      }
      continue;
    }
    if (r.op == "<<<") {
      std::optional<std::string> v = ExpandOne(shell_, r.target);
      if (!v) {
        io.in_unknown = true;
      } else {
        io.in = *v + "\n";
      }
      continue;
    }
    std::optional<std::string> target = ExpandOne(shell_, r.target);
    if (!target) {
      shell_.Opaque("a redirection target the model cannot expand");
      return 0;
    }
    if (r.op == "<") {
      if (*target == "/dev/null") {
        io.in.reset();
        continue;
      }
      Result<std::string> text = shell_.ReadText(*target);
      if (!text && (text.Error().code == "ENOENT" || text.Error().code == "ENOTDIR") &&
          shell_.UnknownBefore()) {
        shell_.Note(*target +
                    ": missing, and may have been made by a command the model does not know; "
                    "its content is unknown");
        io.in_unknown = true;
        continue;
      }
      if (!text && text.Error().code != "EUNKNOWN") {
        if (shell_.flavor == ShellFlavor::kDash) {
          io.err += shell_.ShellPrefix() + "cannot open " + *target + ": " +
                    (text.Error().code == "ENOENT" ? "No such file"
                                                   : std::string(run::ErrnoText(text.Error()))) +
                    "\n";
          shell_.outcome.output += io.err;
          return 2;
        }
        io.err += shell_.ShellPrefix() + "can't open '" + *target +
                  "': " + std::string(run::ErrnoText(text.Error())) + "\n";
        shell_.outcome.output += io.err;
        return 1;
      }
      if (text) {
        io.in = *text;
      } else if (Result<Node> node = shell_.View().Stat(shell_.Abs(*target))) {
        io.in_binary = FileContent{node->digest, node->size};
      } else {
        io.in_unknown = true;
      }
      continue;
    }
    Out out;
    out.fd = r.fd >= 0 ? r.fd : 1;
    if (r.op == ">&" || r.op == "<&") {
      if (*target == "1") {
        out.to_stdout = true;
      } else if (*target == "2") {
        out.to_stderr = true;
      } else if (*target == "-") {
        out.path = "";
      } else {
        out.path = shell_.Abs(*target);  // `>& file` in bash: both streams to the file
      }
      outs.push_back(out);
      continue;
    }
    if (r.op == "&>" || r.op == "&>>") {
      out.fd = 3;  // both
    }
    out.append = r.op == ">>" || r.op == "&>>";
    if (*target == "/dev/null") {
      out.path = "";
    } else if (*target == "/dev/stdout") {
      out.to_stdout = true;
    } else if (*target == "/dev/stderr") {
      out.to_stderr = true;
    } else {
      out.path = shell_.Abs(*target);
      shell_.Prepare(out.path);
      // Open it now: O_CREAT|O_TRUNC (or O_APPEND).
      Result<Resolved> where = shell_.View().Resolve(out.path, true, "open");
      Status made = OkStatus();
      std::string code;
      if (!where && (where.Error().code == "ENOENT" || where.Error().code == "ENOTDIR") &&
          shell_.UnknownBefore()) {
        // Its folder may have been made by an opaque command: the write is left out.
        shell_.Note(*target +
                    ": its folder is missing, and may have been made by a command the model "
                    "does not know; the file is left out of the layer");
        out.path = "";
        outs.push_back(out);
        continue;
      }
      if (!where) {
        code = where.Error().code;
      } else if (where->node && where->node->kind == NodeKind::kDirectory) {
        code = "EISDIR";
      } else if (!where->node && !shell_.CanWriteDir(ParentOf(where->path))) {
        code = "EACCES";
      } else if (!out.append || !where->node) {
        made = shell_.Layer().WriteFile(out.path, FileContent::Bytes(""), run::kFileMode,
                                        shell_.owner);
        if (!made) code = made.Error().code;
      }
      if (!code.empty()) {
        std::string msg;
        if (shell_.flavor == ShellFlavor::kDash) {
          msg = "cannot create " + *target + ": " +
                (code == "ENOENT" ? std::string("Directory nonexistent")
                                  : std::string(run::ErrnoText(code)));
        } else if (shell_.flavor == ShellFlavor::kAsh) {
          msg = "can't create " + *target + ": " +
                (code == "ENOENT" ? std::string("nonexistent directory")
                                  : std::string(run::ErrnoText(code)));
        } else {
          msg = *target + ": " + std::string(run::ErrnoText(code));
        }
        shell_.outcome.output += shell_.ShellPrefix() + msg + "\n";
        return shell_.flavor == ShellFlavor::kDash ? 2 : 1;
      }
    }
    outs.push_back(out);
  }

  int status = 0;
  if (!argv.empty()) {
    size_t opaque_before = shell_.outcome.opaque.size();
    std::optional<uint64_t> declared;
    if (shell_.ctx.declared != nullptr) {
      declared =
          shell_.ctx.declared->Command(std::vector<std::string_view>(argv.begin(), argv.end()));
    }
    if (declared) {
      status = WriteDeclared(*declared);
    } else {
      status = Dispatch(index, argv, io);
    }
    if (shell_.outcome.opaque.size() > opaque_before) {
      for (const Out& o : outs) {
        if ((o.fd == 1 || o.fd == 3) && !o.path.empty() && !o.to_stderr && !o.to_stdout) {
          shell_.Note(o.path + ": the model does not know what " + argv[0] +
                      " wrote; the file is left empty");
        }
      }
    }
  }

  // Where stdout and stderr go, redirection by redirection: `2>&1` sends stderr where stdout
  // goes at that point (`> f 2>&1` both to f, `2>&1 > f` stderr to the terminal).
  struct Dest {
    enum class Kind { kStdout, kStderr, kFile } kind;
    std::string path;  // kFile: absolute, "" for /dev/null
    bool append = false;
  };
  Dest out_dest{Dest::Kind::kStdout, "", false};
  Dest err_dest{Dest::Kind::kStderr, "", false};
  for (const Out& o : outs) {
    Dest file{Dest::Kind::kFile, o.path, o.append};
    if (o.fd == 3) {
      out_dest = err_dest = file;
    } else if (o.fd == 1) {
      if (o.to_stderr) {
        out_dest = err_dest;
      } else if (!o.to_stdout) {
        out_dest = file;
      }
    } else if (o.fd == 2) {
      if (o.to_stdout) {
        err_dest = out_dest;
      } else if (!o.to_stderr) {
        err_dest = file;
      }
    }
  }
  auto deliver = [&](const std::string& path, bool append, const std::string& text,
                     const std::optional<FileContent>& bytes) {
    std::optional<FileContent> content;
    if (bytes && text.empty() && !append) {
      content = *bytes;
    } else {
      std::string old;
      bool old_unknown = false;
      uint64_t old_size = 0;
      if (append) {
        Result<std::string> prior = shell_.ReadText(path);
        if (prior) {
          old = *prior;
        } else if (prior.Error().code == "EUNKNOWN") {
          old_unknown = true;
          Result<Node> node = shell_.View().Stat(path);
          old_size = node ? node->size : 0;
        }
      }
      if (bytes || old_unknown) {
        uint64_t size = old_size + old.size() + text.size() + (bytes ? bytes->size : 0);
        content = FileContent::Synthetic(
            "appended: " + (bytes ? bytes->digest : std::string()) + " to " + path, size);
      } else {
        content = shell_.ctx.texts->Put(old + text);
      }
    }
    Status written = shell_.Layer().WriteFile(path, *content, run::kFileMode, shell_.owner);
    if (!written) shell_.Note("writing " + path + ": " + written.Error().message);
  };
  std::string piped_text;
  std::optional<FileContent> piped_binary;
  std::set<std::string> written;  // files this command wrote already: later writes append
  auto send = [&](const Dest& d, const std::string& text, const std::optional<FileContent>& bytes) {
    switch (d.kind) {
      case Dest::Kind::kStdout:
        if (piped_out) {
          piped_text += text;
          if (bytes) piped_binary = bytes;
        } else {
          shell_.outcome.output += text;
          if (bytes) shell_.Note(shell_.text + ": binary output to the terminal is not shown");
        }
        break;
      case Dest::Kind::kStderr:
        shell_.outcome.output += text;
        if (bytes) shell_.Note(shell_.text + ": binary output to the terminal is not shown");
        break;
      case Dest::Kind::kFile:
        if (d.path.empty()) break;  // /dev/null
        if (text.empty() && !bytes) break;
        deliver(d.path, d.append || written.contains(d.path), text, bytes);
        written.insert(d.path);
        break;
    }
  };
  send(out_dest, io.out, io.binary);
  send(err_dest, io.err, std::nullopt);
  io.out = std::move(piped_text);
  io.binary = std::move(piped_binary);
  io.err.clear();
  return status;
}

int Interpreter::RunNestedShell(int32_t index, const Args& argv, Io& io) {
  // sh -c 'script' [name args...]: the shell view parsed the literal script as segments run
  // by this command. A child process: its cd, variables and options do not come back.
  bool has_segment = false;
  for (const ShellSegment& s : script_.Segments()) {
    if (s.command == index && s.is_shell) has_segment = true;
  }
  // (`bash <<EOF` and `sh -c` alike: the view has the script as a segment this command runs.)
  if (!has_segment) {
    shell_.Opaque("a shell whose script the model does not have");
    return 0;
  }
  Shell child = shell_;
  child.prefix_env.clear();
  for (const auto& [k, v] : shell_.prefix_env) {
    child.vars[k] = v;
    child.exported.insert(k);
  }
  // Only exported variables reach the child.
  for (auto it = child.vars.begin(); it != child.vars.end();) {
    it = child.exported.contains(it->first) ? std::next(it) : child.vars.erase(it);
  }
  child.exited = false;
  child.status = 0;
  // A new process: options are its own (`sh -ec`, `bash -euxo pipefail -c`).
  child.errexit = child.nounset = child.xtrace = child.pipefail = false;
  child.flavor = Basename(argv[0]) == "bash"             ? ShellFlavor::kBash
                 : shell_.userland == Userland::kBusybox ? ShellFlavor::kAsh
                                                         : ShellFlavor::kDash;
  for (size_t i = 1; i < argv.size() && argv[i].starts_with('-'); ++i) {
    if (argv[i].starts_with("--")) continue;
    if (argv[i] == "-o" && i + 1 < argv.size()) {
      if (argv[i + 1] == "pipefail" && child.flavor != ShellFlavor::kDash) child.pipefail = true;
      ++i;
      continue;
    }
    for (char f : argv[i].substr(1)) {
      if (f == 'e') child.errexit = true;
      if (f == 'u') child.nounset = true;
      if (f == 'x') child.xtrace = true;
    }
  }
  Interpreter nested(script_, child);
  int status = nested.RunSegments(index);
  // What the child printed went to the terminal already; files are shared.
  (void)io;
  return status;
}

int Interpreter::Builtin(int32_t index, const Args& argv, Io& io, bool* handled) {
  const std::string& name = argv[0];
  *handled = true;
  const ShellCommand& c = script_.Commands()[index];
  if (name == "true" || name == ":") return 0;
  if (name == "false") return 1;
  if (name == "cd") {
    std::string target = argv.size() > 1 ? argv[1] : shell_.Var("HOME").value_or("/");
    if (target == "-") target = shell_.Var("OLDPWD").value_or(shell_.cwd);
    Result<Node> node = shell_.View().Stat(shell_.Abs(target));
    Result<std::string> clean = CleanPath(shell_.Abs(target));
    if (shell_.IsSkeleton(target)) node = DirectoryNode();
    if (!node && clean && node.Error().code == "ENOENT" && shell_.UnknownBefore()) {
      // A directory an opaque command may have made (`tar -x`, `git clone`): go there.
      shell_.Note("cd " + target +
                  ": the directory is missing, and may have been made by a command the model "
                  "does not know");
      shell_.vars["OLDPWD"] = shell_.cwd;
      shell_.cwd = *clean;
      shell_.vars["PWD"] = shell_.cwd;
      return 0;
    }
    if (!node || node->kind != NodeKind::kDirectory || !clean) {
      std::string why = !node ? std::string(run::ErrnoText(node.Error())) : "Not a directory";
      if (shell_.flavor == ShellFlavor::kDash) {
        io.err += shell_.ShellPrefix() + "cd: can't cd to " + target + "\n";
        return 2;
      }
      if (shell_.flavor == ShellFlavor::kAsh) {
        io.err += shell_.ShellPrefix() + "cd: can't cd to " + target + ": " + why + "\n";
        return 2;
      }
      io.err += shell_.ShellPrefix() + "cd: " + target + ": " + why + "\n";
      return 1;
    }
    shell_.vars["OLDPWD"] = shell_.cwd;
    shell_.cwd = *clean;
    shell_.vars["PWD"] = shell_.cwd;
    return 0;
  }
  if (name == "pwd") {
    io.out += shell_.cwd + "\n";
    return 0;
  }
  if (name == "exit") {
    int code = shell_.status;
    if (argv.size() > 1) {
      int parsed = 0;
      auto [p, ec] = std::from_chars(argv[1].data(), argv[1].data() + argv[1].size(), parsed);
      if (ec != std::errc() || p != argv[1].data() + argv[1].size()) {
        io.err += shell_.ShellPrefix() + "exit: Illegal number: " + argv[1] + "\n";
        shell_.exited = true;
        return 2;
      }
      code = parsed & 0xff;
    }
    shell_.exited = true;
    return code;
  }
  if (name == "export" || name == "readonly" || name == "local" || name == "declare" ||
      name == "typeset") {
    bool exported = name == "export" || (argv.size() > 1 && argv[1] == "-x");
    for (const ShellAssignment& a : c.assignments) {
      if (a.kind == ShellAssignment::Kind::kDeclaration) Assign(a, exported);
    }
    return 0;
  }
  if (name == "unset") {
    for (size_t i = 1; i < argv.size(); ++i) {
      if (argv[i].starts_with('-')) continue;
      shell_.vars.erase(argv[i]);
      shell_.exported.erase(argv[i]);
    }
    return 0;
  }
  if (name == "set") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a == "-o" || a == "+o") {
        if (i + 1 >= argv.size()) break;
        const std::string& opt = argv[++i];
        bool on = a == "-o";
        if (opt == "pipefail") {
          if (shell_.flavor == ShellFlavor::kDash) {
            // dash (Debian 12, Ubuntu 22.04) has no pipefail; an error in a special builtin
            // ends a non-interactive shell.
            io.err += shell_.ShellPrefix() + "set: Illegal option -o pipefail\n";
            shell_.exited = true;
            return 2;
          }
          shell_.pipefail = on;
        } else if (opt == "errexit") {
          shell_.errexit = on;
        } else if (opt == "nounset") {
          shell_.nounset = on;
        } else if (opt == "xtrace") {
          shell_.xtrace = on;
        }
        continue;
      }
      if ((a.starts_with('-') || a.starts_with('+')) && a.size() > 1 && a != "--") {
        bool on = a[0] == '-';
        for (size_t k = 1; k < a.size(); ++k) {
          if (a[k] == 'e') shell_.errexit = on;
          if (a[k] == 'u') shell_.nounset = on;
          if (a[k] == 'x') shell_.xtrace = on;
          if (a[k] == 'o' && i + 1 < argv.size()) {
            const std::string& opt = argv[++i];
            if (opt == "pipefail") {
              if (shell_.flavor == ShellFlavor::kDash) {
                io.err += shell_.ShellPrefix() + "set: Illegal option -o pipefail\n";
                shell_.exited = true;
                return 2;
              }
              shell_.pipefail = on;
            }
            if (opt == "errexit") shell_.errexit = on;
          }
        }
      }
    }
    return 0;
  }
  if (name == "command" && argv.size() > 2 && (argv[1] == "-v" || argv[1] == "-V")) {
    int status = 0;
    for (size_t i = 2; i < argv.size(); ++i) {
      const std::string& n = argv[i];
      static const std::set<std::string_view> kBuiltins = {
          "cd",   "echo", "printf",  "test", "[",    "true", "false", "export", "set",  "unset",
          "exit", "pwd",  "command", ":",    "read", "type", "umask", "wait",   "trap", "eval"};
      if (kBuiltins.contains(n)) {
        io.out += n + "\n";
        continue;
      }
      std::string found;
      if (n.find('/') != std::string::npos) {
        if (shell_.InPath(n)) found = n;
      } else {
        std::string path = shell_.Var("PATH").value_or("");
        size_t start = 0;
        while (start <= path.size() && found.empty()) {
          size_t colon = path.find(':', start);
          if (colon == std::string::npos) colon = path.size();
          std::string candidate = JoinPath(path.substr(start, colon - start), n);
          Result<Node> node = shell_.View().Lstat(candidate);
          if (node && node->kind != NodeKind::kDirectory) found = candidate;
          start = colon + 1;
        }
      }
      if (found.empty() && (shell_.unknown_installs || shell_.UnknownBefore())) {
        found = n;  // a package or a command the model does not know may have brought it
        shell_.Note("command -v " + n +
                    ": not in the image's files, but something the model does not know may have "
                    "brought it");
      }
      if (found.empty()) {
        status = 127;
        if (argv[1] == "-V") io.err += n + ": not found\n";
      } else {
        io.out += found + "\n";
      }
    }
    return status;
  }
  *handled = false;
  return 0;
}

// Whether every line of a command's stderr says that a path does not exist (GNU's and
// busybox's wording), and there is at least one.
bool OnlyMissingPaths(std::string_view err) {
  if (err.empty()) return false;
  size_t start = 0;
  while (start < err.size()) {
    size_t eol = err.find('\n', start);
    if (eol == std::string_view::npos) eol = err.size();
    std::string_view line = err.substr(start, eol - start);
    if (!line.empty() && line.find("No such file or directory") == std::string_view::npos &&
        line.find("nonexistent directory") == std::string_view::npos &&
        line.find("Not a directory") == std::string_view::npos &&
        line.find("invalid user") == std::string_view::npos &&
        line.find("invalid group") == std::string_view::npos &&
        line.find("unknown user") == std::string_view::npos &&
        line.find("unknown group") == std::string_view::npos) {
      return false;
    }
    start = eol + 1;
  }
  return true;
}

// A command with a declared size (planner/declared_sizes.hpp) is not run: it writes one file of
// that size under kDeclaredDir, named after the command and how many declared commands ran
// before it in the RUN.
int Interpreter::WriteDeclared(uint64_t bytes) {
  std::string name =
      plan::Sha256Of(shell_.text + "#" + std::to_string(shell_.declared_run++)).substr(7, 16);
  std::string path = std::string(kDeclaredDir) + "/" + name;
  (void)shell_.Layer().Mkdir(kDeclaredDir, true, 0755, Owner{});
  Status written = shell_.Layer().WriteFile(
      path, FileContent::Synthetic("declared " + shell_.text, bytes), 0644, Owner{});
  if (!written) return 1;
  shell_.Note(shell_.text + ": not run; its declared size, " + std::to_string(bytes) +
              " bytes, as " + path);
  return 0;
}

int Interpreter::Dispatch(int32_t index, const Args& argv, Io& io) {
  bool handled = false;
  if (shell_.exec_form) {
    static const std::set<std::string_view> kShellOnly = {
        "cd", "export", "set", "unset", "exit", "readonly", "local", "declare", "typeset", ":"};
    if (kShellOnly.contains(argv[0])) return shell_.NotFound(argv[0], io);
  }
  int status = Builtin(index, argv, io, &handled);
  if (handled) return status;
  std::string_view name = Basename(argv[0]);

  // Programs that only run another one.
  if (name == "sudo" || name == "env" || name == "nice" || name == "nohup" || name == "time" ||
      name == "exec" || name == "gosu" || name == "su-exec" || name == "command") {
    if (name != "exec" && name != "command" && !shell_.InPath(argv[0])) {
      return shell_.NotFound(argv[0], io);
    }
    size_t i = 1;
    if (name == "env" || name == "sudo") {
      while (i < argv.size() &&
             (argv[i].starts_with('-') || argv[i].find('=') != std::string::npos)) {
        if (argv[i].find('=') != std::string::npos && !argv[i].starts_with('-')) {
          size_t eq = argv[i].find('=');
          shell_.prefix_env.emplace_back(argv[i].substr(0, eq), argv[i].substr(eq + 1));
        }
        ++i;
      }
      if (name == "env" && i >= argv.size()) {
        for (const auto& [k, v] : shell_.Environment()) io.out += k + "=" + v + "\n";
        return 0;
      }
    } else if (name == "gosu" || name == "su-exec") {
      shell_.Opaque("running as another user is not modelled");
      return 0;
    }
    if (i >= argv.size()) return 0;
    Args rest(argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
    return Dispatch(index, rest, io);
  }

  if (IsPosixShellName(name)) {
    if (!shell_.InPath(argv[0])) return shell_.NotFound(argv[0], io);
    return RunNestedShell(index, argv, io);
  }
  if (name == "." || name == "source" || name == "eval") {
    // The model does not run what they read: any variable may be set afterwards.
    shell_.sourced = true;
    shell_.Opaque("the model does not run the script it reads; variables it sets are unknown");
    return 0;
  }
  if (run::CommandFn fn = run::FileCommand(name)) {
    if (!shell_.UnknownBefore()) return fn(shell_, argv, io);
    std::string err_before = io.err;
    int file_status = fn(shell_, argv, io);
    if (file_status != 0 && OnlyMissingPaths(std::string_view(io.err).substr(err_before.size()))) {
      io.err = std::move(err_before);
      shell_.Note(shell_.text +
                  ": a path it needs is missing, and may have been made by a command the model "
                  "does not know; the layer is left without it");
      return 0;
    }
    return file_status;
  }
  if (run::CommandFn fn = run::UserCommand(name)) return fn(shell_, argv, io);
  if (run::CommandFn fn = run::PackageCommand(name)) return fn(shell_, argv, io);
  if (!shell_.InPath(argv[0])) return shell_.NotFound(argv[0], io);
  shell_.Opaque(shell_.InFiles(argv[0])
                    ? ""
                    : "not in the image's files, but a package installed earlier may have "
                      "brought it (its files are not known)");
  return 0;
}

}  // namespace

RunOutcome RunScript(const ShellScript& script, RunContext& context) {
  RunOutcome outcome;
  if (context.layer == nullptr) {
    outcome.exit_code = 1;
    outcome.output = "no working layer to run in\n";
    return outcome;
  }
  // Without a store the script's texts are kept for this run only.
  TextStore scratch;
  if (context.texts == nullptr) {
    RunContext with_store = context;
    with_store.texts = &scratch;
    return RunScript(script, with_store);
  }
  Shell shell(context, outcome);

  // Which /bin/sh the image has decides the wording.
  const Tree& view = context.layer->View();
  Result<Resolved> sh = view.Resolve("/bin/sh", true, "exec");
  std::string shell_program = context.shell.empty() ? "/bin/sh" : context.shell.front();
  if (Basename(shell_program) == "bash") {
    shell.flavor = ShellFlavor::kBash;
  }
  Result<Resolved> program = view.Resolve(shell_program, true, "exec");
  if ((!program || !program->node) && context.base_unknown) {
    // The image's own shell (powershell, cmd, /bin/ash) may be there: its script is not run.
    shell.text = std::string(script.Text().substr(0, script.Text().find('\n')));
    shell.Opaque(shell_program + " is not in the stand-in for the base image");
    return outcome;
  }
  if (!program || !program->node) {
    outcome.exit_code = 127;
    outcome.output =
        "exec: \"" + shell_program + "\": stat " + shell_program + ": no such file or directory\n";
    return outcome;
  }
  if (sh && sh->node && Basename(sh->path) == "busybox") {
    shell.userland = Userland::kBusybox;
    if (shell.flavor != ShellFlavor::kBash) shell.flavor = ShellFlavor::kAsh;
  }

  if (script.Kind() == ShellKind::kExec) shell.exec_form = true;
  if (!script.IsShell() && !shell.exec_form) {
    shell.text = std::string(script.Text().substr(0, script.Text().find('\n')));
    shell.Opaque(script.Kind() == ShellKind::kNotShell ? "a script for another interpreter"
                                                       : "not a POSIX shell script");
    return outcome;
  }

  for (const auto& [k, v] : context.env) {
    shell.vars[k] = v;
    shell.exported.insert(k);
  }
  if (!shell.vars.contains("PATH")) {
    shell.vars["PATH"] = std::string(kDefaultPath);
    shell.exported.insert("PATH");
  }

  Result<run::PasswdEntry> user = run::ResolveUser(shell, context.user);
  if (!user &&
      (context.base_unknown || context.earlier_opaque || !context.earlier_installs.empty())) {
    // An opaque command (adduser in a script, a package's postinst) may have made the user.
    shell.Note("USER " + context.user +
               ": not in the simulated /etc/passwd (a command the model does not know may have "
               "made it); the step runs as root");
    user = run::PasswdEntry{"root", 0, 0, "/root", "/bin/sh"};
  }
  if (!user) {
    outcome.exit_code = 1;
    outcome.output = user.Error().message + "\n";
    return outcome;
  }
  shell.owner = {user->uid, user->gid};
  shell.user_name = user->name;
  if (!shell.vars.contains("HOME")) {
    shell.vars["HOME"] = user->home.empty() ? "/" : user->home;
    shell.exported.insert("HOME");
  }

  Result<std::string> workdir = CleanPath(context.workdir.empty() ? "/" : context.workdir);
  shell.cwd = workdir ? *workdir : "/";
  shell.vars["PWD"] = shell.cwd;
  shell.exported.insert("PWD");

  // Programs a package install brought are not known file by file: after one, a name that is
  // not in the image's files is opaque rather than `not found`.
  shell.unknown_installs =
      !context.earlier_installs.empty() || context.layer->View().Lstat(kAptPayloadDir).Ok();
  Interpreter interpreter(script, shell);
  outcome.exit_code = interpreter.RunSegments(-1);
  return outcome;
}

}  // namespace dockit::sim

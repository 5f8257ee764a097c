// The RUN model's file commands: echo, printf, cat, tee, mkdir, touch, cp, mv, rm, ln, chmod,
// chown, head, dd, fallocate, truncate, ls, test/[, which, printenv, sleep, and tar (opaque).
// Messages follow GNU coreutils on Debian-family images and busybox on alpine/busybox.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <set>

#include <re2/re2.h>

#include "planner/run_size.hpp"
#include "sim/path.hpp"
#include "sim/run_internal.hpp"

namespace dockit::sim::run {
namespace {

bool Busybox(const Shell& s) { return s.userland == Userland::kBusybox; }

std::string Q(std::string_view path) { return "'" + std::string(path) + "'"; }

// Options as getopt reads them: clusters (-rf), values attached or next (-m 755, -m755),
// `--` ends options; long options are kept whole (--parents, --mode=755).
struct Opts {
  std::string flags;  // short flags seen, in order
  std::map<char, std::string> values;
  std::vector<std::string> longs;  // "--parents", "--mode=755"
  std::vector<std::string> operands;
  bool Has(char f) const { return flags.find(f) != std::string::npos; }
  bool HasLong(std::string_view name) const {
    for (const std::string& l : longs) {
      if (l == name || l.starts_with(std::string(name) + "=")) return true;
    }
    return false;
  }
  std::optional<std::string> LongValue(std::string_view name) const {
    for (const std::string& l : longs) {
      if (l.starts_with(std::string(name) + "=")) return l.substr(name.size() + 1);
    }
    return std::nullopt;
  }
};

Opts ParseOpts(const Args& argv, std::string_view with_value,
               std::initializer_list<std::string_view> long_with_value = {}) {
  Opts o;
  bool done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (done || a.size() < 2 || a[0] != '-') {
      o.operands.push_back(a);
      continue;
    }
    if (a == "--") {
      done = true;
      continue;
    }
    if (a.starts_with("--")) {
      bool takes = false;
      for (std::string_view l : long_with_value) takes |= a == l;
      if (takes && i + 1 < argv.size()) {
        o.longs.push_back(a + "=" + argv[++i]);
      } else {
        o.longs.push_back(a);
      }
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      char f = a[k];
      o.flags += f;
      if (with_value.find(f) != std::string_view::npos) {
        if (k + 1 < a.size()) {
          o.values[f] = a.substr(k + 1);
        } else if (i + 1 < argv.size()) {
          o.values[f] = argv[++i];
        }
        break;
      }
    }
  }
  return o;
}

// The node at `path` following symlinks, or the error code.
Result<Node> StatAt(const Shell& s, std::string_view path) { return s.View().Stat(s.Abs(path)); }

// ---- modes ---------------------------------------------------------------------------------

// An octal mode or a symbolic one (u+x, go-w, a=r, +x, u=rwx,g=rx,o=); nullopt when invalid.
std::optional<uint32_t> ApplyMode(uint32_t old, std::string_view spec, bool is_dir) {
  if (!spec.empty() && spec[0] >= '0' && spec[0] <= '7') {
    uint32_t m = 0;
    for (char c : spec) {
      if (c < '0' || c > '7') return std::nullopt;
      m = m * 8 + static_cast<uint32_t>(c - '0');
    }
    if (m > 07777) return std::nullopt;
    // GNU chmod keeps a directory's set-id bits unless the octal mode has 5+ digits.
    if (is_dir && spec.size() < 5) m |= old & 06000;
    return m;
  }
  uint32_t mode = old;
  size_t i = 0;
  while (i <= spec.size()) {
    size_t comma = spec.find(',', i);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view clause = spec.substr(i, comma - i);
    if (clause.empty()) return std::nullopt;
    uint32_t who = 0;
    size_t k = 0;
    bool explicit_who = false;
    for (; k < clause.size(); ++k) {
      char c = clause[k];
      if (c == 'u') {
        who |= 04700;
      } else if (c == 'g') {
        who |= 02070;
      } else if (c == 'o') {
        who |= 01007;
      } else if (c == 'a') {
        who |= 07777;
      } else {
        break;
      }
      explicit_who = true;
    }
    if (!explicit_who) who = 07777;
    if (k >= clause.size()) return std::nullopt;
    while (k < clause.size()) {
      char op = clause[k++];
      if (op != '+' && op != '-' && op != '=') return std::nullopt;
      uint32_t bits = 0;
      for (; k < clause.size() && clause[k] != '+' && clause[k] != '-' && clause[k] != '='; ++k) {
        switch (clause[k]) {
          case 'r':
            bits |= 0444;
            break;
          case 'w':
            bits |= 0222;
            break;
          case 'x':
            bits |= 0111;
            break;
          case 'X':
            if (is_dir || (old & 0111)) bits |= 0111;
            break;
          case 's':
            bits |= 06000;
            break;
          case 't':
            bits |= 01000;
            break;
          default:
            return std::nullopt;
        }
      }
      uint32_t mask = who & bits;
      // Without u/g/o/a the umask (022) limits what + and = add.
      if (!explicit_who && op != '-') mask &= ~022u;
      if (op == '+') {
        mode |= mask;
      } else if (op == '-') {
        mode &= ~mask;
      } else {
        mode = (mode & ~(who & 0777)) | mask;
      }
    }
    i = comma + 1;
  }
  return mode & 07777;
}

// Paths at and below `root` in the view, the root first (for -R).
std::vector<std::string> Walk(const Shell& s, const std::string& root) {
  std::vector<std::string> out = {root};
  const auto& entries = s.View().Entries();
  for (auto it = entries.upper_bound(root); it != entries.end(); ++it) {
    if (!IsAtOrBelow(it->first, root)) break;
    out.push_back(it->first);
  }
  return out;
}

// ---- echo, printf, cat, tee ------------------------------------------------------------------

// Backslash escapes of echo (dash) and printf's format: \n \t \\ \c (stop) \0NNN, \NNN.
std::string Unescape(std::string_view text, bool* stop, bool echo_octal) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'e':
        out += '\x1b';
        break;
      case '\\':
        out += '\\';
        break;
      case 'c':
        if (stop) *stop = true;
        return out;
      default:
        if (c >= '0' && c <= '7') {
          size_t start = i;
          if (echo_octal && c == '0') ++start;  // echo's \0NNN
          uint32_t v = 0;
          size_t k = start;
          while (k < text.size() && k < start + 3 && text[k] >= '0' && text[k] <= '7') {
            v = v * 8 + static_cast<uint32_t>(text[k] - '0');
            ++k;
          }
          out += static_cast<char>(v & 0xff);
          i = k - 1;
        } else {
          out += '\\';
          out += c;
        }
    }
  }
  return out;
}

int Echo(Shell& s, const Args& argv, Io& io) {
  size_t i = 1;
  bool newline = true;
  // dash's echo always reads escapes; bash's and busybox's only with -e.
  bool escapes = s.flavor == ShellFlavor::kDash;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() < 2 || a[0] != '-' || a.find_first_not_of("neE", 1) != std::string::npos) break;
    if (s.flavor == ShellFlavor::kDash && a != "-n") break;  // dash knows only -n
    for (char c : a.substr(1)) {
      if (c == 'n') newline = false;
      if (c == 'e') escapes = true;
      if (c == 'E') escapes = false;
    }
  }
  std::string text;
  bool stop = false;
  for (size_t k = i; k < argv.size() && !stop; ++k) {
    if (k > i) text += ' ';
    text += escapes ? Unescape(argv[k], &stop, true) : argv[k];
  }
  if (newline && !stop) text += '\n';
  io.out += text;
  return 0;
}

int Printf(Shell& s, const Args& argv, Io& io) {
  if (argv.size() < 2) {
    io.err += Busybox(s) ? "printf: usage: printf FORMAT [ARG]...\n"
                         : s.ShellPrefix() + "printf: usage: printf format [arg ...]\n";
    return 2;
  }
  const std::string& format = argv[1];
  size_t next = 2;
  int status = 0;
  do {
    for (size_t i = 0; i < format.size(); ++i) {
      char c = format[i];
      if (c == '\\') {
        size_t j = i + 1;
        while (j < format.size() && j < i + 4 && format[j] >= '0' && format[j] <= '7') ++j;
        if (j == i + 1 && j < format.size()) ++j;
        bool stop = false;
        io.out += Unescape(std::string_view(format).substr(i, j - i), &stop, false);
        if (stop) return status;
        i = j - 1;
        continue;
      }
      if (c != '%' || i + 1 >= format.size()) {
        io.out += c;
        continue;
      }
      // %[flags][width][.precision]conv
      size_t j = i + 1;
      while (j < format.size() &&
             std::string_view("-+ #0123456789.").find(format[j]) != std::string_view::npos) {
        ++j;
      }
      if (j >= format.size()) break;
      char conv = format[j];
      std::string spec = format.substr(i, j - i);
      std::string arg = next < argv.size() ? argv[next] : "";
      if (conv != '%') ++next;
      char buf[512];
      if (conv == '%') {
        io.out += '%';
      } else if (conv == 's') {
        std::snprintf(buf, sizeof buf, (spec + "s").c_str(), arg.c_str());
        io.out += buf;
      } else if (conv == 'b') {
        bool stop = false;
        io.out += Unescape(arg, &stop, true);
      } else if (conv == 'c') {
        if (!arg.empty()) io.out += arg[0];
      } else if (conv == 'd' || conv == 'i' || conv == 'x' || conv == 'X' || conv == 'o' ||
                 conv == 'u') {
        long long v = 0;
        if (!arg.empty()) {
          auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), v);
          if (ec != std::errc() || p != arg.data() + arg.size()) {
            io.err += "printf: " + arg + ": expected numeric value\n";
            status = 1;
          }
        }
        std::snprintf(buf, sizeof buf, (spec + "ll" + conv).c_str(), v);
        io.out += buf;
      } else {
        s.Note(s.text + ": printf %" + std::string(1, conv) + " is not modelled");
        io.out += arg;
      }
      i = j;
    }
  } while (next > 2 && next < argv.size());
  return status;
}

// Reads one operand of cat/head/tee: its text, or unknown content (a synthetic file) as bytes.
struct Input {
  std::optional<std::string> text;
  std::optional<FileContent> bytes;
  std::string error;  // errno code
};

Input ReadInput(const Shell& s, const std::string& path, const Io& io) {
  Input in;
  if (path == "-" || path == "/dev/stdin") {
    if (io.in_binary) {
      in.bytes = *io.in_binary;
    } else if (io.in_unknown) {
      in.bytes = FileContent::Synthetic("unknown stdin", 0);
    } else {
      in.text = io.in.value_or("");
    }
    return in;
  }
  if (path == "/dev/null") {
    in.text = "";
    return in;
  }
  Result<Node> node = StatAt(s, path);
  if (!node) {
    in.error = node.Error().code;
    return in;
  }
  if (node->kind == NodeKind::kDirectory) {
    in.error = "EISDIR";
    return in;
  }
  Result<std::string> text = s.ReadText(path);
  if (text) {
    in.text = *text;
  } else {
    in.bytes = FileContent{node->digest, node->size};
  }
  return in;
}

int Cat(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "");
  std::vector<std::string> files = o.operands;
  if (files.empty()) files.push_back("-");
  int status = 0;
  std::string text;
  std::vector<FileContent> bytes;
  for (const std::string& f : files) {
    Input in = ReadInput(s, f, io);
    if (!in.error.empty()) {
      io.err += Busybox(s) && in.error == "ENOENT"
                    ? "cat: can't open " + Q(f) + ": No such file or directory\n"
                    : "cat: " + f + ": " + std::string(ErrnoText(in.error)) + "\n";
      status = 1;
      continue;
    }
    if (in.bytes) {
      bytes.push_back(*in.bytes);
    } else {
      text += *in.text;
    }
  }
  if (bytes.empty()) {
    io.out += text;
  } else if (bytes.size() == 1 && text.empty()) {
    io.binary = bytes[0];
  } else {
    uint64_t size = text.size();
    std::string what = "cat";
    for (const FileContent& b : bytes) {
      size += b.size;
      what += " " + b.digest;
    }
    io.binary = FileContent::Synthetic(what, size);
  }
  return status;
}

int Tee(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "");
  bool append = o.Has('a') || o.HasLong("--append");
  int status = 0;
  if (io.in_binary) {
    // Bytes the model describes (head -c N /dev/zero | tee f): the same content to each file.
    for (const std::string& f : o.operands) {
      s.Prepare(f);
      Result<Node> old = s.View().Stat(s.Abs(f));
      FileContent content = *io.in_binary;
      if (append && old && old->size > 0) {
        content = FileContent::Synthetic("tee -a " + old->digest + " " + content.digest,
                                         old->size + content.size);
      }
      Status w = s.Layer().WriteFile(s.Abs(f), content, kFileMode, s.owner);
      if (!w) {
        io.err += "tee: " + f + ": " + std::string(ErrnoText(w.Error())) + "\n";
        status = 1;
      }
    }
    io.binary = io.in_binary;
    return status;
  }
  if (io.in_unknown) {
    s.Opaque("tee of content the model does not hold");
    return 0;
  }
  std::string text = io.in.value_or("");
  for (const std::string& f : o.operands) {
    std::string old;
    if (append) {
      Result<std::string> prior = s.ReadText(f);
      if (prior) old = *prior;
    }
    Status w = s.WriteText(f, old + text);
    if (!w) {
      io.err += "tee: " + f + ": " + std::string(ErrnoText(w.Error())) + "\n";
      status = 1;
    }
  }
  io.out += text;
  return status;
}

// ---- mkdir, touch, rm, mv, cp, ln ------------------------------------------------------------

int Mkdir(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "m", {"--mode"});
  bool parents = o.Has('p') || o.HasLong("--parents");
  bool verbose = o.Has('v') || o.HasLong("--verbose");
  std::optional<std::string> mode_text =
      o.values.count('m') ? std::optional(o.values['m']) : o.LongValue("--mode");
  uint32_t mode = kDirMode;
  if (mode_text) {
    std::optional<uint32_t> m = ApplyMode(0777, *mode_text, true);
    if (!m) {
      io.err += "mkdir: invalid mode " + Q(*mode_text) + "\n";
      return 1;
    }
    // A symbolic mode starts from 0777 minus the umask; an octal one is exact.
    mode = (*mode_text)[0] >= '0' && (*mode_text)[0] <= '7' ? *m : (*m & ~022u);
  }
  if (o.operands.empty()) {
    io.err += "mkdir: missing operand\n";
    return 1;
  }
  int status = 0;
  for (const std::string& dir : o.operands) {
    std::string abs = s.Abs(dir);
    std::string code;
    s.Prepare(abs);
    if (s.IsSkeleton(abs)) {
      // A standard directory of the base system: it exists in the real image.
      if (!parents) {
        io.err += std::string("mkdir: ") + (Busybox(s) ? "can't" : "cannot") +
                  " create directory " + Q(dir) + ": File exists\n";
        status = 1;
      }
      continue;
    }
    Result<std::string> clean = CleanPath(abs);
    if (clean && !s.Root()) {
      // The nearest existing ancestor must be writable.
      std::string p = ParentOf(*clean);
      while (p != "/" && !s.View().Stat(p).Ok()) p = ParentOf(p);
      bool exists = s.View().Stat(*clean).Ok();
      if (!(parents && exists) && !s.CanWriteDir(p)) code = "EACCES";
    }
    if (code.empty()) {
      Status made = s.Layer().Mkdir(abs, parents, mode, s.owner);
      if (!made) code = made.Error().code;
    }
    if (!code.empty()) {
      io.err += std::string("mkdir: ") + (Busybox(s) ? "can't" : "cannot") + " create directory " +
                Q(dir) + ": " + std::string(ErrnoText(code)) + "\n";
      status = 1;
    } else if (verbose) {
      io.out += "mkdir: created directory " + Q(dir) + "\n";
    }
  }
  return status;
}

int Touch(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "drt", {"--date", "--reference"});
  bool no_create = o.Has('c') || o.HasLong("--no-create");
  int status = 0;
  if (o.operands.empty()) {
    io.err += "touch: missing file operand\n";
    return 1;
  }
  for (const std::string& f : o.operands) {
    s.Prepare(f);
    Result<Resolved> where = s.View().Resolve(s.Abs(f), true, "touch");
    std::string code;
    if (!where) {
      code = where.Error().code;
    } else if (!where->node && !no_create) {
      if (!s.CanWriteDir(ParentOf(where->path))) {
        code = "EACCES";
      } else {
        Status w = s.Layer().WriteFile(where->path, FileContent::Bytes(""), kFileMode, s.owner);
        if (!w) code = w.Error().code;
      }
    }
    // Timestamps are not modelled: touching an existing file changes nothing.
    if (!code.empty()) {
      io.err += Busybox(s)
                    ? "touch: " + f + ": " + std::string(ErrnoText(code)) + "\n"
                    : "touch: cannot touch " + Q(f) + ": " + std::string(ErrnoText(code)) + "\n";
      status = 1;
    }
  }
  return status;
}

int Rm(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "");
  bool recursive = o.Has('r') || o.Has('R') || o.HasLong("--recursive");
  bool force = o.Has('f') || o.HasLong("--force");
  bool dirs = o.Has('d') || o.HasLong("--dir");
  int status = 0;
  if (o.operands.empty() && !force) {
    io.err += "rm: missing operand\n";
    return 1;
  }
  auto fail = [&](const std::string& f, std::string_view why) {
    io.err += std::string("rm: ") + (Busybox(s) ? "can't" : "cannot") + " remove " + Q(f) + ": " +
              std::string(why) + "\n";
    status = 1;
  };
  for (const std::string& f : o.operands) {
    Result<std::string> clean = CleanPath(s.Abs(f));
    if (clean && *clean == "/" && recursive) {
      io.err += Busybox(s) ? "rm: can't remove '/'\n"
                           : "rm: it is dangerous to operate recursively on '/'\n"
                             "rm: use --no-preserve-root to override this failsafe\n";
      status = 1;
      continue;
    }
    Result<Node> node = s.View().Lstat(s.Abs(f));
    if (!node) {
      if (!force) fail(f, ErrnoText(node.Error()));
      continue;
    }
    if (node->kind == NodeKind::kDirectory && !recursive) {
      if (!dirs || s.View().HasChildren(*clean)) {
        fail(f, dirs ? "Directory not empty" : "Is a directory");
        continue;
      }
    }
    if (!s.CanWriteDir(ParentOf(*clean))) {
      fail(f, "Permission denied");
      continue;
    }
    Status removed = s.Layer().Remove(s.Abs(f), recursive);
    if (!removed) fail(f, ErrnoText(removed.Error()));
  }
  return status;
}

// The destination of cp/mv/ln for one source: into `dest` when it is a directory.
std::string Destination(Shell& s, const std::string& source, const std::string& dest,
                        bool into_allowed = true) {
  s.Prepare(dest, /*self=*/true);
  Result<Node> node = StatAt(s, dest);
  if (into_allowed && node && node->kind == NodeKind::kDirectory) {
    Result<std::string> clean = CleanPath(s.Abs(source));
    return JoinPath(s.Abs(dest), clean ? BaseOf(*clean) : source);
  }
  return s.Abs(dest);
}

int Mv(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "tS", {"--target-directory", "--suffix"});
  if (o.operands.size() < 2) {
    io.err += "mv: missing destination file operand\n";
    return 1;
  }
  std::string dest = o.operands.back();
  int status = 0;
  for (size_t i = 0; i + 1 < o.operands.size(); ++i) {
    const std::string& src = o.operands[i];
    Result<Node> node = s.View().Lstat(s.Abs(src));
    if (!node) {
      io.err +=
          Busybox(s)
              ? "mv: can't rename " + Q(src) + ": " + std::string(ErrnoText(node.Error())) + "\n"
              : "mv: cannot stat " + Q(src) + ": " + std::string(ErrnoText(node.Error())) + "\n";
      status = 1;
      continue;
    }
    std::string to = Destination(s, src, dest);
    // mv over an existing file replaces it; over an existing directory only if empty.
    Status moved = s.Layer().Rename(s.Abs(src), to);
    if (!moved) {
      io.err += std::string("mv: ") + (Busybox(s) ? "can't" : "cannot") + " move " + Q(src) +
                " to " + Q(to) + ": " + std::string(ErrnoText(moved.Error())) + "\n";
      status = 1;
    }
  }
  return status;
}

Status CopyNode(Shell& s, const Node& node, const std::string& to, bool preserve) {
  Owner owner = preserve && s.Root() ? Owner{node.uid, node.gid} : s.owner;
  switch (node.kind) {
    case NodeKind::kFile: {
      uint32_t mode = preserve ? node.mode : (node.mode & ~022u & 0777);
      Result<Node> existing = s.View().Stat(to);
      Status w = s.Layer().WriteFile(to, FileContent{node.digest, node.size}, mode, owner);
      if (w && preserve && existing) {
        Status m = s.Layer().Chmod(to, mode);
        if (!m) return m;
        return s.Layer().Chown(to, owner);
      }
      return w;
    }
    case NodeKind::kDirectory: {
      Result<Node> existing = s.View().Stat(to);
      if (existing && existing->kind == NodeKind::kDirectory) return OkStatus();
      return s.Layer().Mkdir(to, false, preserve ? node.mode : (node.mode & ~022u), owner);
    }
    case NodeKind::kSymlink:
      return s.Layer().Symlink(node.target, to, owner);
  }
  return OkStatus();
}

int Cp(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "tS", {"--target-directory", "--suffix"});
  bool recursive =
      o.Has('r') || o.Has('R') || o.Has('a') || o.HasLong("--recursive") || o.HasLong("--archive");
  bool preserve = o.Has('a') || o.Has('p') || o.HasLong("--archive") || o.HasLong("--preserve");
  bool no_deref = o.Has('a') || o.Has('P') || o.Has('d') || recursive;
  if (o.operands.size() < 2) {
    io.err += o.operands.empty()
                  ? "cp: missing file operand\n"
                  : "cp: missing destination file operand after " + Q(o.operands[0]) + "\n";
    return 1;
  }
  std::string dest = o.operands.back();
  int status = 0;
  auto fail = [&](std::string message) {
    io.err += "cp: " + message + "\n";
    status = 1;
  };
  for (size_t i = 0; i + 1 < o.operands.size(); ++i) {
    const std::string& src = o.operands[i];
    Result<Node> node = no_deref ? s.View().Lstat(s.Abs(src)) : StatAt(s, src);
    if (!node) {
      fail(Busybox(s) ? "can't stat " + Q(src) + ": " + std::string(ErrnoText(node.Error()))
                      : "cannot stat " + Q(src) + ": " + std::string(ErrnoText(node.Error())));
      continue;
    }
    if (node->kind == NodeKind::kDirectory && !recursive) {
      fail(Busybox(s) ? "omitting directory " + Q(src)
                      : "-r not specified; omitting directory " + Q(src));
      continue;
    }
    std::string to = Destination(s, src, dest);
    Result<std::string> from_clean = CleanPath(s.Abs(src));
    Result<std::string> to_clean = CleanPath(to);
    if (!from_clean || !to_clean) continue;
    if (!s.CanWriteDir(ParentOf(*to_clean))) {
      fail((Busybox(s) ? "can't create " : "cannot create regular file ") + Q(to) +
           ": Permission denied");
      continue;
    }
    if (node->kind != NodeKind::kDirectory) {
      Status c = CopyNode(s, *node, *to_clean, preserve);
      if (!c) {
        fail((Busybox(s) ? "can't create " : "cannot create regular file ") + Q(to) + ": " +
             std::string(ErrnoText(c.Error())));
      }
      continue;
    }
    if (IsAtOrBelow(*to_clean, *from_clean)) {
      fail("cannot copy a directory, " + Q(src) + ", into itself, " + Q(to));
      continue;
    }
    // Copy the real directory's entries (a symlink given on the command line is followed).
    Result<Resolved> real = s.View().Resolve(*from_clean, true, "cp");
    if (!real || !real->node) continue;
    std::vector<std::string> paths = Walk(s, real->path);
    for (const std::string& p : paths) {
      const Node* n = s.View().Find(p);
      if (!n) continue;
      std::string rel = p.substr(real->path.size());
      std::string target = *to_clean + rel;
      Status c = CopyNode(s, *n, target, preserve);
      if (!c) {
        fail("cannot create " + Q(target) + ": " + std::string(ErrnoText(c.Error())));
        break;
      }
    }
  }
  return status;
}

int Ln(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "tS", {"--target-directory", "--suffix"});
  bool symbolic = o.Has('s') || o.HasLong("--symbolic");
  bool force = o.Has('f') || o.HasLong("--force");
  bool no_deref = o.Has('n') || o.Has('T') || o.HasLong("--no-dereference");
  if (o.operands.empty()) {
    io.err += "ln: missing file operand\n";
    return 1;
  }
  std::vector<std::string> targets = o.operands;
  std::string dest;
  if (targets.size() == 1) {
    Result<std::string> clean = CleanPath(s.Abs(targets[0]));
    dest = clean ? JoinPath(s.cwd, BaseOf(*clean)) : targets[0];
  } else {
    dest = targets.back();
    targets.pop_back();
  }
  int status = 0;
  s.Prepare(dest, /*self=*/true);
  for (const std::string& target : targets) {
    std::string link;
    Result<Node> dnode = no_deref ? s.View().Lstat(s.Abs(dest)) : StatAt(s, dest);
    if (dnode && dnode->kind == NodeKind::kDirectory) {
      std::string t = target;
      while (t.size() > 1 && t.ends_with('/')) t.pop_back();
      link =
          JoinPath(s.Abs(dest), t.substr(t.rfind('/') == std::string::npos ? 0 : t.rfind('/') + 1));
    } else {
      link = s.Abs(dest);
    }
    Result<Node> existing = s.View().Lstat(link);
    if (existing) {
      if (!force) {
        io.err += Busybox(s)
                      ? "ln: " + link + ": File exists\n"
                      : std::string("ln: failed to create ") + (symbolic ? "symbolic" : "hard") +
                            " link " + Q(link) + ": File exists\n";
        status = 1;
        continue;
      }
      if (existing->kind == NodeKind::kDirectory) {
        io.err += "ln: " + Q(link) + ": cannot overwrite directory\n";
        status = 1;
        continue;
      }
      (void)s.Layer().Remove(link);
    }
    Status made = OkStatus();
    if (symbolic) {
      made = s.Layer().Symlink(target, link, s.owner);
    } else {
      // Hard links are not modelled in a working layer: a copy of the file stands in (the
      // layer then counts its bytes twice, where Docker counts a hard link once).
      Result<Node> src = StatAt(s, target);
      if (!src) {
        io.err +=
            "ln: failed to access " + Q(target) + ": " + std::string(ErrnoText(src.Error())) + "\n";
        status = 1;
        continue;
      }
      if (src->kind == NodeKind::kDirectory) {
        io.err += "ln: " + Q(target) + ": hard link not allowed for directory\n";
        status = 1;
        continue;
      }
      s.Note(s.text + ": a hard link is modelled as a copy");
      made = s.Layer().WriteFile(link, FileContent{src->digest, src->size}, src->mode,
                                 Owner{src->uid, src->gid});
    }
    if (!made) {
      io.err += std::string("ln: failed to create ") + (symbolic ? "symbolic" : "hard") + " link " +
                Q(link) + ": " + std::string(ErrnoText(made.Error())) + "\n";
      status = 1;
    }
  }
  return status;
}

// ---- chmod, chown ----------------------------------------------------------------------------

int Chmod(Shell& s, const Args& argv, Io& io) {
  // A mode such as -x or -w looks like an option: take the first word that is not -R/-v/-f/-c
  // as the mode when it parses as one.
  bool recursive = false;
  std::optional<std::string> mode;
  std::vector<std::string> files;
  bool done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!done && a == "--") {
      done = true;
      continue;
    }
    if (!done && (a == "-R" || a == "--recursive")) {
      recursive = true;
      continue;
    }
    if (!done && (a == "-v" || a == "-f" || a == "-c" || a == "--verbose" || a == "--silent" ||
                  a == "--quiet" || a == "--changes")) {
      continue;
    }
    if (!mode) {
      mode = a;
    } else {
      files.push_back(a);
    }
  }
  if (!mode || files.empty()) {
    io.err += mode ? "chmod: missing operand after " + Q(*mode) + "\n" : "chmod: missing operand\n";
    return 1;
  }
  if (!ApplyMode(0644, *mode, false)) {
    io.err += "chmod: invalid mode: " + Q(*mode) + "\n";
    return 1;
  }
  int status = 0;
  for (const std::string& f : files) {
    s.Prepare(f, /*self=*/true);
    Result<Node> node = StatAt(s, f);
    if (!node) {
      io.err += Busybox(s) ? "chmod: " + f + ": " + std::string(ErrnoText(node.Error())) + "\n"
                           : "chmod: cannot access " + Q(f) + ": " +
                                 std::string(ErrnoText(node.Error())) + "\n";
      status = 1;
      continue;
    }
    Result<Resolved> real = s.View().Resolve(s.Abs(f), true, "chmod");
    std::vector<std::string> paths = recursive && node->kind == NodeKind::kDirectory
                                         ? Walk(s, real->path)
                                         : std::vector<std::string>{real->path};
    for (const std::string& p : paths) {
      const Node* n = s.View().Find(p);
      if (!n || n->kind == NodeKind::kSymlink) continue;  // -R does not follow symlinks
      if (!s.Root() && n->uid != s.owner.uid) {
        io.err += "chmod: changing permissions of " + Q(p == real->path ? f : p) +
                  ": Operation not permitted\n";
        status = 1;
        continue;
      }
      std::optional<uint32_t> m = ApplyMode(n->mode, *mode, n->kind == NodeKind::kDirectory);
      if (m && *m != n->mode) (void)s.Layer().Chmod(p, *m);
    }
  }
  return status;
}

int Chown(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "", {"--reference"});
  bool recursive = o.Has('R') || o.HasLong("--recursive");
  bool no_deref = o.Has('h') || o.HasLong("--no-dereference");
  if (o.operands.size() < 2) {
    io.err += o.operands.empty() ? "chown: missing operand\n"
                                 : "chown: missing operand after " + Q(o.operands[0]) + "\n";
    return 1;
  }
  std::string spec = o.operands[0];
  int status = 0;
  for (size_t i = 1; i < o.operands.size(); ++i) {
    const std::string& f = o.operands[i];
    s.Prepare(f, /*self=*/true);
    Result<Node> node = no_deref ? s.View().Lstat(s.Abs(f)) : StatAt(s, f);
    if (!node) {
      io.err += Busybox(s) ? "chown: " + f + ": " + std::string(ErrnoText(node.Error())) + "\n"
                           : "chown: cannot access " + Q(f) + ": " +
                                 std::string(ErrnoText(node.Error())) + "\n";
      status = 1;
      continue;
    }
    bool set_uid = false;
    bool set_gid = false;
    Result<Owner> owner = ParseOwner(s, spec, Owner{node->uid, node->gid}, &set_uid, &set_gid);
    if (!owner) {
      io.err += owner.Error().message + "\n";
      return 1;
    }
    Result<Resolved> real = s.View().Resolve(s.Abs(f), !no_deref, "chown");
    std::vector<std::string> paths = recursive && node->kind == NodeKind::kDirectory
                                         ? Walk(s, real->path)
                                         : std::vector<std::string>{real->path};
    for (const std::string& p : paths) {
      const Node* n = s.View().Find(p);
      if (!n) continue;
      Owner next{set_uid ? owner->uid : n->uid, set_gid ? owner->gid : n->gid};
      if (!s.Root()) {
        io.err += "chown: changing ownership of " + Q(p == real->path ? f : p) +
                  ": Operation not permitted\n";
        status = 1;
        break;
      }
      if (next.uid != n->uid || next.gid != n->gid) {
        // -R changes symlinks themselves (lchown), as GNU chown -R does without -L.
        (void)s.Layer().Chown(p, next, n->kind != NodeKind::kSymlink);
      }
    }
  }
  return status;
}

// ---- sized files: head -c, dd, fallocate, truncate -------------------------------------------

bool IsDevice(std::string_view path) {
  return path == "/dev/zero" || path == "/dev/urandom" || path == "/dev/random";
}

int Head(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "cn", {"--bytes", "--lines"});
  std::optional<std::string> bytes =
      o.values.count('c') ? std::optional(o.values['c']) : o.LongValue("--bytes");
  std::vector<std::string> files = o.operands;
  if (files.empty()) files.push_back("-");
  if (bytes) {
    std::optional<uint64_t> n = plan::ParseSize(*bytes);
    if (!n) {
      io.err += "head: invalid number of bytes: " + Q(*bytes) + "\n";
      return 1;
    }
    if (files.size() == 1 && IsDevice(files[0])) {
      io.binary = FileContent::Synthetic("head -c " + std::to_string(*n) + " " + files[0], *n);
      return 0;
    }
    Input in = ReadInput(s, files[0], io);
    if (!in.error.empty()) {
      io.err += "head: cannot open " + Q(files[0]) +
                " for reading: " + std::string(ErrnoText(in.error)) + "\n";
      return 1;
    }
    if (in.text) {
      io.out += in.text->substr(0, *n);
    } else {
      io.binary =
          FileContent::Synthetic("head -c " + std::to_string(*n) + " of " + in.bytes->digest,
                                 std::min(*n, in.bytes->size));
    }
    return 0;
  }
  std::string lines_text =
      o.values.count('n') ? o.values['n'] : o.LongValue("--lines").value_or("10");
  uint64_t lines = 10;
  if (auto n = plan::ParseSize(lines_text)) lines = *n;
  int status = 0;
  for (const std::string& f : files) {
    if (IsDevice(f)) {
      s.Opaque("head of a device by lines");
      return 0;
    }
    Input in = ReadInput(s, f, io);
    if (!in.error.empty()) {
      io.err +=
          "head: cannot open " + Q(f) + " for reading: " + std::string(ErrnoText(in.error)) + "\n";
      status = 1;
      continue;
    }
    if (!in.text) {
      s.Opaque("head -n of content the model does not hold");
      return 0;
    }
    if (files.size() > 1) io.out += "==> " + f + " <==\n";
    size_t pos = 0;
    for (uint64_t k = 0; k < lines && pos < in.text->size(); ++k) {
      size_t eol = in.text->find('\n', pos);
      pos = eol == std::string::npos ? in.text->size() : eol + 1;
    }
    io.out += in.text->substr(0, pos);
  }
  return status;
}

int Dd(Shell& s, const Args& argv, Io& io) {
  std::map<std::string, std::string> ops;
  for (size_t i = 1; i < argv.size(); ++i) {
    size_t eq = argv[i].find('=');
    if (eq == std::string::npos) {
      io.err += "dd: unrecognized operand " + Q(argv[i]) + "\n";
      return 1;
    }
    ops[argv[i].substr(0, eq)] = argv[i].substr(eq + 1);
  }
  std::string input = ops.count("if") ? ops["if"] : "-";
  if (!ops.count("bs") || !ops.count("count") || !IsDevice(input) || ops.count("seek") ||
      ops.count("skip") || ops.count("conv") || ops.count("ibs") || ops.count("obs")) {
    s.Opaque("dd other than bs= count= from /dev/zero or /dev/urandom");
    return 0;
  }
  std::optional<uint64_t> bs = plan::ParseSize(ops["bs"]);
  std::optional<uint64_t> count = plan::ParseSize(ops["count"]);
  if (!bs || !count || *bs == 0 || (*count != 0 && *bs > UINT64_MAX / *count)) {
    io.err += "dd: invalid number: " + Q(!bs ? ops["bs"] : ops["count"]) + "\n";
    return 1;
  }
  uint64_t size = *bs * *count;
  FileContent content =
      FileContent::Synthetic("dd if=" + input + " " + std::to_string(size) + " bytes", size);
  if (ops.count("of")) {
    const std::string& of = ops["of"];
    s.Prepare(of);
    Result<Resolved> where = s.View().Resolve(s.Abs(of), true, "dd");
    std::string code;
    if (!where) {
      code = where.Error().code;
    } else if (!where->node && !s.CanWriteDir(ParentOf(where->path))) {
      code = "EACCES";
    } else {
      Status w = s.Layer().WriteFile(s.Abs(of), content, kFileMode, s.owner);
      if (!w) code = w.Error().code;
    }
    if (!code.empty()) {
      io.err += "dd: failed to open " + Q(of) + ": " + std::string(ErrnoText(code)) + "\n";
      return 1;
    }
  } else {
    io.binary = content;
  }
  // GNU dd ends with "N bytes (...) copied, T s, R MB/s"; the timing is left out.
  io.err +=
      std::to_string(*count) + "+0 records in\n" + std::to_string(*count) + "+0 records out\n";
  return 0;
}

int SizeFile(Shell& s, const Args& argv, Io& io, bool fallocate) {
  std::string_view name = fallocate ? "fallocate" : "truncate";
  Opts o = fallocate ? ParseOpts(argv, "lo", {"--length", "--offset"})
                     : ParseOpts(argv, "sr", {"--size", "--reference"});
  char size_flag = fallocate ? 'l' : 's';
  std::optional<std::string> size_text = o.values.count(size_flag)
                                             ? std::optional(o.values[size_flag])
                                             : o.LongValue(fallocate ? "--length" : "--size");
  if (!size_text || o.values.count(fallocate ? 'o' : 'r') || o.operands.empty() ||
      (fallocate && o.operands.size() != 1)) {
    s.Opaque(std::string(name) + " other than -" + size_flag + " SIZE FILE");
    return 0;
  }
  std::optional<uint64_t> size = plan::ParseSize(*size_text);
  if (!size) {
    io.err += std::string(name) + ": invalid " + (fallocate ? "length" : "number") +
              " value: " + Q(*size_text) + "\n";
    return 1;
  }
  bool no_create = !fallocate && (o.Has('c') || o.HasLong("--no-create"));
  int status = 0;
  for (const std::string& f : o.operands) {
    s.Prepare(f);
    Result<Resolved> where = s.View().Resolve(s.Abs(f), true, std::string(name));
    std::string code;
    uint64_t bytes = *size;
    if (!where) {
      code = where.Error().code;
    } else if (where->node && where->node->kind == NodeKind::kDirectory) {
      code = "EISDIR";
    } else if (!where->node && no_create) {
      continue;
    } else if (!where->node && !s.CanWriteDir(ParentOf(where->path))) {
      code = "EACCES";
    } else {
      // fallocate never shrinks a file; truncate sets the size either way.
      if (fallocate && where->node) bytes = std::max(bytes, where->node->size);
      FileContent content =
          FileContent::Synthetic(std::string(name) + " " + std::to_string(bytes) + " bytes", bytes);
      Status w = s.Layer().WriteFile(where->path, content, kFileMode, s.owner);
      if (!w) code = w.Error().code;
    }
    if (!code.empty()) {
      io.err += fallocate
                    ? "fallocate: cannot open " + f + ": " + std::string(ErrnoText(code)) + "\n"
                    : "truncate: cannot open " + Q(f) +
                          " for writing: " + std::string(ErrnoText(code)) + "\n";
      status = 1;
    }
  }
  return status;
}

int Fallocate(Shell& s, const Args& argv, Io& io) { return SizeFile(s, argv, io, true); }
int Truncate(Shell& s, const Args& argv, Io& io) { return SizeFile(s, argv, io, false); }

// ---- ls, test, which, printenv, sleep, tar ---------------------------------------------------

int Ls(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "");
  bool all = o.Has('a');
  bool almost = o.Has('A');
  bool dir_itself = o.Has('d');
  if (o.Has('l') || o.Has('s') || o.Has('i')) {
    s.Note(s.text + ": ls shows names only (no long listing)");
  }
  std::vector<std::string> paths = o.operands;
  if (paths.empty()) paths.push_back(".");
  int status = 0;
  std::vector<std::string> files;
  std::vector<std::string> dirs;
  for (const std::string& p : paths) {
    Result<Node> node = StatAt(s, p);
    if (s.IsSkeleton(p)) node = DirectoryNode();
    if (!node) {
      Result<Node> link = s.View().Lstat(s.Abs(p));
      if (link) {
        files.push_back(p);
        continue;
      }
      io.err += Busybox(s) ? "ls: " + p + ": " + std::string(ErrnoText(node.Error())) + "\n"
                           : "ls: cannot access " + Q(p) + ": " +
                                 std::string(ErrnoText(node.Error())) + "\n";
      status = Busybox(s) ? 1 : 2;
      continue;
    }
    if (node->kind == NodeKind::kDirectory && !dir_itself) {
      dirs.push_back(p);
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  std::sort(dirs.begin(), dirs.end());
  for (const std::string& f : files) io.out += f + "\n";
  bool headers = files.size() + dirs.size() > 1 || status != 0;
  for (size_t i = 0; i < dirs.size(); ++i) {
    if (headers) io.out += (i > 0 || !files.empty() ? "\n" : "") + dirs[i] + ":\n";
    Result<std::vector<std::string>> names = s.View().ReadDir(s.Abs(dirs[i]));
    if (!names) continue;
    std::vector<std::string> shown;
    if (all) shown = {".", ".."};
    for (const std::string& n : *names) {
      if (n.starts_with('.') && !all && !almost) continue;
      shown.push_back(n);
    }
    std::sort(shown.begin(), shown.end());
    for (const std::string& n : shown) io.out += n + "\n";
  }
  return status;
}

int Test(Shell& s, const Args& argv, Io& io) {
  std::vector<std::string> a(argv.begin() + 1, argv.end());
  std::string name = std::string(Basename(argv[0]));
  if (name == "[") {
    if (a.empty() || a.back() != "]") {
      io.err += s.ShellPrefix() + "[: missing ]\n";
      return 2;
    }
    a.pop_back();
  }
  bool negate = false;
  while (!a.empty() && a[0] == "!" && a.size() > 1) {
    negate = !negate;
    a.erase(a.begin());
  }
  auto number = [](const std::string& t, long long* v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *v);
    return ec == std::errc() && p == t.data() + t.size();
  };
  bool result = false;
  if (a.empty()) {
    result = false;
  } else if (a.size() == 1) {
    result = !a[0].empty();
  } else if (a.size() == 2) {
    const std::string& op = a[0];
    const std::string& path = a[1];
    Result<Node> st = s.View().Stat(s.Abs(path));
    Result<Node> lst = s.View().Lstat(s.Abs(path));
    if (s.IsSkeleton(path)) st = lst = DirectoryNode();
    auto perm = [&](uint32_t owner_bit) {
      if (!st) return false;
      if (s.Root())
        return owner_bit != 0111 || (st->mode & 0111) != 0 || st->kind == NodeKind::kDirectory;
      uint32_t shift = st->uid == s.owner.uid ? 6 : st->gid == s.owner.gid ? 3 : 0;
      return ((st->mode >> shift) & (owner_bit >> 6)) != 0;
    };
    bool file_op = op != "-z" && op != "-n";
    if (file_op && !lst && s.UnknownBefore()) {
      // A command the model does not know may have made it: the answer is not known.
      s.Opaque(path + " is missing, but a command the model does not know may have made it");
      return 0;
    }
    if (op == "-e" || op == "-a") {
      result = st.Ok();
    } else if (op == "-f") {
      result = st && st->kind == NodeKind::kFile;
    } else if (op == "-d") {
      result = st && st->kind == NodeKind::kDirectory;
    } else if (op == "-L" || op == "-h") {
      result = lst && lst->kind == NodeKind::kSymlink;
    } else if (op == "-s") {
      result = st && st->kind == NodeKind::kFile && st->size > 0;
    } else if (op == "-x") {
      result = perm(0100);
    } else if (op == "-r") {
      result = perm(0400);
    } else if (op == "-w") {
      result = perm(0200);
    } else if (op == "-z") {
      result = path.empty();
    } else if (op == "-n") {
      result = !path.empty();
    } else {
      io.err += s.ShellPrefix() + name + ": " + op + ": unexpected operator\n";
      return 2;
    }
  } else if (a.size() == 3) {
    const std::string& op = a[1];
    long long x = 0;
    long long y = 0;
    if (op == "=" || op == "==") {
      result = a[0] == a[2];
    } else if (op == "!=") {
      result = a[0] != a[2];
    } else if (op == "-eq" || op == "-ne" || op == "-lt" || op == "-gt" || op == "-le" ||
               op == "-ge") {
      if (!number(a[0], &x) || !number(a[2], &y)) {
        io.err +=
            s.ShellPrefix() + name + ": Illegal number: " + (number(a[0], &x) ? a[2] : a[0]) + "\n";
        return 2;
      }
      result = op == "-eq"   ? x == y
               : op == "-ne" ? x != y
               : op == "-lt" ? x < y
               : op == "-gt" ? x > y
               : op == "-le" ? x <= y
                             : x >= y;
    } else {
      s.Opaque("a test expression the model does not evaluate");
      return 0;
    }
  } else {
    s.Opaque("a test expression the model does not evaluate");
    return 0;
  }
  return (result != negate) ? 0 : 1;
}

int Which(Shell& s, const Args& argv, Io& io) {
  int status = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].starts_with('-')) continue;
    std::string path = s.Var("PATH").value_or("");
    std::string found;
    size_t start = 0;
    while (start <= path.size() && found.empty()) {
      size_t colon = path.find(':', start);
      if (colon == std::string::npos) colon = path.size();
      std::string candidate = JoinPath(path.substr(start, colon - start), argv[i]);
      Result<Node> node = s.View().Stat(candidate);
      if (node && node->kind == NodeKind::kFile && (node->mode & 0111)) found = candidate;
      start = colon + 1;
    }
    if (found.empty() && (s.unknown_installs || s.UnknownBefore())) {
      // A package or a command the model does not know may have brought it.
      s.Opaque(argv[i] +
               " is not in the image's files, but may have been brought by what the "
               "model does not know");
      continue;
    }
    if (found.empty()) {
      status = 1;
    } else {
      io.out += found + "\n";
    }
  }
  return status;
}

int Printenv(Shell& s, const Args& argv, Io& io) {
  std::vector<std::pair<std::string, std::string>> env = s.Environment();
  if (argv.size() == 1) {
    for (const auto& [k, v] : env) io.out += k + "=" + v + "\n";
    return 0;
  }
  int status = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    auto it =
        std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.first == argv[i]; });
    if (it == env.end()) {
      status = 1;
    } else {
      io.out += it->second + "\n";
    }
  }
  return status;
}

int Sleep(Shell&, const Args&, Io&) { return 0; }  // the virtual clock is not advanced

int Rmdir(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "");
  bool parents = o.Has('p') || o.HasLong("--parents");
  bool ignore = o.HasLong("--ignore-fail-on-non-empty");
  if (o.operands.empty()) {
    io.err += "rmdir: missing operand\n";
    return 1;
  }
  int status = 0;
  for (const std::string& d : o.operands) {
    std::vector<std::string> chain = {d};
    if (parents) {
      std::string p = d;
      while (p.find('/') != std::string::npos) {
        p = p.substr(0, p.rfind('/'));
        if (p.empty()) break;
        chain.push_back(p);
      }
    }
    for (const std::string& p : chain) {
      Result<Node> node = s.View().Lstat(s.Abs(p));
      std::string code;
      if (!node) {
        code = node.Error().code;
      } else if (node->kind != NodeKind::kDirectory) {
        code = "ENOTDIR";
      } else {
        Result<std::string> clean = CleanPath(s.Abs(p));
        if (clean && s.View().HasChildren(*clean)) {
          code = "ENOTEMPTY";
        } else if (clean && !s.CanWriteDir(ParentOf(*clean))) {
          code = "EACCES";
        } else {
          Status removed = s.Layer().Remove(s.Abs(p));
          if (!removed) code = removed.Error().code;
        }
      }
      if (!code.empty()) {
        if (!(ignore && code == "ENOTEMPTY")) {
          io.err += Busybox(s) ? "rmdir: '" + p + "': " + std::string(ErrnoText(code)) + "\n"
                               : "rmdir: failed to remove " + Q(p) + ": " +
                                     std::string(ErrnoText(code)) + "\n";
          status = 1;
        }
        break;
      }
    }
  }
  return status;
}

// install -d [-m MODE] [-o USER] [-g GROUP] DIR..., install [-m MODE] [-o] [-g] SRC... DEST.
int Install(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "mogt", {"--mode", "--owner", "--group", "--target-directory"});
  bool dirs = o.Has('d') || o.HasLong("--directory");
  uint32_t mode = 0755;
  if (o.values.count('m')) {
    std::optional<uint32_t> m = ApplyMode(0755, o.values['m'], dirs);
    if (!m) {
      io.err += "install: invalid mode " + Q(o.values['m']) + "\n";
      return 1;
    }
    mode = *m;
  }
  Owner owner = s.owner;
  if (o.values.count('o') || o.values.count('g')) {
    std::string spec = o.values.count('o') ? o.values['o'] : "";
    if (o.values.count('g')) spec += ":" + o.values['g'];
    bool set_uid = false;
    bool set_gid = false;
    Result<Owner> parsed = ParseOwner(s, spec, s.owner, &set_uid, &set_gid);
    if (!parsed) {
      io.err += "install: " + parsed.Error().message.substr(7) + "\n";
      return 1;
    }
    owner = *parsed;
  }
  if (o.operands.empty() || (!dirs && o.operands.size() < 2) || o.values.count('t')) {
    if (o.values.count('t')) {
      s.Opaque("install -t is not modelled");
      return 0;
    }
    io.err += "install: missing file operand\n";
    return 1;
  }
  int status = 0;
  if (dirs) {
    for (const std::string& d : o.operands) {
      s.Prepare(d);
      if (s.IsSkeleton(d)) s.Prepare(d, true);
      Status made = s.Layer().Mkdir(s.Abs(d), true, 0755, s.owner);
      if (!made) {
        io.err += "install: cannot create directory " + Q(d) + ": " +
                  std::string(ErrnoText(made.Error())) + "\n";
        status = 1;
        continue;
      }
      (void)s.Layer().Chmod(s.Abs(d), mode);
      if (s.Root()) (void)s.Layer().Chown(s.Abs(d), owner);
    }
    return status;
  }
  std::string dest = o.operands.back();
  for (size_t i = 0; i + 1 < o.operands.size(); ++i) {
    const std::string& src = o.operands[i];
    Result<Node> node = StatAt(s, src);
    if (!node || node->kind != NodeKind::kFile) {
      io.err += "install: cannot stat " + Q(src) + ": " +
                std::string(node ? "Is a directory" : ErrnoText(node.Error())) + "\n";
      status = 1;
      continue;
    }
    std::string to = Destination(s, src, dest);
    Status w = s.Layer().WriteFile(to, FileContent{node->digest, node->size}, mode, owner);
    if (w) {
      (void)s.Layer().Chmod(to, mode);
      if (s.Root()) (void)s.Layer().Chown(to, owner);
    } else {
      io.err += "install: cannot create regular file " + Q(to) + ": " +
                std::string(ErrnoText(w.Error())) + "\n";
      status = 1;
    }
  }
  return status;
}

// grep [-q] [-v] [-i] [-c] [-n] [-x] [-E|-F] [-e PATTERN] PATTERN [FILE...] on text the model
// holds; anything else (-r, -o, -l, content it does not hold) is opaque.
// A POSIX basic regular expression as an extended one: `\(`, `\)`, `\{`, `\}`, `\|`, `\+`,
// `\?` are the operators (GNU's extensions included), their plain forms literal.
static std::string BasicToExtended(std::string_view bre) {
  std::string out;
  for (size_t i = 0; i < bre.size(); ++i) {
    char c = bre[i];
    if (c == '\\' && i + 1 < bre.size() &&
        std::string_view("(){}|+?").find(bre[i + 1]) != std::string_view::npos) {
      out += bre[++i];
    } else if (std::string_view("(){}|+?").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (c == '\\' && i + 1 < bre.size()) {
      out += c;
      out += bre[++i];
    } else {
      out += c;
    }
  }
  return out;
}

int Grep(Shell& s, const Args& argv, Io& io) {
  Opts o = ParseOpts(argv, "e", {"--regexp"});
  for (char f : o.flags) {
    if (std::string_view("qsvicnxEFe").find(f) == std::string_view::npos) {
      s.Opaque("a grep option the model does not evaluate");
      return 0;
    }
  }
  for (const std::string& l : o.longs) {
    if (l != "--quiet" && l != "--silent" && l != "--invert-match" && l != "--ignore-case" &&
        l != "--count" && l != "--fixed-strings" && l != "--extended-regexp") {
      s.Opaque("a grep option the model does not evaluate");
      return 0;
    }
  }
  std::vector<std::string> operands = o.operands;
  std::string pattern;
  if (o.values.count('e')) {
    pattern = o.values['e'];
  } else if (auto v = o.LongValue("--regexp")) {
    pattern = *v;
  } else if (!operands.empty()) {
    pattern = operands.front();
    operands.erase(operands.begin());
  } else {
    io.err += "Usage: grep [OPTION]... PATTERNS [FILE]...\n";
    return 2;
  }
  bool quiet = o.Has('q') || o.HasLong("--quiet") || o.HasLong("--silent");
  bool invert = o.Has('v') || o.HasLong("--invert-match");
  bool icase = o.Has('i') || o.HasLong("--ignore-case");
  bool count = o.Has('c') || o.HasLong("--count");
  bool numbers = o.Has('n');
  bool whole = o.Has('x');
  bool fixed = o.Has('F') || o.HasLong("--fixed-strings");
  bool extended = o.Has('E') || o.HasLong("--extended-regexp");
  // RE2 (no exceptions, linear time) with POSIX egrep syntax; a basic regular expression is
  // first turned into an extended one (`\(` groups, a plain `(` is literal).
  std::unique_ptr<RE2> re;
  if (!fixed) {
    std::string ere = extended ? pattern : BasicToExtended(pattern);
    RE2::Options options;
    options.set_posix_syntax(true);
    options.set_case_sensitive(!icase);
    options.set_log_errors(false);
    re = std::make_unique<RE2>(ere, options);
    if (!re->ok()) {
      s.Opaque("a grep pattern the model cannot read");
      return 0;
    }
  }
  auto lower = [](std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  auto matches = [&](const std::string& line) {
    bool m = false;
    if (fixed) {
      std::string l = icase ? lower(line) : line;
      std::string p = icase ? lower(pattern) : pattern;
      m = whole ? l == p : l.find(p) != std::string::npos;
    } else {
      m = whole ? RE2::FullMatch(line, *re) : RE2::PartialMatch(line, *re);
    }
    return m != invert;
  };
  if (operands.empty()) operands.push_back("-");
  bool any = false;
  bool error = false;
  for (const std::string& f : operands) {
    Input in = ReadInput(s, f, io);
    if (!in.error.empty()) {
      if (!o.Has('s')) io.err += "grep: " + f + ": " + std::string(ErrnoText(in.error)) + "\n";
      error = true;
      continue;
    }
    if (!in.text) {
      s.Opaque("grep of content the model does not hold");
      return 0;
    }
    size_t hits = 0;
    size_t number = 0;
    size_t start = 0;
    const std::string& text = *in.text;
    while (start < text.size()) {
      size_t eol = text.find('\n', start);
      if (eol == std::string::npos) eol = text.size();
      std::string line = text.substr(start, eol - start);
      ++number;
      if (matches(line)) {
        ++hits;
        if (!quiet && !count) {
          std::string prefix = operands.size() > 1 ? f + ":" : "";
          if (numbers) prefix += std::to_string(number) + ":";
          io.out += prefix + line + "\n";
        }
      }
      start = eol + 1;
    }
    if (count && !quiet) {
      io.out += (operands.size() > 1 ? f + ":" : "") + std::to_string(hits) + "\n";
    }
    any |= hits > 0;
    if (quiet && any) return 0;
  }
  if (error && !(quiet && any)) return 2;
  return any ? 0 : 1;
}

int Tar(Shell& s, const Args&, Io&) {
  // What an archive holds is not known (the context's files have digests, not contents).
  s.Opaque("the archive's content is not known to the model");
  return 0;
}

}  // namespace

CommandFn FileCommand(std::string_view name) {
  static const std::map<std::string_view, CommandFn> kCommands = {
      {"echo", Echo},
      {"printf", Printf},
      {"cat", Cat},
      {"tee", Tee},
      {"mkdir", Mkdir},
      {"touch", Touch},
      {"rm", Rm},
      {"mv", Mv},
      {"cp", Cp},
      {"ln", Ln},
      {"chmod", Chmod},
      {"chown", Chown},
      {"head", Head},
      {"dd", Dd},
      {"fallocate", Fallocate},
      {"truncate", Truncate},
      {"ls", Ls},
      {"test", Test},
      {"[", Test},
      {"which", Which},
      {"printenv", Printenv},
      {"grep", Grep},
      {"sleep", Sleep},
      {"rmdir", Rmdir},
      {"install", Install},
      {"tar", Tar},
  };
  auto it = kCommands.find(name);
  return it == kCommands.end() ? nullptr : it->second;
}

}  // namespace dockit::sim::run

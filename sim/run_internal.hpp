// The RUN model's shared state and the tables of modelled commands, for run_model.cpp (the
// shell: lists, words, redirections), run_files.cpp (file commands), run_users.cpp (users and
// groups) and run_packages.cpp (package managers and downloads). Not a public interface.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/run_model.hpp"

namespace dockit::sim::run {

// Whose wording the messages use: dash and GNU coreutils (Debian, Ubuntu and their derived
// images), busybox's ash and applets (alpine, busybox), or bash when SHELL names it.
enum class Userland : uint8_t { kGnu, kBusybox };
enum class ShellFlavor : uint8_t { kDash, kAsh, kBash };

// One command's standard streams. `binary` is stdout the model describes but does not hold
// (head -c 1G /dev/urandom): it can go to a file, not to the terminal.
struct Io {
  std::string out;
  std::string err;
  std::optional<FileContent> binary;
  std::optional<std::string> in;         // stdin's text; nullopt when stdin is empty
  std::optional<FileContent> in_binary;  // stdin is bytes described, not held (a pipe from head)
  bool in_unknown = false;               // stdin is something the model does not hold
};

using Args = std::vector<std::string>;  // argv after expansion, argv[0] included

struct Shell;
using CommandFn = int (*)(Shell&, const Args&, Io&);

struct Shell {
  Shell(RunContext& c, RunOutcome& o) : ctx(c), outcome(o) {}
  RunContext& ctx;
  RunOutcome& outcome;
  std::string cwd = "/";
  // Shell variables; nullopt when set to something the model cannot know ($(...)).
  std::map<std::string, std::optional<std::string>, std::less<>> vars;
  std::set<std::string, std::less<>> exported;
  std::vector<std::pair<std::string, std::string>> prefix_env;  // `X=1 cmd`, for cmd only
  Owner owner;                                                  // who runs the step
  std::string user_name = "root";
  Userland userland = Userland::kGnu;
  ShellFlavor flavor = ShellFlavor::kDash;
  bool unknown_installs = false;  // see InPath
  int declared_run = 0;
  bool sourced = false;    // `. FILE`, source or eval ran: unset variables are unknown           //
                           // commands with a declared size run so far
  bool exec_form = false;  // RUN ["prog", ...]: no shell, so no builtins and Docker's messages
  bool errexit = false;
  bool pipefail = false;
  bool nounset = false;             // set -u
  bool xtrace = false;              // set -x: each command, expanded, to stderr with "+ "
  mutable std::string unset_error;  // the unset variable a word used under set -u
  bool exited = false;              // `exit` ran, or errexit stopped the shell
  int status = 0;                   // $?
  int line = 1;                     // the running command's line in its script, for dash's messages
  std::string text;                 // the running command as written

  WorkingLayer& Layer() { return *ctx.layer; }
  const Tree& View() const { return ctx.layer->View(); }
  bool Root() const { return owner.uid == 0; }

  // `path` made absolute against the current directory (cleaned by the layer when used).
  std::string Abs(std::string_view path) const;
  std::optional<std::string> Var(std::string_view name) const;  // unset or unknown: nullopt
  bool VarUnknown(std::string_view name) const;
  // The environment a program sees: exported variables and the command's prefixes.
  std::vector<std::pair<std::string, std::string>> Environment() const;

  // The text of a file (symlinks followed), or the errno code when it cannot be read;
  // "EUNKNOWN" when the file exists but its content is not text the store holds.
  Result<std::string> ReadText(std::string_view path) const;
  // Writes `text` to a file (created 0644, owned by the user; an existing file keeps both).
  Status WriteText(std::string_view path, std::string_view text);
  // Whether the user may create or remove names in `dir` (root always may).
  bool CanWriteDir(std::string_view dir) const;

  // Makes the base system's standard directories (Skeleton in run_model.cpp) above `path`, and
  // `path` itself with `self`, that the catalogue's image does not list, before a write.
  void Prepare(std::string_view path, bool self = false);
  // `path` is a standard directory of the base system that the view does not list yet.
  bool IsSkeleton(std::string_view path) const;

  // "sh: 1: " (dash), "/bin/sh: " (busybox), "/bin/bash: line 1: " (bash).
  std::string ShellPrefix() const;
  // Records the running command as opaque (no effect on the filesystem) with a reason.
  void Opaque(std::string_view why);
  void Note(std::string note);
  // argv[0] is an existing file on PATH (or the path it names), or a program of the base
  // system (InFiles); or may be, because a package install with unknown files ran before.
  bool InPath(std::string_view name) const;
  bool InFiles(std::string_view name) const;
  // Something the model does not know ran before (an opaque command in this RUN or an earlier
  // one, a stand-in base): a missing path may be its output.
  bool UnknownBefore() const;
  // Records a package install whose files are not known one by one (RunOutcome::installs).
  void Installed();
  // `name: not found`, 127, as the shell reports it.
  int NotFound(std::string_view name, Io& io) const;
};

// strerror's text for the filesystem's errno codes ("ENOENT" -> "No such file or directory").
std::string_view ErrnoText(std::string_view code);
// "No such file or directory" for a Status's error.
std::string_view ErrnoText(const Diagnostic& error);
// What files and directories are made with under the umask of 022 every image has.
inline constexpr uint32_t kFileMode = 0644;
inline constexpr uint32_t kDirMode = 0755;

// The modelled programs of each family; nullptr when `name` is not one of them.
CommandFn FileCommand(std::string_view name);
CommandFn UserCommand(std::string_view name);
CommandFn PackageCommand(std::string_view name);

// ---- users and groups (run_users.cpp) ----

struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
  std::string shell;
};
struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
};
std::vector<PasswdEntry> ReadPasswd(const Shell& shell);
std::vector<GroupEntry> ReadGroup(const Shell& shell);
// `user`, `user:group`, `uid:gid`, `:group` as chown reads it; `current` fills what is absent.
// The error is chown's wording ("invalid user: 'app'").
Result<Owner> ParseOwner(const Shell& shell, std::string_view spec, Owner current, bool* set_uid,
                         bool* set_gid);
// USER as Docker resolves it; the error is Docker's message.
Result<PasswdEntry> ResolveUser(const Shell& shell, std::string_view user);

}  // namespace dockit::sim::run

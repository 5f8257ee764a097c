// The size of a RUN's layer before it runs: what the command states (`head -c N > file`,
// `dd ... bs=B count=C of=file`, `fallocate -l N file`, `truncate -s N file`), else the
// catalogues' estimates for package installs (apt_catalogue, pip_catalogue, npm_catalogue;
// apk_catalogue refuses) and the declared sizes of downloads and commands (declared_sizes),
// else unknown, never guessed; the record of an earlier build of the same key is the other
// source of RUN sizes (predict.cpp tries the record, then KnownRunSize, AptRunSize and
// PackageRunSize in that order).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parser/shell.hpp"
#include "planner/declared_sizes.hpp"
#include "planner/package_set.hpp"

namespace dockit::plan {

struct RunSize {
  uint64_t bytes = 0;
  std::string how;  // "head -c 10M > /data/blob"
  // Where the figure comes from, weakest wins: "command" (stated by the arguments), "declared"
  // (declared_sizes.hpp), "catalogue" (a package catalogue's estimate).
  std::string source = "command";
  // PackageRunSize: what the RUN's installs lay down, package by package (apt's, then pip's,
  // then npm's), so that a simulator can list and check them. `bytes` is their sum plus pip's
  // cache (PackageBytes::download, when kept) and the stated, declared and downloaded parts.
  std::vector<PackageBytes> packages;
};

// What a RUN's size may depend on besides its script.
struct RunSizeContext {
  std::string base;           // the image at the root of the stage's FROM chain
  std::string workdir = "/";  // relative paths (requirements.txt, downloads) resolve here
  std::vector<std::pair<std::string, std::string>> env;  // ENV and ARG values (PIP_NO_CACHE_DIR)
  std::vector<std::string> cache_mounts;  // targets of --mount=type=cache|tmpfs: not in the layer
  // The text of the context file an earlier COPY of the chain put at this absolute path;
  // nullopt when none did (then `pip install -r`, `npm ci` are unknown).
  std::function<std::optional<std::string>(const std::string& image_path)> read_file;
  const DeclaredSizes* declared = nullptr;
};

// The bytes the script writes, when every command of it is one whose output size is known from
// its arguments (`head -c N` and `dd if= bs= count=` from /dev/zero or /dev/urandom, `fallocate
// -l`, `truncate -s`) or writes nothing to the filesystem (echo to stdout, true, cd, ...). A file
// written twice counts once, with the size it ends with (`>>` adds, fallocate never shrinks),
// relative paths following `cd`. nullopt as soon as one command's effect is unknown, or when
// whether a command runs depends on another's status (`||`, `&`, if, loops, subshells): this
// is the size of the layer sim/run_model.cpp produces when the RUN succeeds.
// `workdir` is the step's WORKDIR, when known: relative paths are keyed under it.
std::optional<RunSize> KnownRunSize(const ShellScript& script, std::string_view workdir = {});

// A RUN made only of `apt-get update`, `apt-get install [-y] [--no-install-recommends] PKG...`,
// `apt-get clean`, `rm -rf /var/lib/apt/lists/*` and commands that write nothing, on a
// debian:bookworm base: the catalogue's estimate (apt_catalogue.hpp). The package index that
// `apt-get update` downloads must be removed in the same RUN, or the size is unknown.
std::optional<RunSize> AptRunSize(const ShellScript& script);

// A RUN made of package installs and downloads, each sized, and commands that write nothing:
//   apt-get (as AptRunSize, debian:bookworm bases);
//   pip/pip3/python[3] -m pip install [--no-cache-dir] [--user] [-U] [-q] NAME[==V]... | -r FILE
//     (pip_catalogue.hpp; FILE read through read_file; pip's cache counted unless disabled or
//     removed later in the RUN: `rm -rf /root/.cache/pip`, `pip cache purge`);
//   npm install|i|ci [NAME...] [--omit=dev|--production] (npm_catalogue.hpp; no names: the
//     package-lock.json in the workdir; unknown unless npm's cache is removed after it);
//   yarn [install] (yarn 1: the yarn.lock in the workdir; unknown unless `yarn cache clean`);
//   apk add (apk_catalogue.hpp: unknown today);
//   curl/wget of a URL with a declared size (0 when the RUN removes the file);
//   any command with a declared size; head -c, dd, fallocate, truncate as KnownRunSize.
// Its bytes are the sums of the managers' PackageSets (and cache figures), so a simulator that
// calls the same functions reproduces it. nullopt as soon as one part is unknown.
std::optional<RunSize> PackageRunSize(const ShellScript& script, const RunSizeContext& context);

// One package manager command as PackageRunSize reads it, for the simulator to lay down the same
// packages (sim/run_packages.cpp): nullopt when the command is not one PackageRunSize sizes.
struct ManagerCommand {
  // `pip cache purge`, `npm cache clean --force`, `yarn cache clean`: nothing installed.
  bool cache_removed = false;
  std::vector<std::string> requirements;  // pip: as named and as read from -r files
  // What the install adds (pip: the union of its requirements' closures; npm: the names' closures
  // or the package-lock.json's entries; yarn: the yarn.lock's entries).
  PackageSet set;
  // pip: the wheels stay in pip's cache (/root/.cache/pip): no --no-cache-dir, no
  // PIP_NO_CACHE_DIR in `context.env`, no cache mount on it. Their sizes are
  // PackageBytes::download.
  bool cached = false;
  bool user = false;    // pip --user
  bool global = false;  // npm -g
};
// `words` are the command's words after the manager's name (`pip`, `python3 -m pip`, `npm`,
// `yarn`); relative files (-r FILE, package-lock.json, yarn.lock) resolve against `cwd` and are
// read through context.read_file.
std::optional<ManagerCommand> PipCommand(const std::vector<std::string_view>& words,
                                         const RunSizeContext& context, std::string_view cwd);
std::optional<ManagerCommand> NpmCommand(const std::vector<std::string_view>& words,
                                         const RunSizeContext& context, std::string_view cwd);
std::optional<ManagerCommand> YarnCommand(const std::vector<std::string_view>& words,
                                          const RunSizeContext& context, std::string_view cwd);

// "10M" -> 10485760 as coreutils reads sizes (K/M/G... are powers of 1024; KB/MB/... of 1000;
// a trailing B or iB is accepted). nullopt when not a size.
std::optional<uint64_t> ParseSize(std::string_view text);

// 85 -> "85B", 1234567 -> "1.23MB": SI units with three significant digits, as docker prints
// sizes.
std::string FormatSize(uint64_t bytes);

}  // namespace dockit::plan

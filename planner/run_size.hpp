// The size of a RUN's layer before it runs, when the command says it: `head -c N > file`,
// `dd ... bs=B count=C of=file`, `fallocate -l N file`, `truncate -s N file`. Anything else
// (package managers included: what apt-get installs depends on the base image's packages and on
// the mirror of the day) is unknown, never guessed; the record of an earlier build of the same
// key is the other source of RUN sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "parser/shell.hpp"

namespace dockit::plan {

struct RunSize {
  uint64_t bytes = 0;
  std::string how;  // "head -c 10M > /data/blob"
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

// "10M" -> 10485760 as coreutils reads sizes (K/M/G... are powers of 1024; KB/MB/... of 1000;
// a trailing B or iB is accepted). nullopt when not a size.
std::optional<uint64_t> ParseSize(std::string_view text);

}  // namespace dockit::plan

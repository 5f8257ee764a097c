// What a RUN step does to the filesystem: the shell view of the script (parser/shell.hpp) run
// against a WorkingLayer, command by command, with the exit codes and messages a real shell
// prints. Commands the model knows change the layer (mkdir, echo > f, useradd, apt-get install,
// head -c N > f, ...); a command that exists in the image but is not modelled has no effect and
// is listed in RunOutcome::opaque; a command that is not in the image fails with 127 as the
// image's /bin/sh reports it. Nothing is invented: what the model cannot know (the content of a
// tarball, what pip downloads) is opaque. The files the model covers and the sizes it uses are
// described in sim/README.md ("The RUN model").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "parser/shell.hpp"
#include "planner/declared_sizes.hpp"
#include "sim/text_store.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {

struct RunContext {
  WorkingLayer* layer = nullptr;
  // The text of every text file the script may read (/etc/passwd, ...) by digest; what the
  // script writes as text is put here too. Without one, texts last for the run only.
  TextStore* texts = nullptr;
  std::vector<std::pair<std::string, std::string>> env;  // the stage's ENV, in order
  std::string workdir = "/";
  // USER: "" or "root" is 0:0; a name (resolved through /etc/passwd), "uid", "uid:gid",
  // "name:group".
  std::string user;
  // The stage's SHELL; only its basename matters (bash: pipefail and bash's messages).
  std::vector<std::string> shell = {"/bin/sh", "-c"};
  // RunOutcome::installs of the earlier steps of the image: after a package install whose files
  // are not known, a program missing from the image's files is opaque, not `not found`.
  std::vector<std::string> earlier_installs;
  // The stage's base image is a stand-in for one whose files are not known (BaseImage::
  // contents_known false): a program missing from the files is opaque, not `not found`.
  bool base_unknown = false;
  // An earlier RUN of the chain ran commands the model does not know (RunOutcome::opaque).
  bool earlier_opaque = false;
  // Targets of the RUN's --mount=type=cache and type=tmpfs: what is written under them is not in
  // the layer (package managers' caches; sim/README.md).
  std::vector<std::string> cache_mounts;
  // Targets of the RUN's other mounts (secret, ssh, bind): their files are not modelled, so
  // after them a missing path is treated as after an opaque command.
  std::vector<std::string> other_mounts;
  // Declared sizes (planner/declared_sizes.hpp): a declared command writes one file of its size
  // under /var/lib/dockit/declared, a download of a declared URL a file of its size.
  const plan::DeclaredSizes* declared = nullptr;
};

struct RunOutcome {
  int exit_code = 0;
  std::string output;  // stdout and stderr as the build log shows them
  // Commands that ran but whose effect the model does not know, as written, in order.
  std::vector<std::string> opaque;
  std::vector<std::string> notes;  // what the model approximated
  // Package installs whose programs the model does not know file by file (apt-get install,
  // apk add, pip install, ...): pass them on in RunContext::earlier_installs.
  std::vector<std::string> installs;
};

// After an opaque command (in this RUN, an earlier one of the chain, or a stand-in base), a
// file command (chmod, mv, cp, cat, rm without -f, ...) that fails only because a path is
// missing does not fail the RUN: the path may have been made by what the model does not know.
// Its status is 0, the layer is left without the path, and a note says so.
//
// Runs `script` (a RUN's shell view) as `/bin/sh -c` would. The layer keeps the changes of the
// commands that ran, also when the script fails (the caller then discards the step).
RunOutcome RunScript(const ShellScript& script, RunContext& context);

}  // namespace dockit::sim

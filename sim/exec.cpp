// Inside a running container, and what it left: exec, wait, logs and diff.
#include "sim/world.hpp"

namespace dockit::sim {

Result<ExecResult> World::Exec(std::string_view container, const std::vector<std::string>& argv,
                               const RunOptions& options) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  std::string cid = id.Value();
  const Container& c = Get(cid);
  if (!c.Running()) {
    return DaemonError("not-running", "container " + c.id + " is not running");
  }
  if (c.paused) {
    return DaemonError("paused",
                       "Container " + c.id + " is paused, unpause the container before exec");
  }
  ProgramContext ctx = ContextFor(c);
  for (const std::string& e : options.env) {
    size_t eq = e.find('=');
    if (eq != std::string::npos) SetEnv(ctx.env, e.substr(0, eq), e.substr(eq + 1));
  }
  if (!options.workdir.empty()) ctx.workdir = options.workdir;
  ctx.interactive = options.interactive;
  if (Result<ExecResult> files = FileCommand(cid, argv, ctx.workdir);
      files.Ok() || files.Error().code != "-") {
    return files;
  }
  auto behaviour = ResolveProgram(argv, ctx);
  if (!behaviour.Ok()) {
    return Diagnostic{"exec-failed",
                      "OCI runtime exec failed: exec failed: unable to start container process: " +
                          behaviour.Error().message + ": unknown",
                      {}};
  }
  const Behaviour& b = behaviour.Value();
  if (!b.exit_after) {
    return Diagnostic{"endless-exec",
                      "dexec: `" + (argv.empty() ? std::string() : argv[0]) + "` (" + b.origin +
                          ") would not end: the simulator runs only exec commands that finish",
                      {}};
  }
  ExecResult result;
  for (const TimedLine& line : b.prints) result.output += line.text + "\n";
  result.exit_code = b.exit_code;
  if (*b.exit_after > 0) AdvanceTo(now_ + *b.exit_after);
  return result;
}

Result<ExecResult> World::FileCommand(const std::string& id, const std::vector<std::string>& argv,
                                      const std::string& workdir) {
  // touch, mkdir [-p] and rm [-r] [-f]: enough for `docker diff` lessons until the RUN model
  // takes over exec'd commands.
  if (argv.empty() || (argv[0] != "touch" && argv[0] != "mkdir" && argv[0] != "rm")) {
    return Diagnostic{"-", "", {}};
  }
  WorkingLayer& layer = *Get(id).layer;
  bool parents = false, recursive = false, force = false;
  ExecResult result;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 1 && arg[0] == '-') {
      parents = parents || arg.find('p') != std::string::npos;
      recursive = recursive || arg.find_first_of("rR") != std::string::npos;
      force = force || arg.find('f') != std::string::npos;
      continue;
    }
    std::string path = arg[0] == '/' ? arg : (workdir == "/" ? "" : workdir) + "/" + arg;
    Status done = OkStatus();
    if (argv[0] == "touch") {
      if (!layer.View().Stat(path).Ok()) done = layer.WriteFile(path, FileContent::Bytes(""));
    } else if (argv[0] == "mkdir") {
      done = layer.Mkdir(path, parents);
    } else if (!(force && !layer.View().Lstat(path).Ok())) {
      done = layer.Remove(path, recursive);
    }
    if (!done.Ok()) {
      result.output += done.Error().message + "\n";
      result.exit_code = 1;
    }
  }
  return result;
}

Result<int> World::Wait(std::string_view container) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  std::string cid = id.Value();
  Container& c = Get(cid);
  if (!c.Running()) return c.exit_code;
  if (!c.behaviour.exit_after) {
    return Diagnostic{"endless-wait",
                      "dexec: " + c.name + " (" + c.behaviour.origin +
                          ") never exits by itself: `wait` would not return (stop or kill it)",
                      {}};
  }
  bool auto_remove = c.auto_remove;
  c.auto_remove = false;  // its exit code is read below, then it goes
  AdvanceTo(c.ProgramStart() + *c.behaviour.exit_after);
  Container& done = Get(cid);
  done.auto_remove = auto_remove;
  int code = done.exit_code;
  if (!done.Running() && !done.restart_at) Finish(done);
  return code;
}

Result<std::string> World::Logs(std::string_view container, const LogsOptions& options) const {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  const Container& c = containers_.at(id.Value());
  size_t first = 0;
  if (options.tail >= 0 && static_cast<size_t>(options.tail) < c.logs.size()) {
    first = c.logs.size() - options.tail;
  }
  std::string out;
  for (size_t i = first; i < c.logs.size(); ++i) {
    if (options.timestamps) out += Rfc3339(c.logs[i].time, true) + " ";
    out += c.logs[i].text + "\n";
  }
  if (c.state != ContainerState::kCreated && !c.behaviour.declared) {
    out += "dexec: " + c.behaviour.origin +
           "; the simulator does not know what it prints (declare it with `# dexec:` lines or "
           "World::DeclareProgram, see sim/README.md)\n";
  }
  return out;
}

Result<std::string> World::Diff(std::string_view container) const {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  const Container& c = containers_.at(id.Value());
  const Tree& lower = c.layer->Lower().View();
  std::string out;
  for (const plan::FileChange& change : c.layer->Diff().changes) {
    char kind = 'A';
    if (change.kind == plan::FileChange::Kind::kWhiteout) {
      kind = 'D';
    } else if (lower.Find(change.path) != nullptr) {
      kind = 'C';
    }
    out += std::string(1, kind) + " " + change.path + "\n";
  }
  return out;
}

}  // namespace dockit::sim

#include "sim/compose_cli.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "planner/digest.hpp"
#include "sim/compose_project.hpp"
#include "sim/docker_flags.hpp"
#include "sim/sim_time.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;
using Args = std::vector<std::string>;

constexpr const char* kProjectLabel = "com.docker.compose.project";
constexpr const char* kServiceLabel = "com.docker.compose.service";
constexpr const char* kOneOffLabel = "com.docker.compose.oneoff";
// How long `up` waits on the virtual clock for a dependency to become healthy or complete.
constexpr int64_t kDependencyTimeout = 600;

struct Compose {
  CliSession& session;
  std::ostream& out;
  std::ostream& err;
  ComposeProject project;
  World& world() { return session.world; }

  void Status(std::string_view kind, const std::string& name, std::string_view what) {
    out << " \u2714 " << kind << " " << name << "  " << what << "\n";
  }
};

constexpr FlagSpec kGlobalFlags[] = {
    {"file", 'f', true},   {"project-name", 'p', true},    {"profile", 0, true},
    {"env-file", 0, true}, {"project-directory", 0, true}, {"ansi", 0, true},
    {"progress", 0, true},
};

std::optional<ParsedFlags> Flags(Compose& c, const Args& args, std::span<const FlagSpec> spec,
                                 std::string_view command, bool stop_at_operand = false) {
  Result<ParsedFlags> parsed = ParseFlags(args, spec, stop_at_operand, command);
  if (!parsed) {
    c.err << parsed.Error().message << "\n";
    return std::nullopt;
  }
  return std::move(parsed).Value();
}

// The image a service runs: its `image:`, else the one `compose build` names
// `<project>-<service>`.
std::string ImageOf(const Compose& c, const ComposeService& s) {
  return s.image.empty() ? c.project.name + "-" + s.name : s.image;
}

std::vector<const Container*> ProjectContainers(Compose& c, bool one_offs = true) {
  std::vector<const Container*> out;
  for (const auto& [id, container] : c.world().Containers()) {
    auto project = container.labels.find(kProjectLabel);
    if (project == container.labels.end() || project->second != c.project.name) continue;
    auto oneoff = container.labels.find(kOneOffLabel);
    if (!one_offs && oneoff != container.labels.end() && oneoff->second == "True") continue;
    out.push_back(&container);
  }
  std::sort(out.begin(), out.end(),
            [](const Container* a, const Container* b) { return a->name < b->name; });
  return out;
}

const Container* ServiceContainer(Compose& c, const ComposeService& s) {
  Result<std::string> id = c.world().FindContainer(c.project.ContainerName(s));
  return id ? c.world().ContainerById(*id) : nullptr;
}

int Build(Compose& c, const ComposeService& s, bool no_cache) {
  const ComposeBuildSpec& b = *s.build;
  Args argv = {"build", "-t", ImageOf(c, s)};
  if (!b.dockerfile_inline.empty()) {
    c.err << "service \"" << s.name
          << "\": build.dockerfile_inline is not supported by the simulator\n";
    return 1;
  }
  argv.insert(argv.end(), {"-f", (fs::path(b.context) / b.dockerfile).string()});
  for (const auto& [key, value] : b.args) {
    std::optional<std::string> v = value;
    if (!v) {
      auto it = c.session.environment.find(key);
      if (it == c.session.environment.end()) continue;
      v = it->second;
    }
    argv.insert(argv.end(), {"--build-arg", key + "=" + *v});
  }
  if (!b.target.empty()) argv.insert(argv.end(), {"--target", b.target});
  if (no_cache) argv.push_back("--no-cache");
  argv.push_back(b.context);
  std::ostringstream progress;
  int code = RunDockerCommand(c.session, argv, progress, progress);
  c.err << progress.str();
  if (code) {
    c.err << "failed to solve: service \"" << s.name << "\" did not build\n";
    return code;
  }
  c.Status("Service", s.name, "Built");
  return 0;
}

int EnsureImage(Compose& c, const ComposeService& s, bool build, bool no_cache) {
  std::string image = ImageOf(c, s);
  if (s.build && (build || !c.world().FindImage(image))) return Build(c, s, no_cache);
  if (c.world().FindImage(image)) return 0;
  std::string pulled;
  Result<std::string> id = c.world().PullIfMissing(image, &pulled);
  if (!id) {
    c.err << id.Error().message << "\n";
    return 1;
  }
  c.Status("Image", image, "Pulled");
  return 0;
}

void EnsureNetworksAndVolumes(Compose& c) {
  for (const auto& [key, net] : c.project.networks) {
    if (net.external || c.world().Networks().count(net.name)) continue;
    if (c.world().CreateNetwork(net.name, net.driver.empty() ? "bridge" : net.driver)) {
      c.Status("Network", net.name, "Created");
    }
  }
  for (const auto& [key, volume] : c.project.volumes) {
    if (volume.external || c.world().Volumes().count(volume.name)) continue;
    if (c.world().CreateVolume(volume.name))
      c.Status("Volume", "\"" + volume.name + "\"", "Created");
  }
}

RunOptions OptionsOf(Compose& c, const ComposeService& s, bool ports) {
  RunOptions o;
  o.detach = true;
  if (ports) {
    for (const ComposePort& p : s.ports) {
      o.publish.push_back((p.host_ip.empty() ? "" : p.host_ip + ":") + std::to_string(p.published) +
                          ":" + std::to_string(p.target) + "/" + p.protocol);
    }
  }
  for (const auto& [k, v] : s.environment) o.env.push_back(k + "=" + v);
  for (const ComposeMount& m : s.volumes) {
    std::string ro = m.read_only ? ":ro" : "";
    if (m.type == ComposeMount::Type::kVolume) {
      o.volumes.push_back(m.source.empty() ? m.target
                                           : c.project.VolumeName(m.source) + ":" + m.target + ro);
    } else if (m.type == ComposeMount::Type::kBind) {
      o.volumes.push_back(m.source + ":" + m.target + ro);
    }
  }
  if (!s.network_mode.empty()) {
    o.network = s.network_mode;
  } else if (!s.networks.empty()) {
    o.network = c.project.NetworkName(s.networks.front().name);
    o.network_aliases.push_back(s.name);
    for (const std::string& alias : s.networks.front().aliases) o.network_aliases.push_back(alias);
  }
  if (s.entrypoint) {
    if (!s.entrypoint->empty()) {
      o.entrypoint = s.entrypoint->front();
      o.command.assign(s.entrypoint->begin() + 1, s.entrypoint->end());
    } else {
      o.entrypoint = "";
    }
  }
  if (s.command) o.command.insert(o.command.end(), s.command->begin(), s.command->end());
  o.workdir = s.working_dir;
  o.user = s.user;
  o.restart = s.restart;
  if (s.healthcheck) {
    const ComposeHealthcheck& h = *s.healthcheck;
    if (h.disabled) {
      o.no_healthcheck = true;
    } else if (!h.test.empty()) {
      std::string cmd;
      for (size_t i = 1; i < h.test.size(); ++i) cmd += (i > 1 ? " " : "") + h.test[i];
      o.health_cmd = cmd;
    }
    o.health_interval = h.interval / kSecond;
    o.health_retries = static_cast<int>(h.retries);
  }
  o.labels[kProjectLabel] = c.project.name;
  o.labels[kServiceLabel] = s.name;
  o.labels[kOneOffLabel] = "False";
  return o;
}

// Waits on the virtual clock for what `depends_on` asks of `dep`.
int WaitFor(Compose& c, const ComposeService& dep, DependencyCondition condition) {
  if (condition == DependencyCondition::kServiceStarted) return 0;
  std::string name = c.project.ContainerName(dep);
  for (int64_t waited = 0; waited <= kDependencyTimeout; ++waited) {
    const Container* ct = ServiceContainer(c, dep);
    if (!ct) break;
    if (condition == DependencyCondition::kServiceHealthy) {
      if (!ct->healthcheck) {
        c.err << "dependency failed to start: container " << name
              << " has no healthcheck configured\n";
        return 1;
      }
      if (ct->health == Health::kHealthy) {
        c.Status("Container", name, "Healthy");
        return 0;
      }
      if (ct->health == Health::kUnhealthy || !ct->Running()) {
        c.err << "dependency failed to start: container " << name
              << (ct->Running() ? " is unhealthy\n"
                                : " exited (" + std::to_string(ct->exit_code) + ")\n");
        return 1;
      }
    } else if (!ct->Running()) {
      if (ct->exit_code == 0) {
        c.Status("Container", name, "Exited");
        return 0;
      }
      c.err << "service \"" << dep.name << "\" didn't complete successfully: exit " << ct->exit_code
            << "\n";
      return 1;
    }
    c.world().Advance(1);
  }
  c.err << "dependency failed to start: container " << name << " did not get ready in "
        << kDependencyTimeout << " seconds\n";
  return 1;
}

int StartService(Compose& c, const ComposeService& s) {
  for (const ComposeDependency& d : s.depends_on) {
    const ComposeService* dep = c.project.FindService(d.service);
    if (!dep || !ServiceContainer(c, *dep)) continue;  // not started: optional, or --no-deps
    if (int code = WaitFor(c, *dep, d.condition)) return code;
  }
  std::string name = c.project.ContainerName(s);
  if (const Container* existing = ServiceContainer(c, s)) {
    if (existing->Running()) {
      c.Status("Container", name, "Running");
      return 0;
    }
    Result<std::string> started = c.world().Start(name);
    if (!started) {
      c.err << started.Error().message << "\n";
      return 1;
    }
    c.Status("Container", name, "Started");
    return 0;
  }
  RunOptions o = OptionsOf(c, s, /*ports=*/true);
  o.name = name;
  Result<RunResult> run = c.world().Run(ImageOf(c, s), o);
  if (!run) {
    c.err << run.Error().message << "\n";
    return 1;
  }
  c.Status("Container", name, "Started");
  return 0;
}

// Starts `names` (all when empty) and what they depend on, in order.
int Up(Compose& c, const Args& names, bool build, bool no_deps) {
  Result<std::vector<std::string>> order = c.project.ServicesToStart(names);
  if (!order) {
    c.err << order.Error().message << "\n";
    return 1;
  }
  std::vector<std::string> services = *order;
  if (no_deps) {
    std::erase_if(services, [&](const std::string& s) {
      return std::find(names.begin(), names.end(), s) == names.end();
    });
  }
  for (const std::string& name : services) {
    if (int code = EnsureImage(c, *c.project.FindService(name), build, false)) return code;
  }
  EnsureNetworksAndVolumes(c);
  for (const std::string& name : services) {
    if (int code = StartService(c, *c.project.FindService(name))) return code;
  }
  return 0;
}

std::string Prefixed(Compose& c, const Container& ct, bool timestamps) {
  LogsOptions options;
  options.timestamps = timestamps;
  Result<std::string> logs = c.world().Logs(ct.name, options);
  if (!logs) return "";
  std::string service = ct.labels.count(kServiceLabel) ? ct.labels.at(kServiceLabel) : ct.name;
  std::string prefix = service + "-1  | ";
  std::string out;
  std::istringstream lines(*logs);
  for (std::string line; std::getline(lines, line);) out += prefix + line + "\n";
  return out;
}

constexpr FlagSpec kUpFlags[] = {{"detach", 'd'}, {"build"},          {"no-build"},
                                 {"no-deps"},     {"force-recreate"}, {"remove-orphans"},
                                 {"wait"},        {"quiet-pull"}};

int UpCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kUpFlags, "docker compose up");
  if (!flags) return 1;
  if (int code = Up(c, flags->Operands(), flags->Has("build"), flags->Has("no-deps"))) return code;
  if (!flags->Has("detach")) {
    // Attached: the logs so far. A terminal would go on following them until Ctrl-C.
    for (const Container* ct : ProjectContainers(c, false)) c.out << Prefixed(c, *ct, false);
  }
  return 0;
}

constexpr FlagSpec kDownFlags[] = {
    {"volumes", 'v'}, {"rmi", 0, true}, {"remove-orphans"}, {"timeout", 't', true}};

int DownCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kDownFlags, "docker compose down");
  if (!flags) return 1;
  std::optional<int> timeout;
  if (flags->Has("timeout")) timeout = std::atoi(flags->Value("timeout").c_str());
  // Dependents first: the stop order by service, one-off containers with their service.
  std::vector<std::string> order = c.project.StopOrder();
  std::vector<const Container*> containers = ProjectContainers(c);
  auto rank = [&](const Container* ct) {
    std::string service = ct->labels.count(kServiceLabel) ? ct->labels.at(kServiceLabel) : "";
    auto it = std::find(order.begin(), order.end(), service);
    return it - order.begin();
  };
  std::stable_sort(containers.begin(), containers.end(),
                   [&](const Container* a, const Container* b) { return rank(a) < rank(b); });
  std::vector<std::string> names;
  for (const Container* ct : containers) names.push_back(ct->name);
  for (const std::string& name : names) {
    Result<std::string> id = c.world().FindContainer(name);
    if (!id) continue;
    if (c.world().ContainerById(*id)->Running()) (void)c.world().Stop(name, timeout);
    if (c.world().FindContainer(name) && c.world().Remove(name, false, flags->Has("volumes"))) {
      c.Status("Container", name, "Removed");
    }
  }
  for (const auto& [key, net] : c.project.networks) {
    if (net.external || !c.world().Networks().count(net.name)) continue;
    if (c.world().RemoveNetwork(net.name)) c.Status("Network", net.name, "Removed");
  }
  if (flags->Has("volumes")) {
    for (const auto& [key, volume] : c.project.volumes) {
      if (volume.external || !c.world().Volumes().count(volume.name)) continue;
      if (c.world().RemoveVolume(volume.name)) c.Status("Volume", volume.name, "Removed");
    }
  }
  if (flags->Has("rmi")) {
    for (const ComposeService& s : c.project.services) {
      bool local = s.build.has_value() && s.image.empty();
      if (flags->Value("rmi") == "local" && !local) continue;
      if (c.world().FindImage(ImageOf(c, s)) && c.world().RemoveImage(ImageOf(c, s))) {
        c.Status("Image", ImageOf(c, s), "Removed");
      }
    }
  }
  return 0;
}

constexpr FlagSpec kRunFlags[] = {{"rm"},
                                  {"detach", 'd'},
                                  {"env", 'e', true},
                                  {"no-deps"},
                                  {"name", 0, true},
                                  {"entrypoint", 0, true},
                                  {"workdir", 'w', true},
                                  {"user", 'u', true},
                                  {"service-ports"},
                                  {"publish", 'p', true},
                                  {"volume", 'v', true},
                                  {"interactive", 'i'},
                                  {"tty", 't'},
                                  {"build"}};

int RunCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kRunFlags, "docker compose run", /*stop_at_operand=*/true);
  if (!flags) return 1;
  if (flags->Operands().empty()) {
    c.err << "\"docker compose run\" requires at least 1 argument.\n";
    return 1;
  }
  const std::string& name = flags->Operands()[0];
  const ComposeService* s = c.project.FindService(name);
  if (!s) {
    c.err << "no such service: " << name << "\n";
    return 1;
  }
  if (!flags->Has("no-deps")) {
    Result<std::vector<std::string>> order = c.project.ServicesToStart({name});
    if (!order) {
      c.err << order.Error().message << "\n";
      return 1;
    }
    std::vector<std::string> deps = *order;
    std::erase(deps, name);
    if (int code = Up(c, deps, false, false)) return code;
  } else {
    EnsureNetworksAndVolumes(c);
  }
  if (int code = EnsureImage(c, *s, flags->Has("build"), false)) return code;
  // Wait for what the service depends on, as `up` would before starting it.
  for (const ComposeDependency& d : s->depends_on) {
    const ComposeService* dep = c.project.FindService(d.service);
    if (dep && ServiceContainer(c, *dep)) {
      if (int code = WaitFor(c, *dep, d.condition)) return code;
    }
  }
  RunOptions o = OptionsOf(c, *s, flags->Has("service-ports"));
  o.detach = flags->Has("detach");
  o.rm = flags->Has("rm");
  o.labels[kOneOffLabel] = "True";
  for (const std::string& p : flags->Values("publish")) o.publish.push_back(p);
  for (const std::string& e : flags->Values("env")) o.env.push_back(e);
  for (const std::string& v : flags->Values("volume")) o.volumes.push_back(v);
  if (flags->Has("entrypoint")) o.entrypoint = flags->Value("entrypoint");
  if (flags->Has("workdir")) o.workdir = flags->Value("workdir");
  if (flags->Has("user")) o.user = flags->Value("user");
  Args command(flags->Operands().begin() + 1, flags->Operands().end());
  if (!command.empty()) o.command = command;
  // A one-off container's name: `<project>-<service>-run-<12 hex digits>`, deterministic.
  std::string seed = c.project.name + "/" + name + "/" + std::to_string(c.world().Now()) + "/" +
                     std::to_string(c.world().Containers().size());
  o.name = flags->Has("name")
               ? flags->Value("name")
               : c.project.name + "-" + name + "-run-" + plan::Sha256Of(seed).substr(7, 12);
  Result<RunResult> run = c.world().Run(ImageOf(c, *s), o);
  if (!run) {
    c.err << run.Error().message << "\n";
    return run.Error().code == "exec-failed" ? 127 : 1;
  }
  c.out << run->output;
  return run->exit_code.value_or(0);
}

constexpr FlagSpec kBuildFlags[] = {{"no-cache"}, {"pull"}, {"quiet", 'q'}};

int BuildCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kBuildFlags, "docker compose build");
  if (!flags) return 1;
  for (const ComposeService& s : c.project.services) {
    const Args& names = flags->Operands();
    if (!names.empty() && std::find(names.begin(), names.end(), s.name) == names.end()) continue;
    if (!s.build) continue;
    if (int code = Build(c, s, flags->Has("no-cache"))) return code;
  }
  return 0;
}

constexpr FlagSpec kPsFlags[] = {{"all", 'a'}, {"quiet", 'q'}, {"services"}};

int PsCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kPsFlags, "docker compose ps");
  if (!flags) return 1;
  if (flags->Has("services")) {
    for (const ComposeService& s : c.project.services) c.out << s.name << "\n";
    return 0;
  }
  std::vector<const Container*> shown;
  for (const Container* ct : ProjectContainers(c)) {
    if (ct->Running() || flags->Has("all")) shown.push_back(ct);
  }
  if (flags->Has("quiet")) {
    for (const Container* ct : shown) c.out << ct->id << "\n";
    return 0;
  }
  std::vector<std::array<std::string, 5>> rows = {{"NAME", "IMAGE", "SERVICE", "STATUS", "PORTS"}};
  int64_t now = c.world().Now();
  for (const Container* ct : shown) {
    std::string status;
    if (ct->Running()) {
      status = "Up " + HumanDuration(now - ct->started_at);
      if (ct->health == Health::kHealthy) status += " (healthy)";
      if (ct->health == Health::kUnhealthy) status += " (unhealthy)";
      if (ct->health == Health::kStarting) status += " (health: starting)";
    } else {
      status = "Exited (" + std::to_string(ct->exit_code) + ") " +
               HumanDuration(now - ct->finished_at) + " ago";
    }
    std::string ports;
    for (const PortBinding& p : ct->ports) {
      ports += (ports.empty() ? "" : ", ") + p.host_ip + ":" + std::to_string(p.host_port) + "->" +
               std::to_string(p.container_port) + "/" + p.protocol;
    }
    std::string service = ct->labels.count(kServiceLabel) ? ct->labels.at(kServiceLabel) : "";
    rows.push_back({ct->name, ct->image_ref, service, status, ports});
  }
  std::array<size_t, 5> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < 5; ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < 5; ++i) {
      line += row[i];
      if (i < 4) line += std::string(width[i] - row[i].size() + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    c.out << line << "\n";
  }
  return 0;
}

constexpr FlagSpec kLogsFlags[] = {
    {"follow", 'f'}, {"timestamps", 't'}, {"tail", 'n', true}, {"no-log-prefix"}};

int LogsCommand(Compose& c, const Args& args) {
  auto flags = Flags(c, args, kLogsFlags, "docker compose logs");
  if (!flags) return 1;
  for (const Container* ct : ProjectContainers(c, false)) {
    std::string service = ct->labels.count(kServiceLabel) ? ct->labels.at(kServiceLabel) : "";
    const Args& names = flags->Operands();
    if (!names.empty() && std::find(names.begin(), names.end(), service) == names.end()) continue;
    c.out << Prefixed(c, *ct, flags->Has("timestamps"));
  }
  return 0;
}

constexpr FlagSpec kStopFlags[] = {{"timeout", 't', true}};

// stop, start, restart: the named services' containers (all when none is named).
int LifecycleCommand(Compose& c, const Args& args, std::string_view verb) {
  auto flags = Flags(c, args, kStopFlags, "docker compose " + std::string(verb));
  if (!flags) return 1;
  std::optional<int> timeout;
  if (flags->Has("timeout")) timeout = std::atoi(flags->Value("timeout").c_str());
  std::vector<std::string> order = verb == "stop" ? c.project.StopOrder() : c.project.StartOrder();
  int status = 0;
  for (const std::string& name : order) {
    const Args& names = flags->Operands();
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    const ComposeService& s = *c.project.FindService(name);
    if (!ServiceContainer(c, s)) continue;
    std::string container = c.project.ContainerName(s);
    Result<std::string> done = verb == "stop"    ? c.world().Stop(container, timeout)
                               : verb == "start" ? c.world().Start(container)
                                                 : c.world().Restart(container, timeout);
    if (!done) {
      c.err << done.Error().message << "\n";
      status = 1;
      continue;
    }
    c.Status("Container", container,
             verb == "stop"    ? "Stopped"
             : verb == "start" ? "Started"
                               : "Restarted");
  }
  return status;
}

}  // namespace

int RunComposeCommand(CliSession& session, const std::vector<std::string>& argv, std::ostream& out,
                      std::ostream& err) {
  Result<ParsedFlags> globals = ParseFlags(argv, kGlobalFlags, true, "docker compose");
  if (!globals) {
    err << globals.Error().message << "\n";
    return 1;
  }
  if (globals->Operands().empty()) {
    err << "Usage:  docker compose [OPTIONS] COMMAND\n\nCommands: up, down, run, build, ps, "
           "logs, stop, start, restart\n";
    return 1;
  }
  std::string dir = session.cwd;
  if (globals->Has("project-directory")) {
    std::string d = globals->Value("project-directory");
    dir = d.starts_with('/') ? d : (fs::path(session.cwd) / d).lexically_normal().string();
  }
  ComposeLoadOptions options;
  options.profiles = globals->Values("profile");
  options.env_files = globals->Values("env-file");
  std::shared_ptr<const SourceFile> error_file;
  options.error_file = &error_file;
  Result<ComposeProject> project = LoadComposeProject(
      dir, globals->Values("file"), globals->Value("project-name"), session.environment, options);
  if (!project) {
    if (error_file) {
      err << Render(*error_file, project.Error());
    } else {
      err << project.Error().message << "\n";
    }
    return 1;
  }
  Compose c{session, out, err, std::move(project).Value()};
  for (const ComposeWarning& w : c.project.warnings) {
    err << (w.file ? Render(*w.file, w.diagnostic) : w.diagnostic.message + "\n");
  }
  const std::string& verb = globals->Operands()[0];
  Args rest(globals->Operands().begin() + 1, globals->Operands().end());
  if (verb == "up") return UpCommand(c, rest);
  if (verb == "down") return DownCommand(c, rest);
  if (verb == "run") return RunCommand(c, rest);
  if (verb == "build") return BuildCommand(c, rest);
  if (verb == "ps") return PsCommand(c, rest);
  if (verb == "logs") return LogsCommand(c, rest);
  if (verb == "stop" || verb == "start" || verb == "restart")
    return LifecycleCommand(c, rest, verb);
  err << "unknown docker compose command: " << verb
      << " (up, down, run, build, ps, logs, stop, start, restart)\n";
  return 1;
}

}  // namespace dockit::sim

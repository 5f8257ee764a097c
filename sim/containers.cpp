// Containers' lifecycle: create, run, start, stop, kill, pause, restart, rm.
#include <algorithm>
#include <array>
#include <cctype>

#include "planner/digest.hpp"
#include "sim/world.hpp"

namespace dockit::sim {
namespace {

constexpr std::array<const char*, 24> kAdjectives = {
    "admiring",  "brave",   "clever", "dazzling", "eager",  "focused", "gallant",    "happy",
    "inspiring", "jolly",   "keen",   "laughing", "modest", "nifty",   "optimistic", "peaceful",
    "quirky",    "relaxed", "serene", "trusting", "upbeat", "vibrant", "wizardly",   "zealous"};
constexpr std::array<const char*, 20> kSurnames = {
    "archimedes", "babbage", "curie",   "darwin",   "euler",   "fermi",  "galileo",
    "hopper",     "johnson", "kepler",  "lovelace", "meitner", "newton", "noether",
    "pasteur",    "ritchie", "shannon", "turing",   "wilson",  "yonath"};

std::optional<int> SignalNumber(std::string_view signal) {
  std::string s(signal);
  if (s.rfind("SIG", 0) == 0) s = s.substr(3);
  static const std::map<std::string, int> kSignals = {
      {"HUP", 1},   {"INT", 2},   {"QUIT", 3},  {"ABRT", 6},  {"KILL", 9},
      {"USR1", 10}, {"USR2", 12}, {"ALRM", 14}, {"TERM", 15}, {"STOP", 19}};
  if (auto it = kSignals.find(s); it != kSignals.end()) return it->second;
  if (!s.empty() && std::all_of(s.begin(), s.end(), ::isdigit) && s.size() < 3) {
    int n = std::stoi(s);
    if (n >= 1 && n <= 31) return n;
  }
  return std::nullopt;
}

}  // namespace

std::string World::NextContainerId(std::string_view name) {
  std::string digest =
      plan::Sha256Of("container:" + std::to_string(++container_counter_) + ":" + std::string(name));
  return digest.substr(7);
}

std::string World::NextName() {
  while (true) {
    uint64_t n = name_counter_++;
    std::string name = std::string(kAdjectives[n % kAdjectives.size()]) + "_" +
                       kSurnames[(n / kAdjectives.size() + n) % kSurnames.size()];
    if (n >= kAdjectives.size() * kSurnames.size()) name += std::to_string(n);
    if (!FindContainer(name).Ok()) return name;
  }
}

Result<std::string> World::FindContainer(std::string_view name_or_id) const {
  std::string key(name_or_id);
  if (!key.empty() && key[0] == '/') key = key.substr(1);
  if (containers_.count(key)) return key;
  for (const auto& [id, c] : containers_) {
    if (c.name == key) return id;
  }
  std::vector<std::string> matches;
  if (!key.empty()) {
    for (const auto& [id, c] : containers_) {
      if (id.rfind(key, 0) == 0) matches.push_back(id);
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.size() > 1) {
    return DaemonError("ambiguous-container", "multiple IDs found with provided prefix: " + key);
  }
  return DaemonError("no-such-container", "No such container: " + std::string(name_or_id));
}

const Container* World::ContainerById(std::string_view id) const {
  auto it = containers_.find(std::string(id));
  return it == containers_.end() ? nullptr : &it->second;
}

WorkingLayer* World::ContainerLayer(std::string_view id) {
  auto it = containers_.find(std::string(id));
  return it == containers_.end() ? nullptr : it->second.layer.get();
}

Status World::DeclareProgram(std::string_view command_prefix, std::string_view declaration) {
  auto parsed =
      ParseDeclaration(declaration, {}, "declaration for `" + std::string(command_prefix) + "`");
  if (!parsed.Ok()) return parsed.Error();
  declared_[std::string(command_prefix)] = std::string(declaration);
  return OkStatus();
}

Result<std::string> World::Create(std::string_view image, const RunOptions& options,
                                  std::string* output) {
  if (!options.name.empty()) {
    const std::string& n = options.name;
    bool valid = std::isalnum(static_cast<unsigned char>(n[0])) &&
                 std::all_of(n.begin(), n.end(), [](char ch) {
                   return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' ||
                          ch == '-';
                 });
    if (!valid) {
      return DaemonError("bad-name", "Invalid container name (" + n +
                                         "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    if (auto existing = FindContainer(n); existing.Ok() && Get(existing.Value()).name == n) {
      return DaemonError("name-conflict",
                         "Conflict. The container name \"/" + n +
                             "\" is already in use by container \"" + existing.Value() +
                             "\". You have to remove (or rename) that container to be able to "
                             "reuse that name.");
    }
  }
  std::string pulled;
  auto image_id = PullIfMissing(image, &pulled);
  if (output) *output += pulled;
  if (!image_id.Ok()) return image_id.Error();
  Container c;
  c.name = options.name.empty() ? NextName() : options.name;
  c.id = NextContainerId(c.name);
  c.serial = container_counter_;
  c.image_id = image_id.Value();
  c.image_ref = std::string(image);
  c.created = now_;
  std::string warnings;
  auto resolved = ResolveOptions(options, images_.at(c.image_id), c, &warnings);
  if (output) *output += warnings;
  if (!resolved.Ok()) return resolved.Error();
  for (Mount& m : c.mounts) {
    if (m.type != "volume") continue;
    if (m.source.empty()) {
      m.source = plan::Sha256Of("volume:" + std::to_string(++volume_counter_)).substr(7);
      volumes_[m.source] = Volume{m.source, now_, true, 0, {}};
    } else if (!volumes_.count(m.source)) {
      volumes_[m.source] = Volume{m.source, now_, false, 0, {}};
    }
  }
  c.layer = std::make_shared<WorkingLayer>(images_.at(c.image_id).layers);
  std::string id = c.id;
  containers_.emplace(id, std::move(c));
  return id;
}

ProgramContext World::ContextFor(const Container& c) const {
  ProgramContext ctx;
  ctx.view = &c.layer->View();
  ctx.texts = &texts_;
  ctx.declared = &declared_;
  ctx.env = c.env;
  ctx.workdir = c.workdir;
  ctx.now = now_;
  ctx.interactive = c.interactive;
  return ctx;
}

std::optional<std::string> World::PortInUse(const PortBinding& p, const std::string& except) const {
  for (const auto& [id, other] : containers_) {
    if (id == except || !other.Running()) continue;
    for (const PortBinding& q : other.ports) {
      if (q.host_port == p.host_port && q.protocol == p.protocol &&
          (q.host_ip == p.host_ip || q.host_ip == "0.0.0.0" || p.host_ip == "0.0.0.0")) {
        return id;
      }
    }
  }
  return std::nullopt;
}

int World::NextHostPort() const {
  for (int port = 32768;; ++port) {
    bool used = false;
    for (const auto& [id, c] : containers_) {
      for (const PortBinding& q : c.ports) used = used || q.host_port == port;
    }
    if (!used) return port;
  }
}

void World::AssignAddress(Container& c) {
  Network& n = networks_.at(c.network);
  if (n.driver != "bridge") {
    c.ip.clear();
    return;
  }
  std::string prefix = n.subnet.substr(0, n.subnet.rfind(".0.0/"));
  int host = n.next_host++;
  c.ip = prefix + "." + std::to_string(host / 256) + "." + std::to_string(host % 256);
}

Status World::StartProcess(Container& c) {
  if (!networks_.count(c.network)) {
    c.error = "network " + c.network + " not found";
    return DaemonError("no-such-network", c.error);
  }
  for (PortBinding& p : c.ports) {
    if (p.host_port == 0) p.host_port = NextHostPort();
    if (PortInUse(p, c.id)) {
      std::string why = "driver failed programming external connectivity on endpoint " + c.name +
                        " (" + c.id + "): Bind for " + p.host_ip + ":" +
                        std::to_string(p.host_port) + " failed: port is already allocated";
      c.error = why;
      return DaemonError("port-allocated", why);
    }
  }
  auto behaviour = ResolveProgram(c.Argv(), ContextFor(c));
  if (!behaviour.Ok()) {
    std::string why =
        "failed to create task for container: failed to create shim task: OCI runtime create "
        "failed: runc create failed: unable to start container process: " +
        behaviour.Error().message + ": unknown";
    c.error = why;
    c.exit_code = 127;
    return DaemonError("exec-failed", why);
  }
  c.behaviour = std::move(behaviour).Value();
  c.printed = 0;
  c.error.clear();
  c.state = ContainerState::kRunning;
  c.started_at = now_;
  c.paused = false;
  c.paused_total = 0;
  c.exit_code = 0;
  c.stopped_by_user = false;
  c.restart_at.reset();
  if (c.ip.empty()) AssignAddress(c);
  if (c.healthcheck) {
    c.health = Health::kStarting;
    c.health_failures = 0;
    c.next_check = now_ + c.health_interval;
  } else {
    c.health = Health::kNone;
  }
  RunDue(c);
  return OkStatus();
}

Result<std::string> World::Start(std::string_view container) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  Container& c = Get(id.Value());
  if (c.Running()) return std::string(container) + "\n";
  Status started = StartProcess(c);
  if (!started.Ok()) {
    Diagnostic error = started.Error();
    error.message += "\nError: failed to start containers: " + std::string(container);
    return error;
  }
  std::string out = std::string(container) + "\n";
  if (!c.Running()) Finish(c);
  return out;
}

Result<RunResult> World::Run(std::string_view image, const RunOptions& options) {
  RunResult result;
  auto id = Create(image, options, &result.output);
  if (!id.Ok()) {
    Diagnostic error = id.Error();
    if (!result.output.empty()) error.message = result.output + error.message;
    return error;
  }
  result.id = id.Value();
  Container& c = Get(result.id);
  Status started = StartProcess(c);
  if (!started.Ok()) {
    if (c.auto_remove) RemoveContainer(result.id, true);
    Diagnostic error = started.Error();
    if (!result.output.empty()) error.message = result.output + error.message;
    return error;
  }
  if (options.detach) {
    result.output += result.id + "\n";
    if (!c.Running()) Finish(c);
    return result;
  }
  // Attached: the output while it runs; a program that ends is waited for on the clock.
  if (c.Running() && c.behaviour.exit_after) {
    bool auto_remove = c.auto_remove;
    c.auto_remove = false;  // removed below, once its output is read
    AdvanceTo(c.ProgramStart() + *c.behaviour.exit_after);
    Get(result.id).auto_remove = auto_remove;
  }
  auto it = containers_.find(result.id);
  const Container& now = it->second;
  for (const LogLine& line : now.logs) result.output += line.text + "\n";
  if (!now.Running()) {
    result.exit_code = now.exit_code;
    Finish(it->second);
  }
  return result;
}

void World::Exited(Container& c, int code, bool by_user) {
  c.state = ContainerState::kExited;
  c.paused = false;
  c.exit_code = code;
  c.finished_at = now_;
  c.stopped_by_user = by_user || c.stopped_by_user;  // set while stop waits: no restart
  c.health = Health::kNone;  // health is a running container's (ps shows it only then)
  if (c.stopped_by_user) return;
  std::string policy = c.restart_policy.substr(0, c.restart_policy.find(':'));
  bool restart = policy == "always" || policy == "unless-stopped";
  if (policy == "on-failure" && code != 0) {
    size_t colon = c.restart_policy.find(':');
    int max = colon == std::string::npos ? 0 : std::atoi(c.restart_policy.c_str() + colon + 1);
    restart = max == 0 || c.restart_count < max;
  }
  if (restart) {
    // Docker's backoff doubles from 100 ms; on a clock of whole seconds: 1, 2, 4, ... 64 s.
    c.restart_at = now_ + (int64_t{1} << std::min(c.restart_count, 6));
  }
}

void World::Finish(Container& c) {
  if (c.auto_remove && !c.Running()) RemoveContainer(c.id, true);
}

void World::RemoveContainer(const std::string& id, bool remove_anonymous) {
  auto it = containers_.find(id);
  if (it == containers_.end()) return;
  std::vector<Mount> mounts = it->second.mounts;
  containers_.erase(it);
  if (!remove_anonymous) return;
  for (const Mount& m : mounts) {
    auto v = volumes_.find(m.source);
    if (m.type != "volume" || v == volumes_.end() || !v->second.anonymous) continue;
    bool used = std::any_of(containers_.begin(), containers_.end(), [&](const auto& entry) {
      return std::any_of(entry.second.mounts.begin(), entry.second.mounts.end(),
                         [&](const Mount& other) { return other.source == m.source; });
    });
    if (!used) volumes_.erase(v);
  }
}

Result<std::string> World::Stop(std::string_view container, std::optional<int> timeout) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  std::string cid = id.Value();
  Container& c = Get(cid);
  if (!c.Running()) {
    c.restart_at.reset();
    c.stopped_by_user = true;
    return std::string(container) + "\n";
  }
  if (c.paused) (void)Unpause(cid);  // the signal reaches it once thawed
  if (c.behaviour.ignore_sigterm) {
    c.stopped_by_user = true;  // the restart policy no longer applies
    int grace = timeout.value_or(10);
    AdvanceTo(now_ + std::max(grace, 0));  // other programs go on meanwhile
    auto again = containers_.find(cid);
    if (again == containers_.end()) return std::string(container) + "\n";
    if (again->second.Running()) Exited(again->second, 137, true);
    again->second.restart_at.reset();
    again->second.stopped_by_user = true;
    Finish(again->second);
    return std::string(container) + "\n";
  }
  Exited(c, c.behaviour.sigterm_exit_code, true);
  Finish(c);
  return std::string(container) + "\n";
}

Result<std::string> World::Kill(std::string_view container, std::string_view signal) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  Container& c = Get(id.Value());
  std::optional<int> number = SignalNumber(signal);
  if (!number) return DaemonError("bad-signal", "Invalid signal: " + std::string(signal));
  if (!c.Running()) {
    return DaemonError("not-running", "cannot kill container: " + std::string(container) +
                                          ": container " + c.id + " is not running");
  }
  if (*number == 9) {
    Exited(c, 137, true);
  } else if (c.behaviour.ignore_sigterm || *number == 19) {
    return std::string(container) + "\n";  // PID 1 without a handler ignores it
  } else if (*number == 15 || *number == 3 || *number == 2) {
    Exited(c, c.behaviour.sigterm_exit_code == 143 ? 128 + *number : c.behaviour.sigterm_exit_code,
           true);
  } else {
    Exited(c, 128 + *number, true);
  }
  Finish(c);
  return std::string(container) + "\n";
}

Result<std::string> World::Pause(std::string_view container) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  Container& c = Get(id.Value());
  if (!c.Running()) return DaemonError("not-running", "container " + c.id + " is not running");
  if (c.paused) return DaemonError("paused", "container " + c.id + " is already paused");
  c.paused = true;
  c.paused_at = now_;
  return std::string(container) + "\n";
}

Result<std::string> World::Unpause(std::string_view container) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  Container& c = Get(id.Value());
  if (!c.Running() || !c.paused) {
    return DaemonError("not-paused", "container " + c.id + " is not paused");
  }
  c.paused = false;
  c.paused_total += now_ - c.paused_at;
  c.next_check += now_ - c.paused_at;
  return std::string(container) + "\n";
}

Result<std::string> World::Restart(std::string_view container, std::optional<int> timeout) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  std::string cid = id.Value();
  Container& c = Get(cid);
  if (c.Running()) {
    bool auto_remove = c.auto_remove;
    c.auto_remove = false;  // a restart does not remove an --rm container
    auto stopped = Stop(cid, timeout);
    Get(cid).auto_remove = auto_remove;
    if (!stopped.Ok()) return stopped.Error();
  }
  Container& again = Get(cid);
  Status started = StartProcess(again);
  if (!started.Ok()) return started.Error();
  if (!again.Running()) Finish(again);
  return std::string(container) + "\n";
}

Result<std::string> World::Remove(std::string_view container, bool force, bool volumes) {
  auto id = FindContainer(container);
  if (!id.Ok()) return id.Error();
  Container& c = Get(id.Value());
  if (c.restart_at && !force) {
    return DaemonError("container-restarting",
                       "You cannot remove a restarting container " + c.id +
                           ". Stop the container before attempting removal or force remove");
  }
  if (c.paused && !force) {
    return DaemonError("container-paused",
                       "You cannot remove a paused container " + c.id +
                           ". Unpause and then stop the container before attempting removal or "
                           "force remove");
  }
  if (c.Running() && !force) {
    return DaemonError("container-running",
                       "You cannot remove a running container " + c.id +
                           ". Stop the container before attempting removal or force remove");
  }
  RemoveContainer(c.id, volumes || c.auto_remove);
  return std::string(container) + "\n";
}

}  // namespace dockit::sim

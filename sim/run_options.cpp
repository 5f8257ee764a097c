// `docker run`'s options merged with the image's config into a container: command and
// entrypoint, environment, user and workdir, restart policy, network, published ports, mounts
// and health check, each refused with docker's message when malformed.
#include <algorithm>

#include "sim/world.hpp"

namespace dockit::sim {
namespace {

std::optional<int> ParsePort(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 65535) return std::nullopt;
  return v;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

}  // namespace

Result<std::string> World::ResolveOptions(const RunOptions& o, const Image& image, Container& c,
                                          std::string* warnings) {
  const plan::ImageConfig& config = image.config;
  c.entrypoint = config.entrypoint;
  c.cmd = config.cmd;
  if (o.entrypoint) {
    c.entrypoint = o.entrypoint->empty() ? std::vector<std::string>{}
                                         : std::vector<std::string>{*o.entrypoint};
    c.cmd.clear();
  }
  if (!o.command.empty()) c.cmd = o.command;
  if (c.entrypoint.empty() && c.cmd.empty()) {
    return DaemonError("no-command", "No command specified");
  }
  c.env = config.env;
  bool has_path =
      std::any_of(c.env.begin(), c.env.end(), [](auto& e) { return e.first == "PATH"; });
  if (!has_path) {
    c.env.insert(c.env.begin(),
                 {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"});
  }
  for (const std::string& e : o.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos) continue;  // `-e NAME` copies the host's: the sim has none
    SetEnv(c.env, e.substr(0, eq), e.substr(eq + 1));
  }
  c.user = o.user.empty() ? config.user : o.user;
  c.workdir =
      o.workdir.empty() ? (config.working_dir.empty() ? "/" : config.working_dir) : o.workdir;
  c.interactive = o.interactive;
  c.tty = o.tty;
  c.auto_remove = o.rm;
  c.labels = config.labels;
  for (const auto& [k, v] : o.labels) c.labels[k] = v;
  c.exposed = config.exposed_ports;
  // Restart policy.
  std::string policy = o.restart.empty() ? "no" : o.restart;
  std::string policy_name = policy.substr(0, policy.find(':'));
  if (policy_name != "no" && policy_name != "always" && policy_name != "unless-stopped" &&
      policy_name != "on-failure") {
    return Diagnostic{"bad-restart-policy",
                      "invalid restart policy: unknown policy '" + policy_name +
                          "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
                      {}};
  }
  if (o.rm && policy_name != "no") {
    return Diagnostic{"conflicting-options", "Conflicting options: --restart and --rm", {}};
  }
  c.restart_policy = policy;
  // Network.
  c.network = o.network.empty() ? "bridge" : o.network;
  if (!networks_.count(c.network)) {
    return DaemonError("no-such-network", "network " + c.network + " not found");
  }
  c.aliases = o.network_aliases;
  // Ports.
  auto add_exposed = [&](const std::string& port) {
    if (std::find(c.exposed.begin(), c.exposed.end(), port) == c.exposed.end()) {
      c.exposed.push_back(port);
      std::sort(c.exposed.begin(), c.exposed.end());
    }
  };
  for (const std::string& spec : o.publish) {
    std::string body = spec;
    std::string protocol = "tcp";
    if (size_t slash = body.find('/'); slash != std::string::npos) {
      protocol = body.substr(slash + 1);
      body = body.substr(0, slash);
    }
    std::vector<std::string> parts = Split(body, ':');
    PortBinding p;
    p.protocol = protocol;
    std::optional<int> container_port = ParsePort(parts.back());
    std::optional<int> host_port;
    if (parts.size() >= 2 && !parts[parts.size() - 2].empty()) {
      host_port = ParsePort(parts[parts.size() - 2]);
      if (!host_port) container_port.reset();
    }
    if (parts.size() == 3) p.host_ip = parts[0];
    if (!container_port || parts.size() > 3 || (protocol != "tcp" && protocol != "udp")) {
      return Diagnostic{"bad-publish", "invalid published port: " + spec, {}};
    }
    p.container_port = *container_port;
    p.host_port = host_port.value_or(0);  // 0: chosen at start
    add_exposed(std::to_string(p.container_port) + "/" + protocol);
    c.ports.push_back(p);
  }
  if (o.publish_all) {
    for (const std::string& port : c.exposed) {
      PortBinding p;
      p.container_port = ParsePort(port.substr(0, port.find('/'))).value_or(0);
      p.protocol = port.substr(port.find('/') + 1);
      c.ports.push_back(p);
    }
  }
  if (c.network == "host" && !c.ports.empty()) {
    if (warnings)
      *warnings += "WARNING: Published ports are discarded when using host network mode\n";
    c.ports.clear();
  }
  // Volumes: -v first, then the image's VOLUMEs not covered as anonymous volumes.
  for (const std::string& spec : o.volumes) {
    std::vector<std::string> parts = Split(spec, ':');
    Mount m;
    if (parts.size() == 1) {
      m.type = "volume";
      m.destination = parts[0];
    } else if (parts.size() == 2 || parts.size() == 3) {
      m.source = parts[0];
      m.destination = parts[1];
      m.type = !parts[0].empty() && (parts[0][0] == '/' || parts[0][0] == '.') ? "bind" : "volume";
      if (parts.size() == 3) {
        if (parts[2] != "ro" && parts[2] != "rw") {
          return Diagnostic{"bad-volume", "invalid mode: " + parts[2], {}};
        }
        m.read_only = parts[2] == "ro";
      }
    } else {
      return Diagnostic{"bad-volume", "invalid volume specification: '" + spec + "'", {}};
    }
    if (m.destination.empty() || m.destination[0] != '/') {
      return Diagnostic{"bad-volume",
                        "invalid volume specification: '" + spec +
                            "': invalid mount config for type \"volume\": invalid mount path: '" +
                            m.destination + "' mount path must be absolute",
                        {}};
    }
    c.mounts.push_back(m);
  }
  for (const std::string& path : config.volumes) {
    bool covered = std::any_of(c.mounts.begin(), c.mounts.end(),
                               [&](const Mount& m) { return m.destination == path; });
    if (!covered) c.mounts.push_back(Mount{"volume", "", path, false});
  }
  // Health check.
  if (!o.no_healthcheck) {
    if (o.health_cmd) {
      c.healthcheck = std::vector<std::string>{"CMD-SHELL", *o.health_cmd};
    } else if (config.healthcheck && !config.healthcheck->empty() &&
               (*config.healthcheck)[0] != "NONE") {
      c.healthcheck = config.healthcheck;
    }
  }
  c.health_interval = o.health_interval > 0 ? o.health_interval : 30;
  c.health_retries = o.health_retries > 0 ? o.health_retries : 3;
  return c.id;
}

}  // namespace dockit::sim

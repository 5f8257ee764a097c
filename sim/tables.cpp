// What the CLI prints: `ps`, `images`, `history`, `volume ls`, `network ls` as docker's
// tabwriter lays them out (min width 10, padding 3), with times from the virtual clock, and
// `inspect`'s JSON.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/docker_table.hpp"
#include "sim/world.hpp"

namespace dockit::sim {
namespace {

size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // UTF-8 code points, as tabwriter counts
  return n;
}

std::string Ellipsis(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < max - 1; ++i) {
    out += s[i];
    if (i + 1 >= s.size() || (static_cast<unsigned char>(s[i + 1]) & 0xC0) != 0x80) ++n;
  }
  return out + "…";
}

std::string ShortImageId(const std::string& id) { return id.substr(7, 12); }

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string Ports(const Container& c) {
  std::vector<std::string> parts;
  for (const PortBinding& p : c.ports) {
    parts.push_back(p.host_ip + ":" + std::to_string(p.host_port) + "->" +
                    std::to_string(p.container_port) + "/" + p.protocol);
  }
  for (const std::string& e : c.exposed) {
    bool published = std::any_of(c.ports.begin(), c.ports.end(), [&](const PortBinding& p) {
      return std::to_string(p.container_port) + "/" + p.protocol == e;
    });
    if (!published) parts.push_back(e);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

const char* HealthName(Health h) {
  switch (h) {
    case Health::kStarting:
      return "starting";
    case Health::kHealthy:
      return "healthy";
    case Health::kUnhealthy:
      return "unhealthy";
    case Health::kNone:
      break;
  }
  return "";
}

const char* StateName(const Container& c) {
  if (c.restart_at) return "restarting";
  if (c.paused) return "paused";
  switch (c.state) {
    case ContainerState::kCreated:
      return "created";
    case ContainerState::kRunning:
      return "running";
    case ContainerState::kExited:
      return "exited";
  }
  return "";
}

}  // namespace

std::string DockerTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(std::max<size_t>(widths[i] + 3, 10) - Width(row[i]), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string World::ImageDisplay(const Container& c) const {
  auto it = tags_.find(NormalizeReference(c.image_ref));
  if (it != tags_.end() && it->second == c.image_id) return c.image_ref;
  return ShortImageId(c.image_id);
}

std::string World::PsTable(bool all, bool quiet) const {
  std::vector<const Container*> shown;
  for (const auto& [id, c] : containers_) {
    if (all || c.Running()) shown.push_back(&c);
  }
  // Newest first, as docker ps lists them.
  std::stable_sort(shown.begin(), shown.end(),
                   [](const Container* a, const Container* b) { return a->serial > b->serial; });
  if (quiet) {
    std::string out;
    for (const Container* c : shown) out += c->ShortId() + "\n";
    return out;
  }
  std::vector<std::vector<std::string>> rows = {
      {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}};
  for (const Container* c : shown) {
    std::string status;
    if (c->restart_at) {
      status = "Restarting (" + std::to_string(c->exit_code) + ") " +
               HumanDuration(now_ - c->finished_at) + " ago";
    } else if (c->state == ContainerState::kRunning) {
      status = "Up " + HumanDuration(now_ - c->started_at);
      if (c->health == Health::kStarting) status += " (health: starting)";
      if (c->health == Health::kHealthy) status += " (healthy)";
      if (c->health == Health::kUnhealthy) status += " (unhealthy)";
      if (c->paused) status += " (Paused)";
    } else if (c->state == ContainerState::kExited) {
      status = "Exited (" + std::to_string(c->exit_code) + ") " +
               HumanDuration(now_ - c->finished_at) + " ago";
    } else {
      status = "Created";
    }
    rows.push_back({c->ShortId(), ImageDisplay(*c), "\"" + Ellipsis(Join(c->Argv()), 20) + "\"",
                    HumanDuration(now_ - c->created) + " ago", status,
                    c->Running() ? Ports(*c) : "", c->name});
  }
  return DockerTable(rows);
}

std::string World::ImagesTable(bool quiet) const {
  struct Row {
    std::string repo, tag, id;
    int64_t created;
    uint64_t size;
  };
  std::vector<Row> rows;
  for (const auto& [id, image] : images_) {
    std::vector<std::string> tags = TagsOf(id);
    if (tags.empty()) rows.push_back({"<none>", "<none>", id, image.created, image.Size()});
    for (const std::string& ref : tags) {
      size_t colon = ref.rfind(':');
      rows.push_back(
          {ref.substr(0, colon), ref.substr(colon + 1), id, image.created, image.Size()});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.created != b.created) return a.created > b.created;
    return std::tie(a.repo, a.tag) < std::tie(b.repo, b.tag);
  });
  if (quiet) {
    std::string out;
    for (const Row& r : rows) out += ShortImageId(r.id) + "\n";
    return out;
  }
  std::vector<std::vector<std::string>> table = {
      {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}};
  for (const Row& r : rows) {
    table.push_back({r.repo, r.tag, ShortImageId(r.id), HumanDuration(now_ - r.created) + " ago",
                     HumanSize(r.size)});
  }
  return DockerTable(table);
}

Result<std::string> World::HistoryTable(std::string_view image) const {
  auto id = FindImage(image);
  if (!id.Ok()) return id.Error();
  const Image& img = images_.at(id.Value());
  std::vector<std::vector<std::string>> table = {
      {"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}};
  for (size_t i = img.history.size(); i-- > 0;) {
    const HistoryEntry& h = img.history[i];
    table.push_back({i + 1 == img.history.size() ? ShortImageId(id.Value()) : "<missing>",
                     HumanDuration(now_ - h.created) + " ago", Ellipsis(h.created_by, 45),
                     HumanSize(h.size), ""});
  }
  return DockerTable(table);
}

std::string World::VolumesTable() const {
  std::vector<std::vector<std::string>> table = {{"DRIVER", "VOLUME NAME"}};
  for (const auto& [name, v] : volumes_) table.push_back({"local", name});
  return DockerTable(table);
}

std::string World::NetworksTable() const {
  std::vector<std::vector<std::string>> table = {{"NETWORK ID", "NAME", "DRIVER", "SCOPE"}};
  for (const auto& [name, n] : networks_) {
    table.push_back({n.id.substr(0, 12), name, n.driver, "local"});
  }
  return DockerTable(table);
}

Result<std::string> World::Inspect(std::string_view name_or_id) const {
  using J = nlohmann::ordered_json;
  auto cid = FindContainer(name_or_id);
  if (!cid.Ok()) {
    auto iid = FindImage(name_or_id);
    if (!iid.Ok()) {
      return Diagnostic{"no-such-object", "Error: No such object: " + std::string(name_or_id), {}};
    }
    const Image& img = images_.at(iid.Value());
    J env = J::array();
    for (const auto& [k, v] : img.config.env) env.push_back(k + "=" + v);
    J doc = {{"Id", iid.Value()},
             {"RepoTags", TagsOf(iid.Value())},
             {"Created", Rfc3339(img.created, true)},
             {"Config",
              {{"User", img.config.user},
               {"ExposedPorts", img.config.exposed_ports},
               {"Env", env},
               {"Cmd", img.config.cmd_set ? J(img.config.cmd) : J(nullptr)},
               {"WorkingDir", img.config.working_dir},
               {"Entrypoint", img.config.entrypoint_set ? J(img.config.entrypoint) : J(nullptr)},
               {"Volumes", img.config.volumes},
               {"Labels", img.config.labels}}},
             {"Size", img.Size()},
             {"RootFS", {{"Type", "layers"}, {"Layers", img.layers.DiffIds()}}}};
    return J::array({doc}).dump(4) + "\n";
  }
  const Container& c = containers_.at(cid.Value());
  std::vector<std::string> argv = c.Argv();
  J env = J::array();
  for (const auto& [k, v] : c.env) env.push_back(k + "=" + v);
  J state = {{"Status", StateName(c)},
             {"Running", c.Running()},
             {"Paused", c.paused},
             {"Restarting", c.restart_at.has_value()},
             {"OOMKilled", false},
             {"Dead", false},
             {"ExitCode", c.exit_code},
             {"Error", c.error},
             {"StartedAt", c.started_at ? Rfc3339(c.started_at, true) : "0001-01-01T00:00:00Z"},
             {"FinishedAt", c.finished_at ? Rfc3339(c.finished_at, true) : "0001-01-01T00:00:00Z"}};
  if (c.health != Health::kNone) {
    state["Health"] = {{"Status", HealthName(c.health)}, {"FailingStreak", c.health_failures}};
  }
  J bindings = J::object();
  J ports = J::object();
  for (const PortBinding& p : c.ports) {
    std::string key = std::to_string(p.container_port) + "/" + p.protocol;
    bindings[key].push_back({{"HostIp", p.host_ip == "0.0.0.0" ? "" : p.host_ip},
                             {"HostPort", std::to_string(p.host_port)}});
    ports[key].push_back({{"HostIp", p.host_ip}, {"HostPort", std::to_string(p.host_port)}});
  }
  J mounts = J::array();
  for (const Mount& m : c.mounts) {
    mounts.push_back(
        {{"Type", m.type},
         {"Name", m.type == "volume" ? m.source : ""},
         {"Source",
          m.type == "volume" ? "/var/lib/docker/volumes/" + m.source + "/_data" : m.source},
         {"Destination", m.destination},
         {"RW", !m.read_only}});
  }
  std::string policy = c.restart_policy.substr(0, c.restart_policy.find(':'));
  size_t colon = c.restart_policy.find(':');
  J doc = {{"Id", c.id},
           {"Created", Rfc3339(c.created, true)},
           {"Path", argv.empty() ? "" : argv[0]},
           {"Args", argv.empty() ? std::vector<std::string>{}
                                 : std::vector<std::string>(argv.begin() + 1, argv.end())},
           {"State", state},
           {"Image", c.image_id},
           {"Name", "/" + c.name},
           {"RestartCount", c.restart_count},
           {"HostConfig",
            {{"NetworkMode", c.network},
             {"PortBindings", bindings},
             {"RestartPolicy",
              {{"Name", policy},
               {"MaximumRetryCount",
                colon == std::string::npos ? 0 : std::atoi(c.restart_policy.c_str() + colon + 1)}}},
             {"AutoRemove", c.auto_remove}}},
           {"Mounts", mounts},
           {"Config",
            {{"Hostname", c.ShortId()},
             {"User", c.user},
             {"Tty", c.tty},
             {"OpenStdin", c.interactive},
             {"Env", env},
             {"Cmd", c.cmd},
             {"Image", c.image_ref},
             {"WorkingDir", c.workdir},
             {"Entrypoint", c.entrypoint.empty() ? J(nullptr) : J(c.entrypoint)},
             {"Labels", c.labels}}},
           {"NetworkSettings",
            {{"Ports", ports},
             {"Networks", {{c.network, {{"Aliases", c.aliases}, {"IPAddress", c.ip}}}}}}},
           {"DexecProgram",
            {{"Origin", c.state == ContainerState::kCreated ? "" : c.behaviour.origin},
             {"Declared", c.behaviour.declared}}}};
  return J::array({doc}).dump(4) + "\n";
}

}  // namespace dockit::sim

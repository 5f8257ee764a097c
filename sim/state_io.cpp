#include "sim/state_io.hpp"

#include "parser/atomic_file.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dockit::sim {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "dockit-sim-world";
constexpr const char* kKinds[] = {"file", "dir", "symlink", "hardlink", "whiteout", "opaque"};

json ChangeToJson(const plan::FileChange& c) {
  return json::array({kKinds[static_cast<int>(c.kind)], c.path, c.mode, c.uid, c.gid, c.size,
                      c.digest, c.link_target});
}

plan::FileChange ChangeFromJson(const json& j) {
  plan::FileChange c;
  std::string kind = j.at(0).get<std::string>();
  bool known = false;
  for (int i = 0; i < 6; ++i) {
    if (kind == kKinds[i]) {
      c.kind = static_cast<plan::FileChange::Kind>(i);
      known = true;
    }
  }
  if (!known) throw std::runtime_error("unknown change kind " + kind);
  c.path = j.at(1).get<std::string>();
  c.mode = j.at(2).get<uint32_t>();
  c.uid = j.at(3).get<uint32_t>();
  c.gid = j.at(4).get<uint32_t>();
  c.size = j.at(5).get<uint64_t>();
  c.digest = j.at(6).get<std::string>();
  c.link_target = j.at(7).get<std::string>();
  return c;
}

json ChangesToJson(const plan::Layer& layer) {
  json out = json::array();
  for (const plan::FileChange& c : layer.changes) out.push_back(ChangeToJson(c));
  return out;
}

plan::Layer LayerFromJson(const json& j, const std::string& expected_diff_id) {
  std::vector<plan::FileChange> changes;
  for (const json& c : j) changes.push_back(ChangeFromJson(c));
  plan::Layer layer = MakeLayer(std::move(changes));
  if (!expected_diff_id.empty() && layer.diff_id != expected_diff_id) {
    throw std::runtime_error("layer " + expected_diff_id + " does not match its content");
  }
  return layer;
}

json ConfigToJson(const plan::ImageConfig& c) {
  return {{"env", c.env},
          {"entrypoint", c.entrypoint},
          {"cmd", c.cmd},
          {"entrypoint_set", c.entrypoint_set},
          {"cmd_set", c.cmd_set},
          {"user", c.user},
          {"working_dir", c.working_dir},
          {"exposed_ports", c.exposed_ports},
          {"volumes", c.volumes},
          {"labels", c.labels},
          {"healthcheck", c.healthcheck ? json(*c.healthcheck) : json(nullptr)},
          {"stop_signal", c.stop_signal},
          {"shell", c.shell},
          {"onbuild", c.onbuild}};
}

plan::ImageConfig ConfigFromJson(const json& j) {
  plan::ImageConfig c;
  j.at("env").get_to(c.env);
  j.at("entrypoint").get_to(c.entrypoint);
  j.at("cmd").get_to(c.cmd);
  j.at("entrypoint_set").get_to(c.entrypoint_set);
  j.at("cmd_set").get_to(c.cmd_set);
  j.at("user").get_to(c.user);
  j.at("working_dir").get_to(c.working_dir);
  j.at("exposed_ports").get_to(c.exposed_ports);
  j.at("volumes").get_to(c.volumes);
  j.at("labels").get_to(c.labels);
  if (!j.at("healthcheck").is_null())
    c.healthcheck = j.at("healthcheck").get<std::vector<std::string>>();
  j.at("stop_signal").get_to(c.stop_signal);
  j.at("shell").get_to(c.shell);
  j.at("onbuild").get_to(c.onbuild);
  return c;
}

json BehaviourToJson(const Behaviour& b) {
  json prints = json::array();
  for (const TimedLine& l : b.prints) prints.push_back({l.at, l.text, l.stderr_stream});
  return {{"origin", b.origin},
          {"declared", b.declared},
          {"prints", prints},
          {"listen_port", b.listen_port ? json(*b.listen_port) : json(nullptr)},
          {"listen_at", b.listen_at},
          {"response", b.response},
          {"healthy_after", b.healthy_after ? json(*b.healthy_after) : json(nullptr)},
          {"exit_after", b.exit_after ? json(*b.exit_after) : json(nullptr)},
          {"exit_code", b.exit_code},
          {"ignore_sigterm", b.ignore_sigterm},
          {"sigterm_exit_code", b.sigterm_exit_code}};
}

Behaviour BehaviourFromJson(const json& j) {
  Behaviour b;
  j.at("origin").get_to(b.origin);
  j.at("declared").get_to(b.declared);
  for (const json& l : j.at("prints")) {
    b.prints.push_back({l.at(0).get<int64_t>(), l.at(1).get<std::string>(), l.at(2).get<bool>()});
  }
  if (!j.at("listen_port").is_null()) b.listen_port = j.at("listen_port").get<int>();
  j.at("listen_at").get_to(b.listen_at);
  j.at("response").get_to(b.response);
  if (!j.at("healthy_after").is_null()) b.healthy_after = j.at("healthy_after").get<int64_t>();
  if (!j.at("exit_after").is_null()) b.exit_after = j.at("exit_after").get<int64_t>();
  j.at("exit_code").get_to(b.exit_code);
  j.at("ignore_sigterm").get_to(b.ignore_sigterm);
  j.at("sigterm_exit_code").get_to(b.sigterm_exit_code);
  return b;
}

int StateNumber(ContainerState s) { return static_cast<int>(s); }
int HealthNumber(Health h) { return static_cast<int>(h); }

}  // namespace

class WorldState {
 public:
  static json ToJson(const World& w) {
    json layers = json::object();
    json images = json::object();
    for (const auto& [id, image] : w.images_) {
      for (const auto& layer : image.layers.Layers()) {
        layers[layer->diff_id] = ChangesToJson(*layer);
      }
      json history = json::array();
      for (const HistoryEntry& h : image.history) {
        history.push_back({h.created_by, h.created, h.size, h.empty_layer});
      }
      images[id] = {{"layers", image.layers.DiffIds()},
                    {"config", ConfigToJson(image.config)},
                    {"history", history},
                    {"created", image.created}};
    }
    json cache = json::array();
    for (const auto& [diff_id, layer] : w.cache_layers_) {
      layers[diff_id] = ChangesToJson(*layer);
      cache.push_back(diff_id);
    }
    json containers = json::object();
    for (const auto& [id, c] : w.containers_) {
      json ports = json::array();
      for (const PortBinding& p : c.ports) {
        ports.push_back({p.host_ip, p.host_port, p.container_port, p.protocol});
      }
      json mounts = json::array();
      for (const Mount& m : c.mounts) {
        mounts.push_back({m.type, m.source, m.destination, m.read_only});
      }
      json logs = json::array();
      for (const LogLine& l : c.logs) logs.push_back({l.time, l.text, l.stderr_stream});
      containers[id] = {{"name", c.name},
                        {"serial", c.serial},
                        {"image_id", c.image_id},
                        {"image_ref", c.image_ref},
                        {"entrypoint", c.entrypoint},
                        {"cmd", c.cmd},
                        {"env", c.env},
                        {"user", c.user},
                        {"workdir", c.workdir},
                        {"interactive", c.interactive},
                        {"tty", c.tty},
                        {"auto_remove", c.auto_remove},
                        {"state", StateNumber(c.state)},
                        {"exit_code", c.exit_code},
                        {"error", c.error},
                        {"created", c.created},
                        {"started_at", c.started_at},
                        {"finished_at", c.finished_at},
                        {"paused", c.paused},
                        {"paused_at", c.paused_at},
                        {"paused_total", c.paused_total},
                        {"ports", ports},
                        {"exposed", c.exposed},
                        {"mounts", mounts},
                        {"network", c.network},
                        {"aliases", c.aliases},
                        {"ip", c.ip},
                        {"restart_policy", c.restart_policy},
                        {"restart_count", c.restart_count},
                        {"restart_at", c.restart_at ? json(*c.restart_at) : json(nullptr)},
                        {"stopped_by_user", c.stopped_by_user},
                        {"healthcheck", c.healthcheck ? json(*c.healthcheck) : json(nullptr)},
                        {"health_interval", c.health_interval},
                        {"health_retries", c.health_retries},
                        {"health", HealthNumber(c.health)},
                        {"health_failures", c.health_failures},
                        {"next_check", c.next_check},
                        {"labels", c.labels},
                        {"layer", ChangesToJson(c.layer->Diff())},
                        {"behaviour", BehaviourToJson(c.behaviour)},
                        {"printed", c.printed},
                        {"logs", logs}};
    }
    json volumes = json::object();
    for (const auto& [name, v] : w.volumes_) {
      volumes[name] = {{"created", v.created},
                       {"anonymous", v.anonymous},
                       {"size", v.size},
                       {"labels", v.labels}};
    }
    json networks = json::object();
    for (const auto& [name, n] : w.networks_) {
      networks[name] = {{"id", n.id},           {"driver", n.driver},       {"subnet", n.subnet},
                        {"created", n.created}, {"next_host", n.next_host}, {"labels", n.labels}};
    }
    json texts = json::object();
    for (const auto& [digest, text] : w.texts_.All()) texts[digest] = text;
    return {{"format", kFormat},
            {"version", kWorldStateVersion},
            {"clock", w.now_},
            {"counters",
             {{"container", w.container_counter_},
              {"name", w.name_counter_},
              {"volume", w.volume_counter_},
              {"network", w.network_counter_}}},
            {"layers", layers},
            {"images", images},
            {"tags", w.tags_},
            {"containers", containers},
            {"volumes", volumes},
            {"networks", networks},
            {"declared", w.declared_},
            {"texts", texts},
            {"record", w.record_.ToJson()},
            {"cache_layers", cache}};
  }

  // Throws nlohmann's exceptions or std::runtime_error on damage; ParseWorld turns them into
  // a Diagnostic.
  static Result<World> FromJson(const json& doc, const std::string& where) {
    World w;
    w.now_ = doc.at("clock").get<int64_t>();
    const json& counters = doc.at("counters");
    w.container_counter_ = counters.at("container").get<uint64_t>();
    w.name_counter_ = counters.at("name").get<uint64_t>();
    w.volume_counter_ = counters.at("volume").get<uint64_t>();
    w.network_counter_ = counters.at("network").get<uint64_t>();
    std::map<std::string, std::shared_ptr<const plan::Layer>> layers;
    for (const auto& [diff_id, changes] : doc.at("layers").items()) {
      layers[diff_id] = std::make_shared<const plan::Layer>(LayerFromJson(changes, diff_id));
    }
    auto layer = [&](const std::string& diff_id) {
      auto it = layers.find(diff_id);
      if (it == layers.end()) throw std::runtime_error("missing layer " + diff_id);
      return it->second;
    };
    for (const auto& [id, j] : doc.at("images").items()) {
      std::vector<plan::Layer> stack;
      for (const json& diff_id : j.at("layers"))
        stack.push_back(*layer(diff_id.get<std::string>()));
      auto built = LayerStack::Of(std::move(stack));
      if (!built.Ok()) throw std::runtime_error("image " + id + ": " + built.Error().message);
      Image image{
          built.Value(), ConfigFromJson(j.at("config")), {}, j.at("created").get<int64_t>()};
      for (const json& h : j.at("history")) {
        image.history.push_back({h.at(0).get<std::string>(), h.at(1).get<int64_t>(),
                                 h.at(2).get<uint64_t>(), h.at(3).get<bool>()});
      }
      if (ImageId(image) != id) throw std::runtime_error("image " + id + " does not match its ID");
      w.images_.emplace(id, std::move(image));
    }
    w.tags_ = doc.at("tags").get<std::map<std::string, std::string>>();
    for (const auto& [ref, id] : w.tags_) {
      if (!w.images_.count(id)) throw std::runtime_error("tag " + ref + " names a missing image");
    }
    for (const auto& [id, j] : doc.at("containers").items()) {
      Container c;
      c.id = id;
      j.at("name").get_to(c.name);
      j.at("serial").get_to(c.serial);
      j.at("image_id").get_to(c.image_id);
      auto image = w.images_.find(c.image_id);
      if (image == w.images_.end()) {
        throw std::runtime_error("container " + id + " refers to a missing image");
      }
      j.at("image_ref").get_to(c.image_ref);
      j.at("entrypoint").get_to(c.entrypoint);
      j.at("cmd").get_to(c.cmd);
      j.at("env").get_to(c.env);
      j.at("user").get_to(c.user);
      j.at("workdir").get_to(c.workdir);
      j.at("interactive").get_to(c.interactive);
      j.at("tty").get_to(c.tty);
      j.at("auto_remove").get_to(c.auto_remove);
      int state = j.at("state").get<int>();
      if (state < 0 || state > 2) throw std::runtime_error("container " + id + ": bad state");
      c.state = static_cast<ContainerState>(state);
      j.at("exit_code").get_to(c.exit_code);
      j.at("error").get_to(c.error);
      j.at("created").get_to(c.created);
      j.at("started_at").get_to(c.started_at);
      j.at("finished_at").get_to(c.finished_at);
      j.at("paused").get_to(c.paused);
      j.at("paused_at").get_to(c.paused_at);
      j.at("paused_total").get_to(c.paused_total);
      for (const json& p : j.at("ports")) {
        c.ports.push_back({p.at(0).get<std::string>(), p.at(1).get<int>(), p.at(2).get<int>(),
                           p.at(3).get<std::string>()});
      }
      j.at("exposed").get_to(c.exposed);
      for (const json& m : j.at("mounts")) {
        c.mounts.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                            m.at(2).get<std::string>(), m.at(3).get<bool>()});
      }
      j.at("network").get_to(c.network);
      j.at("aliases").get_to(c.aliases);
      j.at("ip").get_to(c.ip);
      j.at("restart_policy").get_to(c.restart_policy);
      j.at("restart_count").get_to(c.restart_count);
      if (!j.at("restart_at").is_null()) c.restart_at = j.at("restart_at").get<int64_t>();
      j.at("stopped_by_user").get_to(c.stopped_by_user);
      if (!j.at("healthcheck").is_null()) {
        c.healthcheck = j.at("healthcheck").get<std::vector<std::string>>();
      }
      j.at("health_interval").get_to(c.health_interval);
      j.at("health_retries").get_to(c.health_retries);
      int health = j.at("health").get<int>();
      if (health < 0 || health > 3) throw std::runtime_error("container " + id + ": bad health");
      c.health = static_cast<Health>(health);
      j.at("health_failures").get_to(c.health_failures);
      j.at("next_check").get_to(c.next_check);
      j.at("labels").get_to(c.labels);
      auto restored = WorkingLayer::Restore(image->second.layers, LayerFromJson(j.at("layer"), ""));
      if (!restored.Ok()) {
        throw std::runtime_error("container " + id + ": " + restored.Error().message);
      }
      c.layer = std::make_shared<WorkingLayer>(std::move(restored).Value());
      c.behaviour = BehaviourFromJson(j.at("behaviour"));
      j.at("printed").get_to(c.printed);
      if (c.printed > c.behaviour.prints.size()) {
        throw std::runtime_error("container " + id + ": bad printed count");
      }
      for (const json& l : j.at("logs")) {
        c.logs.push_back({l.at(0).get<int64_t>(), l.at(1).get<std::string>(), l.at(2).get<bool>()});
      }
      w.containers_.emplace(id, std::move(c));
    }
    for (const auto& [name, v] : doc.at("volumes").items()) {
      w.volumes_[name] = Volume{name, v.at("created").get<int64_t>(), v.at("anonymous").get<bool>(),
                                v.at("size").get<uint64_t>(),
                                v.at("labels").get<std::map<std::string, std::string>>()};
    }
    w.networks_.clear();
    for (const auto& [name, n] : doc.at("networks").items()) {
      w.networks_[name] = Network{name,
                                  n.at("id").get<std::string>(),
                                  n.at("driver").get<std::string>(),
                                  n.at("subnet").get<std::string>(),
                                  n.at("created").get<int64_t>(),
                                  n.at("next_host").get<int>(),
                                  n.at("labels").get<std::map<std::string, std::string>>()};
    }
    w.declared_ = doc.at("declared").get<std::map<std::string, std::string>>();
    for (const auto& [digest, text] : doc.at("texts").items()) {
      FileContent put = w.texts_.Put(text.get<std::string>());
      if (put.digest != digest) throw std::runtime_error("text " + digest + " does not match");
    }
    auto record = plan::BuildRecord::FromJson(doc.at("record"), where);
    if (!record.Ok()) return record.Error();
    w.record_ = std::move(record).Value();
    for (const json& diff_id : doc.at("cache_layers")) {
      w.cache_layers_[diff_id.get<std::string>()] = layer(diff_id.get<std::string>());
    }
    return w;
  }
};

namespace {

Diagnostic StateError(const std::string& where, const std::string& why) {
  return Diagnostic{"bad-world-state", where + ": " + why, {}};
}

}  // namespace

std::string SerializeWorld(const World& world) { return WorldState::ToJson(world).dump(1) + "\n"; }

Result<World> ParseWorld(std::string_view text, const std::string& where) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return StateError(where, "not a JSON object");
  if (!doc.contains("format") || doc["format"] != kFormat) {
    return StateError(where, "not a dexec simulator state file");
  }
  if (!doc.contains("version") || doc["version"] != kWorldStateVersion) {
    return StateError(where, "a simulator state file of another version (this one reads version " +
                                 std::to_string(kWorldStateVersion) + ")");
  }
  try {
    return WorldState::FromJson(doc, where);
  } catch (const std::exception& e) {
    return StateError(where, std::string("damaged: ") + e.what());
  }
}

Status SaveWorld(const World& world, const std::string& path) {
  if (auto error = WriteFileAtomically(path, SerializeWorld(world)))
    return StateError(path, *error);
  return OkStatus();
}

Result<World> LoadWorld(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return World{};
  std::ostringstream text;
  text << in.rdbuf();
  return ParseWorld(text.str(), path);
}

}  // namespace dockit::sim

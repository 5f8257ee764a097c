// OCI image config and manifest JSON, mapped to and from the planner's ImageConfig and
// HistoryEntry, and images committed to / read from the store.
#include "runtime/oci.hpp"

#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "runtime/image_files.hpp"

namespace dockit::runtime {

namespace {

using json = nlohmann::json;

constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kConfigType = "application/vnd.oci.image.config.v1+json";
constexpr const char* kLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

json EmptySet(const std::vector<std::string>& keys) {
  json out = json::object();
  for (const std::string& k : keys) out[k] = json::object();
  return out;
}

json ContainerConfig(const plan::ImageConfig& c) {
  json out = json::object();
  if (!c.env.empty()) {
    json env = json::array();
    for (const auto& [k, v] : c.env) env.push_back(k + "=" + v);
    out["Env"] = env;
  }
  // An explicit empty ENTRYPOINT [] or CMD [] is kept as [] (it resets the base's value).
  if (c.entrypoint_set || !c.entrypoint.empty()) out["Entrypoint"] = c.entrypoint;
  if (c.cmd_set || !c.cmd.empty()) out["Cmd"] = c.cmd;
  if (!c.user.empty()) out["User"] = c.user;
  if (!c.working_dir.empty()) out["WorkingDir"] = c.working_dir;
  if (!c.exposed_ports.empty()) out["ExposedPorts"] = EmptySet(c.exposed_ports);
  if (!c.volumes.empty()) out["Volumes"] = EmptySet(c.volumes);
  if (!c.labels.empty()) out["Labels"] = c.labels;
  if (c.healthcheck) out["Healthcheck"] = json{{"Test", *c.healthcheck}};
  if (!c.stop_signal.empty()) out["StopSignal"] = c.stop_signal;
  // Docker's extensions; OCI readers ignore them.
  if (!c.shell.empty()) out["Shell"] = c.shell;
  if (!c.onbuild.empty()) out["OnBuild"] = c.onbuild;
  return out;
}

std::vector<std::string> Strings(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_array()) return {};
  return j[key].get<std::vector<std::string>>();
}

std::vector<std::string> Keys(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || !j[key].is_object()) return out;
  for (const auto& [k, v] : j[key].items()) out.push_back(k);
  return out;
}

std::string String(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return "";
  return j[key].get<std::string>();
}

plan::ImageConfig ParseContainerConfig(const json& c) {
  plan::ImageConfig out;
  if (!c.is_object()) return out;
  for (const std::string& kv : Strings(c, "Env")) {
    size_t eq = kv.find('=');
    out.env.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  out.entrypoint_set = c.contains("Entrypoint") && c["Entrypoint"].is_array();
  out.entrypoint = Strings(c, "Entrypoint");
  out.cmd_set = c.contains("Cmd") && c["Cmd"].is_array();
  out.cmd = Strings(c, "Cmd");
  out.user = String(c, "User");
  out.working_dir = String(c, "WorkingDir");
  out.exposed_ports = Keys(c, "ExposedPorts");
  out.volumes = Keys(c, "Volumes");
  if (c.contains("Labels") && c["Labels"].is_object()) {
    for (const auto& [k, v] : c["Labels"].items()) {
      if (v.is_string()) out.labels[k] = v.get<std::string>();
    }
  }
  if (c.contains("Healthcheck") && c["Healthcheck"].is_object()) {
    out.healthcheck = Strings(c["Healthcheck"], "Test");
  }
  out.stop_signal = String(c, "StopSignal");
  out.shell = Strings(c, "Shell");
  out.onbuild = Strings(c, "OnBuild");
  return out;
}

}  // namespace

std::string FormatRfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return std::nullopt;
  int64_t seconds = static_cast<int64_t>(timegm(&tm));
  if (*rest == '.') {
    ++rest;
    while (*rest >= '0' && *rest <= '9') ++rest;
  }
  if ((*rest == '+' || *rest == '-') && std::strlen(rest) >= 6) {
    int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    int minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    int64_t offset = hours * 3600 + minutes * 60;
    seconds += *rest == '+' ? -offset : offset;
  }
  return seconds;
}

std::string ConfigJson(const StoredImage& image) {
  json diff_ids = json::array();
  for (const LayerInfo& l : image.layers) diff_ids.push_back(l.diff_id);
  json history = json::array();
  for (const plan::HistoryEntry& h : image.history) {
    json entry = {{"created", FormatRfc3339(h.created)}};
    if (!h.created_by.empty()) entry["created_by"] = h.created_by;
    if (h.empty_layer) entry["empty_layer"] = true;
    history.push_back(entry);
  }
  json config = {{"created", FormatRfc3339(image.created)},
                 {"architecture", image.architecture},
                 {"os", image.os},
                 {"config", ContainerConfig(image.config)},
                 {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                 {"history", history}};
  return config.dump();
}

Result<StoredImage> ParseConfigJson(std::string_view text) {
  try {
    json j = json::parse(text);
    StoredImage image;
    if (auto created = ParseRfc3339(String(j, "created"))) image.created = *created;
    image.architecture = String(j, "architecture");
    image.os = String(j, "os");
    if (j.contains("config")) image.config = ParseContainerConfig(j["config"]);
    for (const std::string& d : j.at("rootfs").at("diff_ids").get<std::vector<std::string>>()) {
      if (!IsDigest(d))
        return StoreError("bad-config", "image config has a bad diff_id \"" + d + "\"");
      image.layers.push_back(LayerInfo{d, "", 0, 0});
    }
    if (j.contains("history") && j["history"].is_array()) {
      for (const json& h : j["history"]) {
        plan::HistoryEntry entry;
        if (auto created = ParseRfc3339(String(h, "created"))) entry.created = *created;
        entry.created_by = String(h, "created_by");
        entry.empty_layer = h.contains("empty_layer") && h["empty_layer"].is_boolean() &&
                            h["empty_layer"].get<bool>();
        image.history.push_back(entry);
      }
    }
    return image;
  } catch (const json::exception& e) {
    return StoreError("bad-config", std::string("image config is not valid: ") + e.what());
  }
}

Result<ManifestRef> ParseManifest(std::string_view text) {
  try {
    json j = json::parse(text);
    ManifestRef out;
    out.config_digest = j.at("config").at("digest").get<std::string>();
    for (const json& l : j.at("layers"))
      out.layer_digests.push_back(l.at("digest").get<std::string>());
    if (!IsDigest(out.config_digest))
      return StoreError("bad-manifest", "manifest has a bad config digest");
    for (const std::string& d : out.layer_digests) {
      if (!IsDigest(d))
        return StoreError("bad-manifest", "manifest has a bad layer digest \"" + d + "\"");
    }
    return out;
  } catch (const json::exception& e) {
    return StoreError("bad-manifest", std::string("image manifest is not valid: ") + e.what());
  }
}

Result<StoredImage> CommitConfig(const Store& store, const std::string& config_json) {
  auto parsed = ParseConfigJson(config_json);
  if (!parsed) return parsed.Error();
  StoredImage image = std::move(parsed).Value();
  for (LayerInfo& layer : image.layers) {
    auto stored = store.Layer(layer.diff_id);
    if (!stored)
      return StoreError("missing-layer", "layer " + layer.diff_id + " is not in the store");
    layer = *stored;
  }
  auto config_digest = store.PutBlob(config_json);
  if (!config_digest) return config_digest.Error();
  json layers = json::array();
  for (const LayerInfo& l : image.layers) {
    layers.push_back({{"mediaType", kLayerType}, {"digest", l.blob_digest}, {"size", l.blob_size}});
  }
  json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kManifestType},
      {"config",
       {{"mediaType", kConfigType}, {"digest", *config_digest}, {"size", config_json.size()}}},
      {"layers", layers}};
  auto manifest_digest = store.PutBlob(manifest.dump());
  if (!manifest_digest) return manifest_digest.Error();
  image.config_digest = *config_digest;
  image.manifest_digest = *manifest_digest;
  // docker history gives each layer-making step its layer's size.
  size_t next = 0;
  for (plan::HistoryEntry& h : image.history) {
    if (!h.empty_layer && next < image.layers.size()) h.size = image.layers[next++].size;
  }
  return image;
}

Result<StoredImage> CommitImage(const Store& store, const std::vector<std::string>& diff_ids,
                                const plan::ImageConfig& config,
                                const std::vector<plan::HistoryEntry>& history, int64_t created) {
  StoredImage image;
  for (const std::string& d : diff_ids) image.layers.push_back(LayerInfo{d, "", 0, 0});
  image.config = config;
  image.history = history;
  image.created = created;
  return CommitConfig(store, ConfigJson(image));
}

Result<StoredImage> LoadImage(const Store& store, const std::string& reference) {
  auto manifest_digest = store.Resolve(reference);
  if (!manifest_digest) return manifest_digest.Error();
  auto manifest_text = store.ReadBlob(*manifest_digest);
  if (!manifest_text) return manifest_text.Error();
  auto manifest = ParseManifest(*manifest_text);
  if (!manifest) return manifest.Error();
  auto config_text = store.ReadBlob(manifest->config_digest);
  if (!config_text) return config_text.Error();
  auto parsed = ParseConfigJson(*config_text);
  if (!parsed) return parsed.Error();
  StoredImage image = std::move(parsed).Value();
  if (image.layers.size() != manifest->layer_digests.size()) {
    return StoreError("bad-manifest", "manifest " + *manifest_digest + " lists " +
                                          std::to_string(manifest->layer_digests.size()) +
                                          " layers but its config has " +
                                          std::to_string(image.layers.size()));
  }
  for (size_t i = 0; i < image.layers.size(); ++i) {
    LayerInfo& layer = image.layers[i];
    if (auto stored = store.Layer(layer.diff_id)) layer = *stored;
    // The manifest names the blob this image carries (the same diff_id may have other blobs).
    layer.blob_digest = manifest->layer_digests[i];
    std::error_code ec;
    layer.blob_size = std::filesystem::file_size(store.BlobPath(layer.blob_digest), ec);
    if (ec) layer.blob_size = 0;
  }
  size_t next = 0;
  for (plan::HistoryEntry& h : image.history) {
    if (!h.empty_layer && next < image.layers.size()) h.size = image.layers[next++].size;
  }
  image.manifest_digest = *manifest_digest;
  image.config_digest = manifest->config_digest;
  return image;
}

}  // namespace dockit::runtime

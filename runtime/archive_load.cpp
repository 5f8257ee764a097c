// `dexec load`: docker-save archives (manifest.json) and OCI image layout archives
// (index.json). Every layer is checked against its config's diff_id before it is stored, and
// an image is tagged only once all of it is in the store.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "planner/digest.hpp"
#include "runtime/archive_extract.hpp"
#include "runtime/image_files.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"

namespace dockit::runtime {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// One image found in the archive: its config file, its layer files (bottom first) and names.
struct ArchivedImage {
  std::string config_path;
  std::vector<std::string> layer_paths;
  std::vector<std::string> references;
  std::string what;  // how errors name it
};

Diagnostic LoadError(const std::string& message) { return StoreError("bad-archive", message); }

Result<json> ReadJson(const std::string& path, const std::string& name) {
  auto text = ReadWholeFile(path);
  if (!text) return text.Error();
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return LoadError(name + " is not valid JSON: " + e.what());
  }
}

Result<std::vector<ArchivedImage>> DockerImages(const std::string& root) {
  auto doc = ReadJson(root + "/manifest.json", "manifest.json");
  if (!doc) return doc.Error();
  std::vector<ArchivedImage> out;
  try {
    for (const json& entry : doc->get<std::vector<json>>()) {
      ArchivedImage image;
      auto config = FileInside(root, entry.at("Config").get<std::string>());
      if (!config) return config.Error();
      image.config_path = *config;
      image.what = "image " + entry.at("Config").get<std::string>();
      for (const json& layer : entry.at("Layers")) {
        auto path = FileInside(root, layer.get<std::string>());
        if (!path) return path.Error();
        image.layer_paths.push_back(*path);
      }
      if (entry.contains("RepoTags") && entry["RepoTags"].is_array()) {
        image.references = entry["RepoTags"].get<std::vector<std::string>>();
      }
      out.push_back(image);
    }
  } catch (const json::exception& e) {
    return LoadError(std::string("manifest.json is not a docker save manifest: ") + e.what());
  }
  return out;
}

// A blob of the OCI layout, checked against its digest.
Result<std::string> LayoutBlob(const std::string& root, const std::string& digest) {
  if (!IsDigest(digest)) return LoadError("unsupported digest \"" + digest + "\"");
  auto path = FileInside(root, "blobs/sha256/" + DigestHex(digest));
  if (!path) return path.Error();
  std::string error;
  auto actual = plan::Sha256OfFile(*path, &error);
  if (!actual) return LoadError(error);
  if (*actual != digest) return LoadError("blob " + digest + " does not match its digest");
  return path;
}

Status OciManifest(const std::string& root, const json& descriptor, int depth,
                   std::vector<ArchivedImage>* out) {
  std::string digest = descriptor.at("digest").get<std::string>();
  auto path = LayoutBlob(root, digest);
  if (!path) return path.Error();
  auto doc = ReadJson(*path, "manifest " + digest);
  if (!doc) return doc.Error();
  std::string type = descriptor.value("mediaType", doc->value("mediaType", ""));
  if (doc->contains("manifests")) {
    // A nested index (multi-platform): take linux/amd64, else the only manifest.
    if (depth > 2) return LoadError("index " + digest + " nests too deep");
    const json* chosen = nullptr;
    const json& manifests = doc->at("manifests");
    for (const json& m : manifests) {
      if (m.contains("platform") && m["platform"].value("os", "") == "linux" &&
          m["platform"].value("architecture", "") == "amd64") {
        chosen = &m;
        break;
      }
    }
    if (!chosen && manifests.size() == 1) chosen = &manifests[0];
    if (!chosen) return LoadError("index " + digest + " has no linux/amd64 image");
    json inner = *chosen;
    if (descriptor.contains("annotations")) inner["annotations"] = descriptor["annotations"];
    return OciManifest(root, inner, depth + 1, out);
  }
  ArchivedImage image;
  image.what = "image " + digest;
  auto config = LayoutBlob(root, doc->at("config").at("digest").get<std::string>());
  if (!config) return config.Error();
  image.config_path = *config;
  for (const json& layer : doc->at("layers")) {
    auto blob = LayoutBlob(root, layer.at("digest").get<std::string>());
    if (!blob) return blob.Error();
    image.layer_paths.push_back(*blob);
  }
  json annotations = descriptor.value("annotations", json::object());
  if (annotations.contains("io.containerd.image.name")) {
    image.references.push_back(annotations["io.containerd.image.name"].get<std::string>());
  } else if (annotations.contains("org.opencontainers.image.ref.name")) {
    image.references.push_back(annotations["org.opencontainers.image.ref.name"].get<std::string>());
  }
  out->push_back(image);
  return OkStatus();
}

Result<std::vector<ArchivedImage>> OciImages(const std::string& root) {
  auto index = ReadJson(root + "/index.json", "index.json");
  if (!index) return index.Error();
  std::vector<ArchivedImage> out;
  try {
    for (const json& descriptor : index->at("manifests")) {
      if (auto s = OciManifest(root, descriptor, 0, &out); !s) return s.Error();
    }
  } catch (const json::exception& e) {
    return LoadError(std::string("index.json is not an OCI image index: ") + e.what());
  }
  return out;
}

struct Stored {
  std::vector<std::string> references;
  std::string manifest_digest;
};

Result<Stored> StoreImage(const Store& store, const ArchivedImage& archived) {
  if (archived.references.empty()) {
    return LoadError(archived.what + " has no name (RepoTags or a ref.name annotation)");
  }
  std::vector<std::string> references;
  for (const std::string& r : archived.references) {
    auto normalized = NormalizeReference(r);
    if (!normalized) return normalized.Error();
    references.push_back(*normalized);
  }
  auto config_text = ReadWholeFile(archived.config_path);
  if (!config_text) return config_text.Error();
  auto config = ParseConfigJson(*config_text);
  if (!config) return LoadError(archived.what + ": " + config.Error().message);
  if (config->layers.size() != archived.layer_paths.size()) {
    return LoadError(archived.what + " has " + std::to_string(archived.layer_paths.size()) +
                     " layers but its config lists " + std::to_string(config->layers.size()) +
                     " diff_ids");
  }
  for (size_t i = 0; i < archived.layer_paths.size(); ++i) {
    auto layer = store.AddLayerFromBlob(archived.layer_paths[i], {}, config->layers[i].diff_id);
    if (!layer) return LoadError(archived.what + ": " + layer.Error().message);
  }
  auto image = CommitConfig(store, *config_text);
  if (!image) return image.Error();
  return Stored{references, image->manifest_digest};
}

}  // namespace

Result<std::vector<std::string>> LoadArchive(const Store& store, const std::string& archive_path) {
  auto lock = store.LockShared();
  if (!lock) return lock.Error();
  auto temp = store.TempDir("load");
  if (!temp) return temp.Error();
  struct Cleanup {
    std::string dir;
    ~Cleanup() { RemoveTree(dir); }
  } cleanup{*temp};
  if (auto s = ExtractArchive(archive_path, *temp); !s) return s.Error();
  std::error_code ec;
  Result<std::vector<ArchivedImage>> images = std::vector<ArchivedImage>{};
  if (fs::exists(*temp + "/manifest.json", ec)) {
    images = DockerImages(*temp);
  } else if (fs::exists(*temp + "/index.json", ec)) {
    images = OciImages(*temp);
  } else {
    return LoadError(archive_path +
                     " is neither a docker save archive (manifest.json) nor an "
                     "OCI image layout (index.json)");
  }
  if (!images) return LoadError(archive_path + ": " + images.Error().message);
  // Everything is stored before anything is tagged: a bad image later in the archive leaves
  // no name pointing into a half-loaded archive (the stored parts are garbage for GC).
  std::vector<Stored> stored;
  for (const ArchivedImage& image : *images) {
    auto one = StoreImage(store, image);
    if (!one) return LoadError(archive_path + ": " + one.Error().message);
    stored.push_back(*one);
  }
  std::vector<std::string> loaded;
  for (const Stored& image : stored) {
    for (const std::string& r : image.references) {
      if (auto s = store.Tag(r, image.manifest_digest); !s) return s.Error();
      loaded.push_back(r);
    }
  }
  return loaded;
}

}  // namespace dockit::runtime

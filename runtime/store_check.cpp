// `dexec system check`: every object is what its name says, and everything an image names
// exists. Only tmp/ debris is repaired: anything else needs a human (or a rebuild).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "planner/digest.hpp"
#include "runtime/image_files.hpp"
#include "runtime/oci.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

namespace fs = std::filesystem;

CheckReport Store::Check(bool repair) const {
  CheckReport report;
  auto lock = LockExclusive();
  if (!lock) {
    report.problems.push_back(lock.Error().message);
    return report;
  }
  std::error_code ec;
  if (repair) ClearDebris(&report);
  for (const auto& entry : fs::directory_iterator(dir_ + "/tmp", ec)) {
    report.debris.push_back("tmp/" + entry.path().filename().string() +
                            " is debris of an interrupted write");
  }
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      report.debris.push_back(name + " is debris of an interrupted write");
    }
  }
  for (const auto& entry : fs::directory_iterator(dir_ + "/blobs/sha256", ec)) {
    std::string digest = "sha256:" + entry.path().filename().string();
    if (!IsDigest(digest)) {
      report.problems.push_back("blobs/sha256/" + entry.path().filename().string() +
                                " is not named by a digest");
      continue;
    }
    std::string error;
    auto actual = plan::Sha256OfFile(entry.path(), &error);
    if (!actual) {
      report.problems.push_back("blob " + digest + " cannot be read: " + error);
    } else if (*actual != digest) {
      report.problems.push_back("blob " + digest + " is corrupt (its content is " + *actual + ")");
    }
  }
  for (const auto& entry : fs::directory_iterator(dir_ + "/layers", ec)) {
    std::string diff_id = "sha256:" + entry.path().filename().string();
    auto info = Layer(diff_id);
    if (!info) {
      report.problems.push_back("layer " + diff_id + " has no valid layer.json");
      continue;
    }
    if (!fs::is_directory(entry.path() / "fs", ec)) {
      report.problems.push_back("layer " + diff_id + " has no fs/ directory");
    }
    if (!HasBlob(info->blob_digest)) {
      report.problems.push_back("layer " + diff_id + ": its blob " + info->blob_digest +
                                " is missing");
    }
  }
  auto index = ReadIndex();
  if (!index) {
    report.problems.push_back(index.Error().message);
  } else {
    for (const auto& [reference, manifest_digest] : *index) {
      std::string where = "image " + reference + ": ";
      auto text = ReadBlob(manifest_digest);
      if (!text) {
        report.problems.push_back(where + text.Error().message);
        continue;
      }
      auto manifest = ParseManifest(*text);
      if (!manifest) {
        report.problems.push_back(where + manifest.Error().message);
        continue;
      }
      for (const std::string& blob : manifest->layer_digests) {
        if (!HasBlob(blob)) report.problems.push_back(where + "layer blob " + blob + " is missing");
      }
      auto config = ReadBlob(manifest->config_digest);
      if (!config) {
        report.problems.push_back(where + config.Error().message);
        continue;
      }
      auto image = ParseConfigJson(*config);
      if (!image) {
        report.problems.push_back(where + image.Error().message);
        continue;
      }
      if (image->layers.size() != manifest->layer_digests.size()) {
        report.problems.push_back(where + "its manifest and config disagree on the layer count");
      }
      for (const LayerInfo& l : image->layers) {
        if (!HasLayer(l.diff_id)) {
          report.problems.push_back(where + "layer " + l.diff_id + " is not unpacked in layers/");
        }
      }
    }
  }
  if (auto record = LoadRecord(); !record) report.problems.push_back(record.Error().message);
  return report;
}

}  // namespace dockit::runtime

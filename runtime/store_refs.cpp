// images.json (reference -> manifest digest) and record.json, rewritten only under index.lock
// by read-modify-write, so concurrent builds and tags never lose each other's entries.
#include <nlohmann/json.hpp>

#include "parser/atomic_file.hpp"
#include "runtime/image_files.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/store.hpp"

namespace dockit::runtime {

Result<std::map<std::string, std::string>> Store::ReadIndex() const {
  std::string path = dir_ + "/images.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::map<std::string, std::string>{};
  auto text = ReadWholeFile(path);
  if (!text) return text.Error();
  try {
    return nlohmann::json::parse(*text).at("images").get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return StoreError("bad-index", path + " is damaged: " + e.what());
  }
}

Status Store::WriteIndex(const std::map<std::string, std::string>& index) const {
  nlohmann::json j = {{"images", index}};
  if (auto error = WriteFileAtomically(dir_ + "/images.json", j.dump(1) + "\n")) {
    return StoreError("store-io", *error);
  }
  return OkStatus();
}

Result<std::vector<ImageEntry>> Store::Images() const {
  auto index = ReadIndex();
  if (!index) return index.Error();
  std::vector<ImageEntry> out;
  for (const auto& [reference, digest] : *index) out.push_back({reference, digest});
  return out;
}

namespace {

bool IsHexPrefix(std::string_view s) {
  if (s.size() < 4 || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Diagnostic NoSuchImage(const std::string& reference) {
  return StoreError("no-such-image", "no such image: " + reference);
}

}  // namespace

Result<std::string> Store::Resolve(const std::string& reference) const {
  auto index = ReadIndex();
  if (!index) return index.Error();
  if (size_t at = reference.find('@'); at != std::string::npos) {
    std::string digest = reference.substr(at + 1);
    for (const auto& [ref, manifest] : *index) {
      if (manifest == digest) return digest;
    }
    return NoSuchImage(reference);
  }
  if (auto normalized = NormalizeReference(reference)) {
    if (auto it = index->find(*normalized); it != index->end()) return it->second;
  }
  // An image ID (the config digest) or a unique prefix of it, as docker accepts.
  std::string hex = reference.starts_with("sha256:") ? reference.substr(7) : reference;
  if (!IsHexPrefix(hex)) return NoSuchImage(reference);
  std::vector<std::string> found;
  for (const auto& [ref, manifest] : *index) {
    if (std::find(found.begin(), found.end(), manifest) != found.end()) continue;
    if (DigestHex(manifest).starts_with(hex) && hex.size() == 64) {
      found.push_back(manifest);
      continue;
    }
    auto text = ReadBlob(manifest);
    if (!text) continue;
    try {
      std::string config =
          nlohmann::json::parse(*text).at("config").at("digest").get<std::string>();
      if (DigestHex(config).starts_with(hex)) found.push_back(manifest);
    } catch (const nlohmann::json::exception&) {
    }
  }
  if (found.size() > 1) {
    return StoreError("ambiguous-image", "image ID prefix \"" + reference + "\" is ambiguous");
  }
  if (found.empty()) return NoSuchImage(reference);
  return found.front();
}

Status Store::Tag(const std::string& reference, const std::string& manifest_digest) const {
  auto normalized = NormalizeReference(reference);
  if (!normalized) return normalized.Error();
  if (!HasBlob(manifest_digest)) {
    return StoreError("missing-blob", "manifest " + manifest_digest + " is not in the store");
  }
  auto lock = LockIndex();
  if (!lock) return lock.Error();
  auto index = ReadIndex();
  if (!index) return index.Error();
  index.Value()[*normalized] = manifest_digest;
  return WriteIndex(*index);
}

Status Store::Untag(const std::string& reference) const {
  auto normalized = NormalizeReference(reference);
  if (!normalized) return normalized.Error();
  auto lock = LockIndex();
  if (!lock) return lock.Error();
  auto index = ReadIndex();
  if (!index) return index.Error();
  if (index.Value().erase(*normalized) == 0) return NoSuchImage(reference);
  return WriteIndex(*index);
}

Result<plan::BuildRecord> Store::LoadRecord() const {
  return plan::BuildRecord::Load(RecordPath());
}

Status Store::UpdateRecord(const std::function<void(plan::BuildRecord&)>& change) const {
  auto lock = LockIndex();
  if (!lock) return lock.Error();
  auto record = LoadRecord();
  if (!record) return record.Error();
  change(record.Value());
  return record->Save(RecordPath());
}

}  // namespace dockit::runtime

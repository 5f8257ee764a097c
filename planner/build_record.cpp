#include "planner/build_record.hpp"

#include "parser/atomic_file.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dockit::plan {
namespace {

constexpr int kFormatVersion = 1;

Diagnostic RecordError(const std::string& path, const std::string& why) {
  return Diagnostic{"bad-build-record", path + ": " + why, {}, Severity::kError};
}

}  // namespace

std::string StepIdentity(const Plan& plan, const Step& step) {
  const Stage& stage = plan.analysis.stages[step.stage];
  size_t position = 0;
  for (size_t i = 0; i < stage.instructions.size(); ++i) {
    if (stage.instructions[i].syntax == step.instruction) position = i;
  }
  return plan.tree->file->Path() + "#" +
         (stage.name.empty() ? std::to_string(stage.index) : stage.name) + "#" +
         std::to_string(position);
}

Result<BuildRecord> BuildRecord::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return BuildRecord{};
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  return FromJson(doc, path);
}

Result<BuildRecord> BuildRecord::FromJson(const nlohmann::json& doc, const std::string& where) {
  BuildRecord record;
  if (!doc.is_object() || doc.value("version", 0) != kFormatVersion) {
    return RecordError(where, "not a build record of this version");
  }
  try {
    for (const auto& [key, e] : doc.at("entries").items()) {
      record.entries_[key] =
          RecordEntry{e.at("layer").get<std::string>(), e.at("size").get<uint64_t>(),
                      e.at("created").get<int64_t>(), e.at("backend").get<std::string>()};
    }
    for (const auto& [identity, h] : doc.at("last").items()) {
      record.last_[identity] = StepHistory{h.at("key").get<std::string>(),
                                           h.at("parts").get<std::map<std::string, std::string>>()};
    }
  } catch (const nlohmann::json::exception& e) {
    return RecordError(where, std::string("damaged: ") + e.what());
  }
  return record;
}

nlohmann::json BuildRecord::ToJson() const {
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [key, e] : entries_) {
    entries[key] = {{"layer", e.layer_digest},
                    {"size", e.size},
                    {"created", e.created},
                    {"backend", e.backend}};
  }
  nlohmann::json last = nlohmann::json::object();
  for (const auto& [identity, h] : last_) last[identity] = {{"key", h.key}, {"parts", h.parts}};
  return {{"version", kFormatVersion}, {"entries", entries}, {"last", last}};
}

Status BuildRecord::Save(const std::string& path) const {
  if (auto error = WriteFileAtomically(path, ToJson().dump(1) + "\n")) {
    return RecordError(path, *error);
  }
  return OkStatus();
}

const RecordEntry* BuildRecord::Find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

const StepHistory* BuildRecord::Last(const std::string& identity) const {
  auto it = last_.find(identity);
  return it == last_.end() ? nullptr : &it->second;
}

void BuildRecord::Remember(const Plan& plan, const Step& step, RecordEntry entry) {
  entries_[step.key] = std::move(entry);
  last_[StepIdentity(plan, step)] = StepHistory{step.key, step.parts};
}

}  // namespace dockit::plan

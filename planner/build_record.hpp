// The build record, the cache's memory: what each executed step's key produced (layer digest,
// size, time, the backend that built it), and for each step of a Dockerfile the inputs of its
// last build, so that a miss can say what changed. The simulator and the real runtime keep one
// each; the planner reads the one of the backend it plans for.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "parser/diagnostic.hpp"
#include "planner/plan.hpp"

namespace dockit::plan {

struct RecordEntry {
  std::string layer_digest;  // "" for steps without a layer of their own
  uint64_t size = 0;         // bytes, as `docker history` counts them
  int64_t created = 0;       // Unix seconds
  std::string backend;       // "sim", "runtime", ...
};

// The inputs of the last build of one step: its key and the named parts the key was made of.
struct StepHistory {
  std::string key;
  std::map<std::string, std::string> parts;
};

class BuildRecord {
 public:
  // A missing file is an empty record; a damaged one is an error naming the file.
  static Result<BuildRecord> Load(const std::string& path);
  // Write to a temporary file, then rename: a crash never leaves half a record.
  Status Save(const std::string& path) const;
  // The record as the JSON value Save writes (the simulator's state file embeds it), and back;
  // a damaged value is an error whose message starts with `where`.
  nlohmann::json ToJson() const;
  static Result<BuildRecord> FromJson(const nlohmann::json& doc, const std::string& where);

  const RecordEntry* Find(const std::string& key) const;
  const StepHistory* Last(const std::string& identity) const;
  // Records that `step` of `plan` was built and produced `entry`.
  void Remember(const Plan& plan, const Step& step, RecordEntry entry);
  void Forget(const std::string& key) { entries_.erase(key); }
  size_t Size() const { return entries_.size(); }
  const std::map<std::string, RecordEntry>& Entries() const { return entries_; }
  // Forgets every entry and every step's last inputs (`builder prune`).
  void Clear() {
    entries_.clear();
    last_.clear();
  }

 private:
  std::map<std::string, RecordEntry> entries_;
  std::map<std::string, StepHistory> last_;
};

// How a step is recognised from one build to the next: its Dockerfile, its stage (by name, else
// index) and its position in the stage, so that an edited command is still "the same step".
std::string StepIdentity(const Plan& plan, const Step& step);

}  // namespace dockit::plan

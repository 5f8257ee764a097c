// The executor interface: what a step needs to run and what it gives back. The simulator (sim/)
// implements it on a virtual layered filesystem, the real runtime (runtime/) on overlayfs and
// namespaces; both take the same Plan and report into the same kind of BuildRecord.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/plan.hpp"

namespace dockit::plan {

// The image config, as OCI's image spec `config` object holds it.
struct ImageConfig {
  std::vector<std::pair<std::string, std::string>> env;  // in order of first definition
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  bool entrypoint_set = false;  // an explicit empty ENTRYPOINT [] differs from none
  bool cmd_set = false;
  std::string user;
  std::string working_dir;
  std::vector<std::string> exposed_ports;  // "80/tcp", sorted, no duplicates
  std::vector<std::string> volumes;        // sorted, no duplicates
  std::map<std::string, std::string> labels;
  std::optional<std::vector<std::string>> healthcheck;  // ["NONE"] or ["CMD", ...]
  std::string stop_signal;
  std::vector<std::string> shell;
  std::vector<std::string> onbuild;
};

// One layer's content as a change set over its parent (OCI image layer semantics).
struct FileChange {
  enum class Kind { kFile, kDirectory, kSymlink, kHardlink, kWhiteout, kOpaqueDirectory };
  std::string path;  // absolute in the image
  Kind kind = Kind::kFile;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  std::string digest;       // content digest of regular files
  std::string link_target;  // symlinks and hard links
};

struct Layer {
  std::vector<FileChange> changes;
  std::string diff_id;  // digest of the uncompressed tar change set
  uint64_t size = 0;    // as `docker history` counts it
};

// One line of `docker history`, bottom first.
struct HistoryEntry {
  std::string created_by;    // "RUN /bin/sh -c apt-get update # buildkit", "COPY . /app"
  int64_t created = 0;       // Unix seconds (virtual ones in the simulator)
  uint64_t size = 0;         // the layer's size; 0 for config-only steps
  bool empty_layer = false;  // config-only steps (ENV, CMD, ...) make no layer
};

// An image a build starts FROM (or copies --from), as the backend resolved it.
struct BaseImage {
  std::vector<std::string> layers;  // diff_ids, bottom first
  uint64_t size = 0;                // the sum of the layers' sizes
  ImageConfig config;
  std::vector<HistoryEntry> history;
  // False for a stand-in whose files are not the real image's (a test building unknown bases
  // on a catalogue image): what a COPY --from looks for may then be missing.
  bool contents_known = true;
};

// What a backend needs to run one step.
struct StepInput {
  const Plan* plan = nullptr;
  size_t step = 0;                         // index in plan->steps
  std::vector<std::string> parent_layers;  // the parent's rootfs: layer diff_ids, bottom first
  ImageConfig config;                      // the parent's image config
  // COPY --from=<stage or image>: the source's rootfs, bottom first.
  std::vector<std::string> from_layers;
};

struct StepOutput {
  std::optional<Layer> layer;  // none for config-only steps
  ImageConfig config;          // the image config after the step
  int exit_code = 0;           // RUN
  std::string output;          // the step's stdout and stderr (the last part, for errors)
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual std::string Backend() const = 0;  // "sim", "runtime": the record it reports into
  // FROM <image> and COPY --from=<image>: the image's layers (which the backend then holds),
  // config and history; an unknown image is an error naming what the backend knows.
  virtual Result<BaseImage> Base(const std::string& reference) = 0;
  // Whether the backend still holds a layer, so that a cache hit can reuse it.
  virtual bool HasLayer(const std::string& diff_id) const = 0;
  // Runs one step; an error (with the step's Dockerfile position) stops the build, and the
  // backend must leave nothing half-made behind.
  virtual Result<StepOutput> Execute(const StepInput& input) = 0;
};

// The config after `step`, from the config before it: ENV, CMD, ENTRYPOINT (which resets an
// inherited CMD, as Docker does), USER, WORKDIR, EXPOSE, VOLUME, LABEL, HEALTHCHECK,
// STOPSIGNAL, SHELL, ONBUILD and MAINTAINER (a label-less Author field is not modelled).
ImageConfig ConfigAfter(const Plan& plan, const Step& step, ImageConfig config);

// The target image's config: ConfigAfter over the target's chain, from an empty config (base
// images bring their own config, which the backends merge in before the first step).
ImageConfig TargetConfig(const Plan& plan);

}  // namespace dockit::plan

#include "sim/image.hpp"

#include <nlohmann/json.hpp>

#include "planner/digest.hpp"

namespace dockit::sim {

std::string ImageId(const Image& image) {
  const plan::ImageConfig& c = image.config;
  nlohmann::json env = nlohmann::json::array();
  for (const auto& [name, value] : c.env) env.push_back(name + "=" + value);
  nlohmann::json config = {{"Env", env},
                           {"Entrypoint", c.entrypoint},
                           {"EntrypointSet", c.entrypoint_set},
                           {"Cmd", c.cmd},
                           {"CmdSet", c.cmd_set},
                           {"User", c.user},
                           {"WorkingDir", c.working_dir},
                           {"ExposedPorts", c.exposed_ports},
                           {"Volumes", c.volumes},
                           {"Labels", c.labels},
                           {"StopSignal", c.stop_signal},
                           {"Shell", c.shell},
                           {"OnBuild", c.onbuild}};
  if (c.healthcheck) config["Healthcheck"] = *c.healthcheck;
  nlohmann::json history = nlohmann::json::array();
  for (const HistoryEntry& h : image.history) {
    history.push_back(
        {{"created_by", h.created_by}, {"created", h.created}, {"empty_layer", h.empty_layer}});
  }
  nlohmann::json doc = {{"config", config},
                        {"rootfs", image.layers.DiffIds()},
                        {"history", history},
                        {"created", image.created}};
  return plan::Sha256Of(doc.dump());
}

}  // namespace dockit::sim

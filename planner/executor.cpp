#include "planner/executor.hpp"

#include <algorithm>

namespace dockit::plan {
namespace {

void AddSorted(std::vector<std::string>& list, const std::string& value) {
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

std::vector<std::string> Words(const std::vector<Expanded>& argv) {
  std::vector<std::string> out;
  for (const Expanded& e : argv) out.push_back(e.value);
  return out;
}

// Docker runs shell-form CMD, ENTRYPOINT and HEALTHCHECK through the SHELL of the moment.
std::vector<std::string> WithShell(const ImageConfig& config, const CommandCmd& c) {
  if (c.exec_form) return Words(c.argv);
  std::vector<std::string> out =
      config.shell.empty() ? std::vector<std::string>{"/bin/sh", "-c"} : config.shell;
  for (const Expanded& e : c.argv) out.push_back(e.value);
  return out;
}

}  // namespace

ImageConfig ConfigAfter(const Plan& plan, const Step& step, ImageConfig config) {
  const Stage& stage = plan.analysis.stages[step.stage];
  const TypedInstruction* ins = nullptr;
  for (const TypedInstruction& t : stage.instructions) {
    if (t.syntax == step.instruction) ins = &t;
  }
  if (!ins) return config;
  switch (ins->kind) {
    case InstructionKind::kEnv:
      if (const auto* env = std::get_if<EnvCmd>(&ins->args)) {
        for (const KeyValue& kv : env->pairs) {
          auto it = std::find_if(config.env.begin(), config.env.end(),
                                 [&](const auto& e) { return e.first == kv.key.value; });
          if (it != config.env.end()) {
            it->second = kv.value.value;
          } else {
            config.env.emplace_back(kv.key.value, kv.value.value);
          }
        }
      }
      break;
    case InstructionKind::kLabel:
      if (const auto* labels = std::get_if<EnvCmd>(&ins->args)) {
        for (const KeyValue& kv : labels->pairs) config.labels[kv.key.value] = kv.value.value;
      }
      break;
    case InstructionKind::kCmd:
      if (const auto* c = std::get_if<CommandCmd>(&ins->args)) {
        config.cmd = WithShell(config, *c);
        config.cmd_set = true;
      }
      break;
    case InstructionKind::kEntrypoint:
      if (const auto* c = std::get_if<CommandCmd>(&ins->args)) {
        config.entrypoint = WithShell(config, *c);
        config.entrypoint_set = true;
        // ENTRYPOINT resets a CMD inherited from the base image, but not one set in this stage
        // before it (Docker keeps a CMD set in the same Dockerfile stage).
        bool cmd_in_stage = false;
        for (const TypedInstruction& t : stage.instructions) {
          if (t.syntax == step.instruction) break;
          cmd_in_stage |= t.kind == InstructionKind::kCmd;
        }
        if (!cmd_in_stage) {
          config.cmd.clear();
          config.cmd_set = false;
        }
      }
      break;
    case InstructionKind::kShell:
      if (const auto* c = std::get_if<CommandCmd>(&ins->args)) config.shell = Words(c->argv);
      break;
    case InstructionKind::kUser:
      if (const auto* v = std::get_if<SingleValueCmd>(&ins->args)) config.user = v->value.value;
      break;
    case InstructionKind::kWorkdir:
      config.working_dir = step.workdir;
      break;
    case InstructionKind::kStopsignal:
      if (const auto* v = std::get_if<SingleValueCmd>(&ins->args)) {
        config.stop_signal = v->value.value;
      }
      break;
    case InstructionKind::kExpose:
      if (const auto* e = std::get_if<ExposeCmd>(&ins->args)) {
        for (const PortSpec& p : e->ports) {
          for (unsigned port = p.first; port <= p.last && port - p.first < 65536; ++port) {
            AddSorted(config.exposed_ports, std::to_string(port) + "/" + p.protocol);
          }
        }
      }
      break;
    case InstructionKind::kVolume:
      if (const auto* v = std::get_if<VolumeCmd>(&ins->args)) {
        for (const Expanded& path : v->paths) AddSorted(config.volumes, path.value);
      }
      break;
    case InstructionKind::kHealthcheck:
      if (const auto* h = std::get_if<HealthcheckCmd>(&ins->args)) {
        if (h->none) {
          config.healthcheck = std::vector<std::string>{"NONE"};
        } else {
          std::vector<std::string> test{h->exec_form ? "CMD" : "CMD-SHELL"};
          for (const Expanded& e : h->test) test.push_back(e.value);
          config.healthcheck = test;
        }
      }
      break;
    case InstructionKind::kOnbuild:
      if (const auto* o = std::get_if<OnbuildCmd>(&ins->args); o && o->trigger) {
        config.onbuild.push_back(o->trigger->keyword + " " + std::string(o->trigger->ArgsText()));
      }
      break;
    default:
      break;
  }
  return config;
}

ImageConfig TargetConfig(const Plan& plan) {
  std::vector<size_t> chain;
  for (std::optional<size_t> s = plan.stage_last[plan.graph.target]; s; s = plan.steps[*s].parent) {
    chain.push_back(*s);
  }
  ImageConfig config;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    config = ConfigAfter(plan, plan.steps[*it], std::move(config));
  }
  return config;
}

}  // namespace dockit::plan

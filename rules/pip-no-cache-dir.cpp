// pip keeps every downloaded wheel in ~/.cache/pip; in an image layer that is dead weight.
#include "parser/text.hpp"
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// pip reads PIP_NO_CACHE_DIR as a boolean option; "false", "0", "no", "off" keep the cache.
bool Truthy(std::string_view value) {
  std::string v = text::AsciiLower(value);
  return !v.empty() && v != "false" && v != "0" && v != "no" && v != "off";
}

bool CacheMounted(const Instruction& run) {
  for (std::string_view target : packages::CacheMountTargets(run)) {
    // /root/.cache/pip, /home/app/.cache/pip, or the whole ~/.cache.
    while (target.size() > 1 && target.ends_with('/')) target.remove_suffix(1);
    if (target.ends_with("/.cache/pip") || target.ends_with("/.cache") || target == "/root")
      return true;
  }
  return false;
}

// PIP_NO_CACHE_DIR set for this command: `PIP_NO_CACHE_DIR=1 pip ...`, `env PIP_NO_CACHE_DIR=1
// pip ...` or an earlier `export PIP_NO_CACHE_DIR=1` in the same script.
bool SetInScript(const ShellScript& script, const packages::PipCall& pip) {
  for (const ShellAssignment& a : script.Assignments()) {
    if (a.name != "PIP_NO_CACHE_DIR" || a.begin > pip.call.view.command->begin) continue;
    bool applies =
        a.kind == ShellAssignment::Kind::kDeclaration ||
        a.command == static_cast<int32_t>(pip.call.view.command - script.Commands().data());
    if (applies && Truthy(a.value.value)) return true;
  }
  for (const ShellWord& w : pip.call.view.command->argv) {
    if (&w == &pip.call.view.argv.front() || pip.runner == &w) break;
    if (w.value.starts_with("PIP_NO_CACHE_DIR=") && Truthy(w.value.substr(17))) return true;
  }
  return false;
}

// A later `rm` in the same script removes pip's cache: `rm -rf ~/.cache/pip`,
// `rm -rf /root/.cache`, `rm -rf "$HOME/.cache/pip"/*`.
bool RemovesPipCache(const ShellScript& script, uint32_t after) {
  for (const CommandView& view : FindCommands(script, "rm")) {
    if (view.command->begin < after) continue;
    for (const ShellWord* w : Args(view)) {
      std::string_view v = w->value;
      for (std::string_view home : {"~/", "/root/", "$HOME/", "${HOME}/"}) {
        if (!v.starts_with(home)) continue;
        std::string_view rest = v.substr(home.size());
        while (rest.ends_with('*') || rest.ends_with('/')) rest.remove_suffix(1);
        if (rest == ".cache" || rest == ".cache/pip") return true;
      }
    }
  }
  return false;
}

// Reports each pip install of one RUN (a stage's or an ONBUILD trigger) that keeps its cache.
void CheckRun(RuleContext& ctx, const Instruction& run, const ShellScript& script) {
  if (CacheMounted(run)) return;
  for (const packages::PipCall& pip : packages::FindPipInstalls(script)) {
    if (HasFlag(pip.call.view, {"--no-cache-dir"}) || SetInScript(script, pip) ||
        RemovesPipCache(script, pip.call.view.command->end)) {
      continue;
    }
    ctx.Report(pip.Range(),
               "pip install keeps downloaded packages in ~/.cache/pip: add --no-cache-dir",
               packages::InsertAfter(ctx.File(), *pip.call.subcommand, " --no-cache-dir",
                                     "add --no-cache-dir"));
  }
}

void Check(RuleContext& ctx) {
  const auto& stages = ctx.Meaning().stages;
  for (const Stage& stage : stages) {
    // A builder stage that others only copy files from: the cache never reaches an image.
    if (!ShipsAsImage(ctx.Meaning(), stage)) continue;
    // ENV inherited from the stage this one is built FROM, then each ENV in order.
    bool env_set = false;
    if (stage.base_stage && *stage.base_stage < stages.size()) {
      const auto& base_env = stages[*stage.base_stage].env;
      auto it = base_env.find("PIP_NO_CACHE_DIR");
      env_set = it != base_env.end() && Truthy(it->second);
    }
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* env = std::get_if<EnvCmd>(&ins.args);
          env && ins.kind == InstructionKind::kEnv) {
        for (const KeyValue& kv : env->pairs) {
          if (kv.key.value == "PIP_NO_CACHE_DIR") env_set = Truthy(kv.value.value);
        }
      }
      if (ins.kind != InstructionKind::kRun || env_set) continue;
      CheckRun(ctx, *ins.syntax, ctx.Shell(*ins.syntax));
    }
  }
  // ONBUILD RUN triggers run in the images built FROM this one, whatever stage declares them,
  // with the environment this stage ends with.
  for (const Stage& stage : stages) {
    auto it = stage.env.find("PIP_NO_CACHE_DIR");
    if (it != stage.env.end() && Truthy(it->second)) continue;
    for (const TypedInstruction& ins : stage.instructions) {
      const Instruction& onbuild = *ins.syntax;
      if (ins.kind != InstructionKind::kOnbuild || !onbuild.onbuild ||
          onbuild.onbuild->kind != InstructionKind::kRun) {
        continue;
      }
      CheckRun(ctx, *onbuild.onbuild, ctx.Shell(onbuild));
    }
  }
}

}  // namespace

const Rule kPipNoCacheDir{
    {
        .slug = "pip-no-cache-dir",
        .aliases = {"DL3042"},
        .severity = Severity::kWarning,
        .title = "Use pip install --no-cache-dir",
        .rationale =
            "pip stores every wheel it downloads or builds in ~/.cache/pip so that the next "
            "install is faster. In an image there is no next install: the cache only makes the "
            "layer larger, often by more than the packages themselves. Use --no-cache-dir, set "
            "ENV PIP_NO_CACHE_DIR=1, or mount a cache (`--mount=type=cache,target=/root/.cache/"
            "pip`) to keep the speed without the weight.",
        .bad = {{"FROM python:3.12\nRUN pip install -r requirements.txt\n",
                 {"2:5"},
                 "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n"},
                {"FROM python:3.12\nRUN python3 -m pip install --upgrade pip && pip3.12 install "
                 "flask==3.0.0\n",
                 {"2:5", "2:45"},
                 "FROM python:3.12\nRUN python3 -m pip install --no-cache-dir --upgrade pip && "
                 "pip3.12 install --no-cache-dir flask==3.0.0\n"},
                {"FROM python:3.12\nRUN pip install flask==3.0.0\nENV PIP_NO_CACHE_DIR=1\n",
                 {"2:5"},
                 "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.0\n"
                 "ENV PIP_NO_CACHE_DIR=1\n"},
                {"FROM python:3.12 AS build\nRUN pip install --no-cache-dir --prefix=/install "
                 "flask==3.0.0\nONBUILD RUN pip install -r requirements.txt\n"
                 "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n",
                 {"3:13"},
                 "FROM python:3.12 AS build\nRUN pip install --no-cache-dir --prefix=/install "
                 "flask==3.0.0\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\n"
                 "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n"}},
        .good = {{"FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.0\n", {}},
                 {"FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0\n", {}},
                 {"FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=on\nFROM base\n"
                  "RUN pip install flask==3.0.0\n",
                  {}},
                 {"FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip \\\n"
                  "    pip install -r requirements.txt\n",
                  {}},
                 {"FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.0\n", {}},
                 {"FROM python:3.12\nRUN pipx install black==24.1.0 && pipenv install\n", {}},
                 {"FROM python:3.12\nRUN pip download flask==3.0.0 -d /wheels\n", {}},
                 {"FROM python:3.12\nRUN pip install flask==3.0.0 && rm -rf ~/.cache/pip\n", {}},
                 {"FROM python:3.12 AS build\nRUN pip install --prefix=/install flask==3.0.0\n"
                  "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n",
                  {}},
                 {"FROM python:3.12\nONBUILD RUN pip install -r requirements.txt\n"
                  "ENV PIP_NO_CACHE_DIR=1\n",
                  {}}},
        .differs_from_hadolint =
            "Like hadolint, ENV PIP_NO_CACHE_DIR (set before the RUN, also in the stage built "
            "FROM) and cache mounts are accepted; so are `PIP_NO_CACHE_DIR=1 pip ...`, an "
            "earlier `export PIP_NO_CACHE_DIR=1` in the same RUN and a cache mount on any "
            "~/.cache. Each pip install is reported, not the whole RUN. Unlike hadolint, an `rm` "
            "of ~/.cache/pip (or ~/.cache) later in the same RUN is accepted, and builder stages "
            "that other stages only copy files from are not checked: their cache never reaches "
            "an image. ONBUILD RUN triggers are checked in every stage (they run in the images "
            "built FROM this one), unless the stage ends with ENV PIP_NO_CACHE_DIR set.",
    },
    Check};

}  // namespace dockit::lint

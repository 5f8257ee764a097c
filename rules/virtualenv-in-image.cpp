// poetry and pipenv install into a virtualenv of their own by default. Inside an image the
// container already isolates the app, so the extra environment only adds a second Python
// layout (and paths to activate) to keep in mind.
#include <string>

#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool IsFalse(std::string_view v) { return v == "false" || v == "0" || v == "False"; }

// ENV POETRY_VIRTUALENVS_CREATE=false set before this point of the stage (or inherited).
bool EnvDisablesPoetryVenv(const RuleContext& ctx, const Stage& stage,
                           const TypedInstruction& until) {
  if (stage.base_stage) {
    const auto& env = ctx.Meaning().stages[*stage.base_stage].env;
    if (auto it = env.find("POETRY_VIRTUALENVS_CREATE"); it != env.end() && IsFalse(it->second))
      return true;
  }
  bool disabled = false;
  for (const TypedInstruction& ins : stage.instructions) {
    if (&ins == &until) break;
    if (ins.kind != InstructionKind::kEnv) continue;
    for (const KeyValue& kv : std::get<EnvCmd>(ins.args).pairs) {
      if (kv.key.value == "POETRY_VIRTUALENVS_CREATE") disabled = IsFalse(kv.value.value);
    }
  }
  return disabled;
}

bool PoetryConfigDisables(const CommandView& view) {
  std::vector<const ShellWord*> args = Args(view);
  return args.size() >= 3 && args[0]->value == "config" && args[1]->value == "virtualenvs.create" &&
         IsFalse(args[2]->value);
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    bool poetry_config = false;  // `poetry config virtualenvs.create false` ran in the stage
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kRun) continue;
      for (const CommandView& view : RunCommands(ctx.Shell(*ins.syntax))) {
        std::string_view name = view.Name();
        const ShellWord* sub = Subcommand(view);
        if (name == "poetry" && PoetryConfigDisables(view)) poetry_config = true;
        if (!sub || sub->value != "install") continue;
        if (name == "poetry") {
          bool prefix = false;
          for (const ShellAssignment& a : view.command->assignments) {
            if (a.name == "POETRY_VIRTUALENVS_CREATE" && IsFalse(a.value.value)) prefix = true;
          }
          if (poetry_config || prefix || EnvDisablesPoetryVenv(ctx, stage, ins)) continue;
          ctx.Report(view.argv[0].range,
                     "poetry install creates a virtualenv inside the image: run poetry config "
                     "virtualenvs.create false first (or set ENV POETRY_VIRTUALENVS_CREATE=false)");
        } else if (name == "pipenv") {
          if (HasFlag(view, {"--system"})) continue;
          ctx.Report(view.argv[0].range,
                     "pipenv install creates a virtualenv inside the image: add --system (with "
                     "--deploy to check the lock file)");
        }
      }
    }
  }
}

}  // namespace

const Rule kVirtualenvInImage{
    {
        .slug = "virtualenv-in-image",
        .aliases = {},
        .severity = Severity::kInfo,
        .title = "poetry or pipenv creates a virtualenv in the image",
        .rationale =
            "The container already isolates the application, so a virtualenv inside the image "
            "is a second, redundant isolation: commands then need `poetry run` or the venv's "
            "path, and the image holds the environment's own copy of pip and setuptools. "
            "Installing into the image's Python (`poetry config virtualenvs.create false`, "
            "`pipenv install --system`) keeps it simple. Opt-in, because copying a virtualenv "
            "from a builder stage is a sound pattern too.",
        .bad = {{"FROM python:3.12\nCOPY pyproject.toml poetry.lock ./\nRUN pip install poetry "
                 "&& poetry install --no-root\n",
                 {"3:27"}},
                {"FROM python:3.12\nCOPY Pipfile* ./\nRUN pipenv install --deploy\n", {"3:5"}}},
        .good = {{"FROM python:3.12\nRUN poetry config virtualenvs.create false && poetry "
                  "install --no-root\n",
                  {}},
                 {"FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install\n",
                  {}},
                 {"FROM python:3.12\nRUN POETRY_VIRTUALENVS_CREATE=false poetry install\n", {}},
                 {"FROM python:3.12\nRUN pipenv install --system --deploy\n", {}}},
        .opt_in = true,
        .differs_from_hadolint = "hadolint has no such rule.",
    },
    Check};

}  // namespace dockit::lint

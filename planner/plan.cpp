#include "planner/plan.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include <sys/stat.h>

#include "parser/dockerfile_parser.hpp"
#include "planner/digest.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

// The proxy build args: BuildKit passes them to RUN but leaves them out of the cache key.
bool IsProxyArg(const std::string& name) {
  static const std::set<std::string> kProxy = {
      "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
      "ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};
  return kProxy.count(name) > 0;
}

// What the instructions of a stage have set so far; a stage built FROM another starts with
// that stage's final state.
struct StageState {
  std::map<std::string, std::string> env;   // ENV
  std::map<std::string, std::string> args;  // ARGs that have a value
  std::string workdir = "/";
  std::string user;
  std::vector<std::string> shell = {"/bin/sh", "-c"};
};

// Lexically cleaned absolute path; `path` relative to `cwd` when it does not start with '/'.
// A trailing slash (a directory destination) is kept.
std::string ResolvePath(const std::string& cwd, const std::string& path) {
  // "dir/", "." and "dir/." name a folder: what is copied goes inside it.
  bool dir = (path.size() > 1 && path.back() == '/') || path == "." || path.ends_with("/.");
  fs::path p = path.starts_with('/') ? fs::path(path) : fs::path(cwd) / path;
  std::string out = p.lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out.empty()) out = "/";
  if (dir && out != "/") out += '/';
  return out;
}

// A COPY source as ImagePathOf needs it: cleaned once per source, not once per file (a
// 10,000-file `COPY .` would otherwise clean the same path 10,000 times).
struct SourceRoot {
  std::string root;  // context-relative, "" for the whole context
  bool wildcard = false;
  size_t segments = 0;
};

SourceRoot RootOf(const std::string& source) {
  SourceRoot r;
  r.root = fs::path(source).lexically_normal().generic_string();
  while (r.root.starts_with("./")) r.root.erase(0, 2);
  while (r.root.starts_with('/')) r.root.erase(0, 1);
  while (r.root.size() > 1 && r.root.back() == '/') r.root.pop_back();
  if (r.root == "." || r.root.empty()) r.root.clear();
  r.wildcard = r.root.find_first_of("*?[") != std::string::npos;
  r.segments = r.root.empty() ? 0 : std::count(r.root.begin(), r.root.end(), '/') + 1;
  return r;
}

// Where context path `path`, selected by COPY source `source`, lands under `dest`.
std::string ImagePathOf(const SourceRoot& source, const std::string& path, const std::string& dest,
                        bool several_sources) {
  size_t path_segments = std::count(path.begin(), path.end(), '/') + 1;
  std::string base_dir = dest.ends_with('/') ? dest : dest + "/";
  if (!source.root.empty() && path_segments == source.segments) {
    // The source itself is this file (or a wildcard matched it directly).
    bool into_folder = dest.ends_with('/') || several_sources || source.wildcard;
    std::string name = path.substr(path.rfind('/') + 1);
    return into_folder ? base_dir + name : dest;
  }
  // Inside a folder source: the path below the source's own segments.
  size_t at = 0;
  for (size_t i = 0; i < source.segments; ++i) at = path.find('/', at) + 1;
  return base_dir + path.substr(at);
}

std::string Serialize(const Mount& m, const std::string& from_key) {
  nlohmann::json j = {{"type", m.type},        {"target", m.target}, {"source", m.source},
                      {"from", from_key},      {"id", m.id},         {"sharing", m.sharing},
                      {"mode", m.mode},        {"uid", m.uid},       {"gid", m.gid},
                      {"size", m.size},        {"env", m.env},       {"readonly", m.read_only},
                      {"required", m.required}};
  return j.dump();
}

std::string FileRecord(const PlannedFile& f) {
  // Everything BuildKit's content checksum covers; deliberately no mtime.
  static constexpr const char* kKinds[] = {"file", "dir", "symlink", "other"};
  return std::string(kKinds[static_cast<int>(f.kind)]) + " mode=" + std::to_string(f.mode) +
         " uid=" + std::to_string(f.uid) + " gid=" + std::to_string(f.gid) +
         " size=" + std::to_string(f.size) + (f.link_target.empty() ? "" : " -> " + f.link_target) +
         (f.digest.empty() ? "" : " " + f.digest);
}

class Planner {
 public:
  Planner(std::shared_ptr<const SyntaxTree> tree, const PlanOptions& options)
      : tree_(std::move(tree)), options_(options) {}

  Result<Plan> Run();

 private:
  Status PlanStage(const Stage& stage);
  Status PlanCopy(const Stage& stage, const TypedInstruction& ins, const CopyCmd& copy, Step& step);
  Result<const FilteredContext*> Context();
  Result<PlannedFile> ContextFile(const std::string& path);
  void Finish(Step& step);
  std::string StageKey(size_t stage) const {
    return plan_.stage_last[stage] ? plan_.steps[*plan_.stage_last[stage]].key : "";
  }

  std::shared_ptr<const SyntaxTree> tree_;
  const PlanOptions& options_;
  Plan plan_;
  std::vector<StageState> end_state_;
  std::optional<FilteredContext> context_;
  bool context_read_ = false;
};

Result<const FilteredContext*> Planner::Context() {
  if (context_read_) {
    if (!context_) {
      return Diagnostic{"no-context", "the build context could not be read", {}, Severity::kError};
    }
    return &*context_;
  }
  context_read_ = true;
  if (options_.context_dir.empty()) {
    return Diagnostic{"no-context",
                      "COPY from the build context, but no context was given",
                      {},
                      Severity::kError};
  }
  DockerIgnore ignore;
  std::string error;
  if (auto file =
          ReadSourceFile((fs::path(options_.context_dir) / ".dockerignore").string(), &error)) {
    auto parsed = DockerIgnore::Parse(*file);
    if (!parsed) return parsed.Error();
    ignore = std::move(parsed).Value();
  }
  DiskContext disk(options_.context_dir);
  auto filtered = FilteredContext::Build(disk, std::move(ignore));
  if (!filtered) return filtered.Error();
  context_ = std::move(filtered).Value();
  return &*context_;
}

Result<PlannedFile> Planner::ContextFile(const std::string& path) {
  PlannedFile f;
  f.path = path;
  std::optional<ContextEntry> entry = context_->Lstat(path);
  if (!entry) {
    return Diagnostic{
        "context-file-vanished", "context file " + path + " disappeared", {}, Severity::kError};
  }
  f.kind = entry->kind;
  f.mode = entry->mode;
  f.uid = entry->uid;
  f.gid = entry->gid;
  f.size = entry->size;
  f.link_target = entry->link_target;
  if (f.kind == EntryKind::kFile) {
    std::string absolute = (fs::path(options_.context_dir) / path).string();
    std::string error;
    std::optional<std::string> digest;
    if (options_.digests) {
      // The walk's lstat gave the stat key: no second system call per file.
      StatKey key{entry->dev, entry->ino, entry->size, entry->mtime_ns, entry->ctime_ns};
      digest = options_.digests->Digest(path, absolute, key, &error);
    } else {
      digest = Sha256OfFile(absolute, &error);
    }
    if (!digest) return Diagnostic{"context-file-unreadable", error, {}, Severity::kError};
    f.digest = *digest;
  }
  return f;
}

void Planner::Finish(Step& step) {
  if (step.parent && !step.link) step.parts["parent"] = plan_.steps[*step.parent].key;
  if (step.kind == StepKind::kConfig) {
    step.key = step.parent ? plan_.steps[*step.parent].key : "";
    step.parts.clear();
    return;
  }
  Sha256 hash;
  hash.Field(StepKindName(step.kind));
  for (const auto& [name, value] : step.parts) hash.Field(name).Field(value);
  step.key = hash.Finish();
}

Status Planner::PlanCopy(const Stage& stage, const TypedInstruction& ins, const CopyCmd& copy,
                         Step& step) {
  step.kind = StepKind::kCopy;
  step.dest = ResolvePath(step.workdir, copy.dest.value);
  step.parts["dest"] = step.dest;
  if (copy.chown) step.chown = copy.chown->value;
  if (copy.chmod) step.chmod = copy.chmod->value;
  step.link = copy.link;
  step.parts["chown"] = step.chown;
  step.parts["chmod"] = step.chmod;
  if (copy.is_add) {
    step.parts["add"] = "1";
    if (copy.checksum) step.parts["checksum"] = copy.checksum->value;
    if (copy.unpack) step.parts["unpack"] = *copy.unpack ? "1" : "0";
  }
  for (const Expanded& src : copy.sources) step.sources.push_back(src.value);
  if (copy.from) {
    // A stage (resolved as the stage graph did) or an image.
    for (const StageEdge& e : plan_.graph.edges) {
      if (e.to == stage.index && e.kind == EdgeKind::kCopyFrom && e.range == copy.from->range) {
        step.from_stage = e.from;
      }
    }
    if (step.from_stage) {
      step.parts["from"] = StageKey(*step.from_stage);
    } else {
      step.from_image = copy.from->value;
      step.parts["from"] = "image " + copy.from->value;
    }
    for (size_t i = 0; i < step.sources.size(); ++i) {
      step.parts["src:" + std::to_string(i)] = step.sources[i];
    }
    return OkStatus();
  }
  DockerIgnore excludes;
  if (!copy.excludes.empty()) {
    std::vector<PatternSpec> specs;
    for (const Expanded& e : copy.excludes) specs.push_back({e.value, e.range});
    auto parsed = DockerIgnore::FromPatterns("--exclude", specs);
    if (!parsed) return parsed.Error();
    excludes = std::move(parsed).Value();
  }
  for (const Expanded& src : copy.sources) {
    const std::string& s = src.value;
    if (copy.is_add &&
        (s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@"))) {
      step.urls.push_back(s);
      step.parts["url:" + s] = s;
      continue;
    }
    if (s.starts_with("<<")) {  // a heredoc source: its content is part of the Dockerfile
      for (const Heredoc& h : ins.syntax->heredocs) {
        if ("<<" + h.name == s || "<<-" + h.name == s) step.parts["heredoc:" + h.name] = h.content;
      }
      continue;
    }
    auto context = Context();
    if (!context)
      return Diagnostic{context.Error().code, context.Error().message, src.range, Severity::kError};
    SelectOptions select;
    select.allow_empty_wildcard = true;  // as BuildKit's Dockerfile frontend
    auto selected = SelectCopySources(**context, CopySource{s, src.range}, excludes, select);
    if (!selected) return selected.Error();
    SourceRoot root = RootOf(s);
    for (const SelectedPath& p : *selected) {
      auto file = ContextFile(p.path);
      if (!file) {
        Diagnostic d = file.Error();
        d.range = src.range;
        return d;
      }
      file.Value().image_path = ImagePathOf(root, p.path, step.dest, copy.sources.size() > 1);
      step.parts["file:" + p.path] = FileRecord(*file);
      step.files.push_back(std::move(file).Value());
    }
  }
  return OkStatus();
}

Status Planner::PlanStage(const Stage& stage) {
  StageState state;
  std::optional<size_t> parent;
  if (stage.base_stage) {
    state = end_state_[*stage.base_stage];
    parent = plan_.stage_last[*stage.base_stage];
  }
  for (size_t i = 0; i < stage.instructions.size(); ++i) {
    const TypedInstruction& ins = stage.instructions[i];
    Step step;
    step.stage = stage.index;
    step.instruction = ins.syntax;
    step.parent = parent;
    step.workdir = state.workdir;
    step.user = state.user;
    if (i == 0) {
      if (stage.base_stage) {
        step.kind = StepKind::kConfig;  // FROM <stage>: continues that stage's result
      } else {
        step.kind = StepKind::kBase;
        step.image = stage.base.value;
        step.parts["image"] = stage.base.value;
        if (stage.platform) step.parts["platform"] = stage.platform->value;
        // An image's config brings a PATH; scratch gets BuildKit's default one.
        state.env.emplace("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      }
    } else if (const auto* env = std::get_if<EnvCmd>(&ins.args);
               env && ins.kind == InstructionKind::kEnv) {
      for (const KeyValue& kv : env->pairs) state.env[kv.key.value] = kv.value.value;
    } else if (const auto* arg = std::get_if<ArgCmd>(&ins.args)) {
      for (const ArgDecl& decl : arg->args) {
        const std::string& name = decl.name.value;
        auto given = options_.analyze.build_args.find(name);
        auto global = plan_.analysis.meta_args.find(name);
        if (given != options_.analyze.build_args.end()) {
          state.args[name] = given->second;
        } else if (decl.default_value) {
          state.args[name] = decl.default_value->value;
        } else if (global != plan_.analysis.meta_args.end()) {
          state.args[name] = global->second;
        }
      }
    } else if (ins.kind == InstructionKind::kWorkdir) {
      if (const auto* v = std::get_if<SingleValueCmd>(&ins.args)) {
        state.workdir = ResolvePath(state.workdir, v->value.value);
        while (state.workdir.size() > 1 && state.workdir.back() == '/') state.workdir.pop_back();
        step.workdir = state.workdir;
        if (state.workdir != "/") {
          step.kind = StepKind::kWorkdir;
          step.parts["path"] = state.workdir;
          step.parts["user"] = state.user;
        }
      }
    } else if (ins.kind == InstructionKind::kUser) {
      if (const auto* v = std::get_if<SingleValueCmd>(&ins.args)) state.user = v->value.value;
    } else if (ins.kind == InstructionKind::kShell) {
      if (const auto* c = std::get_if<CommandCmd>(&ins.args)) {
        state.shell.clear();
        for (const Expanded& a : c->argv) state.shell.push_back(a.value);
      }
    } else if (const auto* run = std::get_if<RunCmd>(&ins.args)) {
      step.kind = StepKind::kRun;
      if (!run->exec_form) step.command = state.shell;
      for (const Expanded& a : run->argv) step.command.push_back(a.value);
      step.parts["command"] = nlohmann::json(step.command).dump();
      for (const Heredoc& h : ins.syntax->heredocs) step.parts["heredoc:" + h.name] = h.content;
      // ENV wins over an ARG of the same name. Proxy args reach the command but not the key.
      std::map<std::string, std::string> env = state.env;
      for (const auto& [k, v] : state.args) env.emplace(k, v);
      for (const auto& [k, v] : env) {
        step.env.emplace_back(k, v);
        if (state.env.count(k)) {
          step.parts["env:" + k] = v;
        } else if (!IsProxyArg(k)) {
          step.parts["arg:" + k] = v;
        }
      }
      step.parts["workdir"] = state.workdir;
      step.parts["user"] = state.user;
      step.mounts = run->mounts;
      for (size_t m = 0; m < run->mounts.size(); ++m) {
        std::string from_key;
        for (const StageEdge& e : plan_.graph.edges) {
          if (e.to == stage.index && e.kind == EdgeKind::kMountFrom &&
              e.range == run->mounts[m].range) {
            from_key = StageKey(e.from);
            step.from_stage = e.from;
          }
        }
        if (from_key.empty() && !run->mounts[m].from.empty())
          from_key = "image " + run->mounts[m].from;
        step.parts["mount:" + std::to_string(m)] = Serialize(run->mounts[m], from_key);
      }
      step.network = run->network;
      step.security = run->security;
      if (!run->network.empty()) step.parts["network"] = run->network;
      if (!run->security.empty()) step.parts["security"] = run->security;
    } else if (const auto* copy = std::get_if<CopyCmd>(&ins.args)) {
      Status s = PlanCopy(stage, ins, *copy, step);
      if (!s) return s;
    }
    Finish(step);
    plan_.steps.push_back(std::move(step));
    parent = plan_.steps.size() - 1;
  }
  plan_.stage_last[stage.index] = parent;
  end_state_[stage.index] = state;
  return OkStatus();
}

Result<Plan> Planner::Run() {
  plan_.tree = tree_;
  plan_.analysis = AnalyzeDockerfile(tree_, options_.analyze);
  for (const Diagnostic& d : plan_.analysis.diagnostics) {
    if (d.severity == Severity::kError) return d;
  }
  auto graph = BuildStageGraph(plan_.analysis, StageGraphOptions{options_.target});
  if (!graph) return graph.Error();
  plan_.graph = std::move(graph).Value();
  plan_.stage_last.assign(plan_.analysis.stages.size(), std::nullopt);
  plan_.shells = ShellViewsOf(*tree_);
  end_state_.assign(plan_.analysis.stages.size(), StageState{});
  for (size_t s : plan_.graph.order) {
    Status status = PlanStage(plan_.analysis.stages[s]);
    if (!status) return status.Error();
  }
  return std::move(plan_);
}

}  // namespace

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kBase:
      return "base";
    case StepKind::kRun:
      return "run";
    case StepKind::kCopy:
      return "copy";
    case StepKind::kWorkdir:
      return "workdir";
    case StepKind::kConfig:
      return "config";
  }
  return "";
}

Result<Plan> BuildPlan(std::shared_ptr<const SyntaxTree> tree, const PlanOptions& options) {
  return Planner(std::move(tree), options).Run();
}

}  // namespace dockit::plan

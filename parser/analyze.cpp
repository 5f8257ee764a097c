// AnalyzeDockerfile: stages, ARG/ENV scoping, expansion and validation, following BuildKit's
// frontend/dockerfile/instructions (parse.go) and dockerfile2llb (convert.go).
#include <algorithm>
#include <set>

#include "parser/expand.hpp"
#include "parser/flags.hpp"
#include "parser/instructions.hpp"
#include "parser/suggest.hpp"
#include "parser/text.hpp"

namespace dockit {
namespace {

// Docker's default PATH: BuildKit's empty image (scratch) has it and every common base image
// sets it, so `$PATH` is never reported.
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Variables in scope: values, plus ARGs declared without a value (set to nothing, but declared,
// so using them is not an undefined-variable mistake).
struct Scope {
  std::map<std::string, std::string> vars;
  std::set<std::string> declared;
  std::set<std::string> args;  // names set by ARG: not inherited by stages built FROM this one
  std::string base_image;      // for the hint in undefined-variable warnings; "" for stages
};

class Analyzer {
 public:
  Analyzer(std::shared_ptr<const SyntaxTree> tree, const AnalyzeOptions& options)
      : tree_(std::move(tree)), file_(*tree_->file), options_(options) {
    result_.tree = tree_;
  }

  Analysis Run();

 private:
  void Error(const SourceRange& range, std::string code, std::string message) {
    result_.diagnostics.push_back(Diagnostic{std::move(code), std::move(message), range});
  }
  // Expands one word of `ins` in `scope` (split into words: BuildKit's ProcessWords); reports
  // errors and undefined variables.
  std::optional<Expansion> ExpandReporting(const Instruction& ins, const Word& word,
                                           const Scope& scope, bool split);
  Expanded Expand(const Instruction& ins, const Word& word, const Scope& scope);
  Expanded ExpandText(const std::string& value, const SourceRange& range, const Scope& scope);
  // `undefined` (when given) is set when the word uses a variable that nothing sets.
  std::vector<Expanded> ExpandWords(const Instruction& ins, const Word& word, const Scope& scope,
                                    bool* undefined = nullptr);
  SourceRange SubRange(const Instruction& ins, const Word& word, uint32_t b, uint32_t e) const;
  Expanded Plain(const Word& w) const { return Expanded{w.value, w.range}; }

  void GlobalArg(const Instruction& ins);
  void BeginStage(const Instruction& ins);
  TypedInstruction Typed(const Instruction& ins, Scope& scope);
  ArgCmd Args(const Instruction& ins, Scope& scope, bool global);
  std::optional<FromCmd> From(const Instruction& ins);
  std::optional<RunCmd> Run(const Instruction& ins, const ParsedFlags& flags, const Scope& scope);
  std::optional<CopyCmd> Copy(const Instruction& ins, const ParsedFlags& flags, const Scope& scope);
  std::optional<HealthcheckCmd> Healthcheck(const Instruction& ins, const ParsedFlags& flags);
  std::optional<ExposeCmd> Expose(const Instruction& ins, const Scope& scope);
  std::optional<Mount> ParseMount(const Flag& flag, const std::string& value);
  bool ValidDuration(std::string_view s) const;

  std::shared_ptr<const SyntaxTree> tree_;
  const SourceFile& file_;
  AnalyzeOptions options_;
  Analysis result_;
  Scope meta_;
  Scope* stage_scope_ = nullptr;
  std::vector<Scope> stage_scopes_;
};

SourceRange Analyzer::SubRange(const Instruction& ins, const Word& w, uint32_t b,
                               uint32_t e) const {
  // Only words that are verbatim slices of the logical line map byte for byte.
  if (w.end - w.begin != w.value.size() || b > e || e > w.value.size()) return w.range;
  return ins.line.ToSourceRange(file_, w.begin + b, w.begin + e);
}

Expanded Analyzer::ExpandText(const std::string& value, const SourceRange& range,
                              const Scope& scope) {
  Instruction none;
  Word w{value, 0, 0, range};
  return Expand(none, w, scope);
}

// Reads variables straight from a Scope, so expanding a word does not copy the environment.
class ScopeLookup : public VarLookup {
 public:
  explicit ScopeLookup(const Scope& scope) : scope_(scope) {}
  std::optional<std::string> Get(std::string_view name) const override {
    auto it = scope_.vars.find(std::string(name));
    if (it == scope_.vars.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Scope& scope_;
};

std::optional<Expansion> Analyzer::ExpandReporting(const Instruction& ins, const Word& w,
                                                   const Scope& scope, bool split) {
  ScopeLookup lookup(scope);
  ExpandOptions opts;
  opts.escape = tree_->escape;
  auto res = split ? dockit::ExpandWords(w.value, lookup, opts) : ExpandWord(w.value, lookup, opts);
  if (!res) {
    const ExpandError& err = res.Error();
    result_.diagnostics.push_back(ToDiagnostic(err, SubRange(ins, w, err.begin, err.end)));
    return std::nullopt;
  }
  for (const UndefinedVar& u : res->undefined) {
    // `${V:-default}` and friends handle the unset case on purpose; only plain uses are
    // mistakes. BuildKit's lexer records every failed lookup, so its UndefinedVar check is
    // noisier here; this is a deliberate difference.
    if (u.guarded || u.discarded || scope.declared.count(u.name)) continue;
    std::string message = "undefined variable \"" + u.name + "\": not set by ARG or ENV";
    // A typo of a variable in scope (BULIDPLATFORM, $PAHT) gets BuildKit's suggestion.
    std::vector<std::string_view> known;
    for (const auto& [name, value] : scope.vars) known.push_back(name);
    for (const std::string& name : scope.declared) known.push_back(name);
    if (std::string guess = Suggest(u.name, known); !guess.empty()) {
      message += " (did you mean $" + guess + "?)";
    } else if (!scope.base_image.empty()) {
      message += " (unless the base image " + scope.base_image + " sets it)";
    }
    result_.diagnostics.push_back(Diagnostic{"undefined-var", std::move(message),
                                             SubRange(ins, w, u.begin, u.end), Severity::kWarning});
  }
  return std::move(res).Value();
}

Expanded Analyzer::Expand(const Instruction& ins, const Word& w, const Scope& scope) {
  auto res = ExpandReporting(ins, w, scope, /*split=*/false);
  return Expanded{res ? std::move(res->value) : w.value, w.range};
}

std::vector<Expanded> Analyzer::ExpandWords(const Instruction& ins, const Word& w,
                                            const Scope& scope, bool* undefined) {
  auto res = ExpandReporting(ins, w, scope, /*split=*/true);
  if (!res) return {Expanded{w.value, w.range}};
  if (undefined) *undefined = !res->undefined.empty();
  std::vector<Expanded> out;
  for (std::string& s : res->words) out.push_back(Expanded{std::move(s), w.range});
  return out;
}

Analysis Analyzer::Run() {
  // The platform ARGs BuildKit predefines in the global scope.
  auto split_platform = [](const std::string& p, std::string* os, std::string* arch,
                           std::string* variant) {
    size_t a = p.find('/');
    *os = p.substr(0, a);
    std::string rest = a == std::string::npos ? "" : p.substr(a + 1);
    size_t v = rest.find('/');
    *arch = rest.substr(0, v);
    *variant = v == std::string::npos ? "" : rest.substr(v + 1);
  };
  for (auto [prefix, platform] :
       {std::pair<std::string, std::string>{"TARGET", options_.target_platform},
        {"BUILD", options_.build_platform}}) {
    std::string os, arch, variant;
    split_platform(platform, &os, &arch, &variant);
    meta_.vars[prefix + "PLATFORM"] = platform;
    meta_.vars[prefix + "OS"] = os;
    meta_.vars[prefix + "ARCH"] = arch;
    meta_.vars[prefix + "VARIANT"] = variant;
  }
  stage_scopes_.reserve(tree_->instructions.size());
  for (const Instruction& ins : tree_->instructions) {
    if (ins.kind == InstructionKind::kFrom) {
      BeginStage(ins);
    } else if (result_.stages.empty()) {
      if (ins.kind == InstructionKind::kArg) {
        GlobalArg(ins);
      } else if (ins.kind == InstructionKind::kUnknown) {
        Typed(ins, meta_);  // reports the unknown instruction
      } else {
        Error(ins.keyword_range, "before-from",
              std::string(KeywordOf(ins.kind)) +
                  " comes before the first FROM: only ARG may come before FROM");
      }
    } else {
      Stage& stage = result_.stages.back();
      stage.instructions.push_back(Typed(ins, *stage_scope_));
    }
  }
  for (size_t i = 0; i < result_.stages.size(); ++i) {
    for (const auto& [k, v] : stage_scopes_[i].vars) result_.stages[i].env[k] = v;
  }
  for (const auto& [k, v] : meta_.vars) result_.meta_args[k] = v;
  if (result_.stages.empty() && !tree_->instructions.empty()) {
    Error(tree_->instructions.back().range, "no-from",
          "no FROM instruction: the file defines no build stage");
  }
  std::stable_sort(result_.diagnostics.begin(), result_.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.range.begin.offset < b.range.begin.offset;
                   });
  return std::move(result_);
}

void Analyzer::GlobalArg(const Instruction& ins) {
  TypedInstruction t{&ins, ins.kind, {}};
  std::vector<Diagnostic> flag_errors;
  ParseFlags(ins, flag_errors);
  for (auto& d : flag_errors) result_.diagnostics.push_back(std::move(d));
  t.args = Args(ins, meta_, /*global=*/true);
  result_.global_args.push_back(std::move(t));
}

void Analyzer::BeginStage(const Instruction& ins) {
  Stage stage;
  stage.index = result_.stages.size();
  Scope scope;
  TypedInstruction t{&ins, ins.kind, {}};
  std::vector<Diagnostic> flag_errors;
  ParsedFlags flags = ParseFlags(ins, flag_errors);
  for (auto& d : flag_errors) result_.diagnostics.push_back(std::move(d));
  if (auto from = From(ins)) {
    if (const FlagValue* p = flags.Find("platform")) {
      from->platform = ExpandText(std::string(*p->flag->Value()), p->flag->range, meta_);
    }
    stage.base = from->image;
    stage.platform = from->platform;
    std::string base_lower = text::AsciiLower(from->image.value);
    for (const Stage& earlier : result_.stages) {
      if (!earlier.name.empty() && earlier.name == base_lower) stage.base_stage = earlier.index;
    }
    if (from->stage_name) {
      stage.name = from->stage_name->value;
      for (const Stage& earlier : result_.stages) {
        if (earlier.name == stage.name) {
          Error(from->stage_name->range, "duplicate-stage",
                "duplicate stage name \"" + stage.name + "\" (first defined on line " +
                    std::to_string(earlier.instructions.front().syntax->range.begin.line) + ")");
        }
      }
    }
    t.args = std::move(*from);
  }
  if (stage.base_stage) {
    // A stage built FROM another inherits its ENV and, as BuildKit's dispatcher appends the base
    // stage's build args to the new stage's, its ARGs with their values too.
    const Scope& base = stage_scopes_[*stage.base_stage];
    scope.vars = base.vars;
    scope.declared = base.declared;
    scope.args = base.args;
  } else {
    // BuildKit gives every image a PATH, scratch included (its empty image has the default).
    scope.vars["PATH"] = kDefaultPath;
    scope.base_image = stage.base.value;
  }
  stage.instructions.push_back(std::move(t));
  stage_scopes_.push_back(std::move(scope));
  stage_scope_ = &stage_scopes_.back();
  result_.stages.push_back(std::move(stage));
}

std::optional<FromCmd> Analyzer::From(const Instruction& ins) {
  const auto& a = ins.args;
  if (a.size() != 1 && a.size() != 3) {
    Error(a.empty() ? ins.keyword_range : a.back().range, "from-args",
          "FROM requires either one or three arguments: FROM <image> [AS <name>]");
    return std::nullopt;
  }
  FromCmd from;
  from.image = Expand(ins, a[0], meta_);
  if (from.image.value.empty()) {
    Error(a[0].range, "from-empty",
          "base image name is empty after expanding \"" + a[0].value + "\"");
  }
  if (a.size() == 3) {
    if (text::AsciiLower(a[1].value) != "as") {
      Error(a[1].range, "from-args",
            "the second argument of FROM should be AS, not \"" + a[1].value + "\"");
      return std::nullopt;
    }
    std::string name = text::AsciiLower(a[2].value);
    bool valid = !name.empty() && name[0] >= 'a' && name[0] <= 'z';
    for (char c : name) {
      valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                        c == '.');
    }
    if (!valid) {
      Error(
          a[2].range, "stage-name",
          "invalid stage name \"" + a[2].value +
              "\": it must start with a letter and contain only letters, digits, '-', '_' and '.'");
    }
    from.stage_name = Expanded{name, a[2].range};
  }
  return from;
}

ArgCmd Analyzer::Args(const Instruction& ins, Scope& scope, bool global) {
  ArgCmd cmd;
  if (ins.args.empty()) Error(ins.keyword_range, "arg-args", "ARG requires at least one argument");
  for (const Word& w : ins.args) {
    ArgDecl decl;
    size_t eq = w.value.find('=');
    std::string name = w.value.substr(0, eq);
    decl.name = Expanded{name, SubRange(ins, w, 0, static_cast<uint32_t>(name.size()))};
    if (name.empty()) Error(w.range, "arg-name", "ARG names no variable: \"" + w.value + "\"");
    if (eq != std::string::npos) {
      Word value{
          w.value.substr(eq + 1), static_cast<uint32_t>(w.begin + eq + 1), w.end,
          SubRange(ins, w, static_cast<uint32_t>(eq + 1), static_cast<uint32_t>(w.value.size()))};
      decl.default_value = Expand(ins, value, scope);
    }
    // Value precedence, as in BuildKit: --build-arg, then the default, then (in a stage) the
    // value of the global ARG of the same name.
    std::optional<std::string> value;
    if (auto it = options_.build_args.find(name); it != options_.build_args.end()) {
      value = it->second;
    } else if (decl.default_value) {
      value = decl.default_value->value;
    } else if (!global) {
      if (auto m = meta_.vars.find(name); m != meta_.vars.end()) value = m->second;
    }
    if (value) {
      scope.vars[name] = *value;
      scope.declared.erase(name);
    } else {
      scope.vars.erase(name);
      scope.declared.insert(name);
    }
    scope.args.insert(name);
    cmd.args.push_back(std::move(decl));
  }
  return cmd;
}

TypedInstruction Analyzer::Typed(const Instruction& ins, Scope& scope) {
  TypedInstruction t{&ins, ins.kind, {}};
  std::vector<Diagnostic> flag_errors;
  ParsedFlags flags = ParseFlags(ins, flag_errors);
  for (auto& d : flag_errors) result_.diagnostics.push_back(std::move(d));
  std::string keyword(KeywordOf(ins.kind));
  auto exactly_one = [&]() -> std::optional<SingleValueCmd> {
    if (ins.args.size() != 1) {
      Error(ins.keyword_range, "args-count", keyword + " requires exactly one argument");
      return std::nullopt;
    }
    return SingleValueCmd{Expand(ins, ins.args[0], scope)};
  };
  switch (ins.kind) {
    case InstructionKind::kFrom:
      break;  // handled by BeginStage
    case InstructionKind::kArg:
      t.args = Args(ins, scope, /*global=*/false);
      break;
    case InstructionKind::kEnv:
    case InstructionKind::kLabel: {
      if (ins.args.empty()) {
        Error(ins.keyword_range, "args-count", keyword + " requires at least one argument");
        break;
      }
      EnvCmd env;
      // Every pair is expanded with the variables as they were before this instruction.
      Scope before = scope;
      for (size_t i = 0; i + 1 < ins.args.size(); i += 3) {
        KeyValue kv{Expand(ins, ins.args[i], before), Expand(ins, ins.args[i + 1], before)};
        if (ins.kind == InstructionKind::kEnv) {
          scope.vars[kv.key.value] = kv.value.value;
          scope.declared.erase(kv.key.value);
          scope.args.erase(kv.key.value);
        }
        env.pairs.push_back(std::move(kv));
      }
      t.args = std::move(env);
      break;
    }
    case InstructionKind::kRun:
      if (auto run = Run(ins, flags, scope)) t.args = std::move(*run);
      break;
    case InstructionKind::kAdd:
    case InstructionKind::kCopy:
      if (auto copy = Copy(ins, flags, scope)) t.args = std::move(*copy);
      break;
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
    case InstructionKind::kShell: {
      CommandCmd cmd{ins.json_form, {}};
      for (const Word& w : ins.args) cmd.argv.push_back(Plain(w));
      if (ins.kind == InstructionKind::kShell && (!ins.json_form || ins.args.empty())) {
        Error(ins.keyword_range, "shell-not-json",
              "SHELL requires the arguments to be a non-empty JSON array, e.g. SHELL [\"/bin/sh\", "
              "\"-c\"]");
        break;
      }
      t.args = std::move(cmd);
      break;
    }
    case InstructionKind::kExpose:
      if (auto expose = Expose(ins, scope)) t.args = std::move(*expose);
      break;
    case InstructionKind::kHealthcheck:
      if (auto hc = Healthcheck(ins, flags)) t.args = std::move(*hc);
      break;
    case InstructionKind::kUser:
    case InstructionKind::kWorkdir:
    case InstructionKind::kStopsignal:
      if (auto one = exactly_one()) t.args = std::move(*one);
      break;
    case InstructionKind::kMaintainer:
      if (!ins.args.empty()) t.args = SingleValueCmd{Plain(ins.args[0])};
      break;
    case InstructionKind::kVolume: {
      VolumeCmd vol;
      for (const Word& w : ins.args) {
        Expanded e = Expand(ins, w, scope);
        if (e.value.empty()) {
          Error(w.range, "volume-empty", "VOLUME path is empty");
          continue;
        }
        vol.paths.push_back(std::move(e));
      }
      if (ins.args.empty())
        Error(ins.keyword_range, "args-count", "VOLUME requires at least one argument");
      t.args = std::move(vol);
      break;
    }
    case InstructionKind::kOnbuild: {
      if (!ins.onbuild) {
        Error(ins.keyword_range, "args-count", "ONBUILD requires an instruction to run later");
        break;
      }
      InstructionKind inner = ins.onbuild->kind;
      if (inner == InstructionKind::kOnbuild || inner == InstructionKind::kFrom ||
          inner == InstructionKind::kMaintainer) {
        Error(ins.onbuild->keyword_range, "onbuild-trigger",
              inner == InstructionKind::kOnbuild
                  ? std::string("chaining ONBUILD via ONBUILD ONBUILD isn't allowed")
                  : std::string(KeywordOf(inner)) + " isn't allowed as an ONBUILD trigger");
        break;
      }
      if (inner == InstructionKind::kUnknown) {
        Typed(*ins.onbuild, scope);  // reports the unknown instruction
        break;
      }
      std::vector<Diagnostic> inner_flags;
      ParseFlags(*ins.onbuild, inner_flags);
      for (auto& d : inner_flags) result_.diagnostics.push_back(std::move(d));
      t.args = OnbuildCmd{ins.onbuild.get()};
      break;
    }
    case InstructionKind::kUnknown: {
      std::vector<std::string_view> names;
      for (int k = 0; k < static_cast<int>(InstructionKind::kUnknown); ++k) {
        names.push_back(KeywordOf(static_cast<InstructionKind>(k)));
      }
      std::string hint = Suggest(ins.keyword, names);
      std::string shown;
      text::AppendQuoted(shown, ins.keyword);
      Error(ins.keyword_range, "unknown-instruction",
            "unknown instruction " + shown + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
      break;
    }
  }
  return t;
}

std::optional<RunCmd> Analyzer::Run(const Instruction& ins, const ParsedFlags& flags,
                                    const Scope& scope) {
  RunCmd run;
  run.exec_form = ins.json_form;
  for (const Word& w : ins.args) run.argv.push_back(Plain(w));
  if (ins.args.empty() && ins.heredocs.empty()) {
    Error(ins.keyword_range, "args-count", "RUN requires a command to run");
  }
  if (const FlagValue* m = flags.Find("mount")) {
    for (const Flag* f : m->all) {
      Expanded value = ExpandText(std::string(*f->Value()), f->range, scope);
      if (auto mount = ParseMount(*f, value.value)) run.mounts.push_back(std::move(*mount));
    }
  }
  if (const FlagValue* n = flags.Find("network")) {
    run.network = *n->flag->Value();
    if (run.network != "default" && run.network != "none" && run.network != "host") {
      Error(n->flag->range, "bad-flag-value",
            "unsupported network mode \"" + run.network + "\" (use default, none or host)");
    }
  }
  if (const FlagValue* s = flags.Find("security")) {
    run.security = *s->flag->Value();
    if (run.security != "sandbox" && run.security != "insecure") {
      Error(s->flag->range, "bad-flag-value",
            "unsupported security mode \"" + run.security + "\" (use sandbox or insecure)");
    }
  }
  return run;
}

std::optional<Mount> Analyzer::ParseMount(const Flag& flag, const std::string& value) {
  Mount m;
  m.range = flag.range;
  bool target_seen = false;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string field =
        value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (field.empty()) continue;
    size_t eq = field.find('=');
    std::string key = text::AsciiLower(field.substr(0, eq));
    std::string val = eq == std::string::npos ? "" : field.substr(eq + 1);
    auto as_bool = [&](bool* out) {
      std::string v = text::AsciiLower(val);
      if (eq == std::string::npos || v == "true" || v == "1") {
        *out = true;
      } else if (v == "false" || v == "0") {
        *out = false;
      } else {
        Error(flag.range, "bad-mount",
              "invalid boolean value \"" + val + "\" for mount option " + key);
        return false;
      }
      return true;
    };
    bool ro = false;
    if (key == "type") {
      m.type = val;
      if (val != "bind" && val != "cache" && val != "tmpfs" && val != "secret" && val != "ssh") {
        Error(flag.range, "bad-mount",
              "unsupported mount type \"" + val + "\" (use bind, cache, tmpfs, secret or ssh)");
        return std::nullopt;
      }
    } else if (key == "target" || key == "dst" || key == "destination") {
      m.target = val;
      target_seen = true;
    } else if (key == "source" || key == "src") {
      m.source = val;
    } else if (key == "from") {
      m.from = val;
    } else if (key == "id") {
      m.id = val;
    } else if (key == "sharing") {
      m.sharing = val;
      if (val != "shared" && val != "private" && val != "locked") {
        Error(flag.range, "bad-mount",
              "unsupported cache sharing \"" + val + "\" (use shared, private or locked)");
        return std::nullopt;
      }
    } else if (key == "mode") {
      m.mode = val;
    } else if (key == "uid") {
      m.uid = val;
    } else if (key == "gid") {
      m.gid = val;
    } else if (key == "size") {
      m.size = val;
    } else if (key == "env") {
      m.env = val;
    } else if (key == "readonly" || key == "ro") {
      if (!as_bool(&ro)) return std::nullopt;
      m.read_only = ro;
    } else if (key == "readwrite" || key == "rw") {
      if (!as_bool(&ro)) return std::nullopt;
      m.read_only = !ro;
    } else if (key == "required") {
      if (!as_bool(&m.required)) return std::nullopt;
    } else {
      Error(flag.range, "bad-mount",
            "unexpected key \"" + key + "\" in mount option \"" + field + "\"");
      return std::nullopt;
    }
  }
  // Real files build with `--mount=from=stage` and no target (docker/compose's Dockerfile), so
  // only the mounts that are useless without one are refused.
  bool needs_target = m.type == "cache" || m.type == "tmpfs";
  if (needs_target && !target_seen) {
    Error(flag.range, "bad-mount", m.type + " mount requires a target (target=/path)");
    return std::nullopt;
  }
  return m;
}

std::optional<CopyCmd> Analyzer::Copy(const Instruction& ins, const ParsedFlags& flags,
                                      const Scope& scope) {
  CopyCmd copy;
  copy.is_add = ins.kind == InstructionKind::kAdd;
  std::string keyword(KeywordOf(ins.kind));
  if (ins.args.size() < 2) {
    Error(ins.args.empty() ? ins.keyword_range : ins.args[0].range, "args-count",
          keyword + " requires at least two arguments, a source and a destination");
    return std::nullopt;
  }
  for (size_t i = 0; i + 1 < ins.args.size(); ++i)
    copy.sources.push_back(Expand(ins, ins.args[i], scope));
  copy.dest = Expand(ins, ins.args.back(), scope);
  auto string_flag = [&](std::string_view name) -> std::optional<Expanded> {
    const FlagValue* v = flags.Find(name);
    if (!v) return std::nullopt;
    return ExpandText(std::string(*v->flag->Value()), v->flag->range, scope);
  };
  copy.from = string_flag("from");
  copy.chown = string_flag("chown");
  copy.chmod = string_flag("chmod");
  copy.checksum = string_flag("checksum");
  if (copy.chmod) {
    const std::string& mode = copy.chmod->value;
    bool octal = !mode.empty() && mode.size() <= 4 &&
                 std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; });
    bool symbolic = !mode.empty() && mode.find_first_not_of("ugoa+-=rwxXst,") == std::string::npos;
    if (!octal && !symbolic) {
      Error(copy.chmod->range, "bad-chmod",
            "invalid --chmod value \"" + mode + "\": use octal like 0755 or symbolic like u+x");
    }
  }
  if (const FlagValue* ex = flags.Find("exclude")) {
    for (const Flag* f : ex->all)
      copy.excludes.push_back(ExpandText(std::string(*f->Value()), f->range, scope));
  }
  if (const FlagValue* v = flags.Find("link")) copy.link = v->bool_value;
  if (const FlagValue* v = flags.Find("parents")) copy.parents = v->bool_value;
  if (const FlagValue* v = flags.Find("keep-git-dir")) copy.keep_git_dir = v->bool_value;
  if (const FlagValue* v = flags.Find("unpack")) copy.unpack = v->bool_value;
  return copy;
}

std::optional<ExposeCmd> Analyzer::Expose(const Instruction& ins, const Scope& scope) {
  ExposeCmd expose;
  if (ins.args.empty())
    Error(ins.keyword_range, "args-count", "EXPOSE requires at least one argument");
  for (const Word& w : ins.args) {
    // A variable that nothing here sets (`40000-${PORT_MAX}`) may come from the base image's
    // ENV or a build argument: the port is then not judged.
    bool undefined = false;
    for (Expanded& e : ExpandWords(ins, w, scope, &undefined)) {
      PortSpec port;
      std::string spec = e.value;
      // `IP:HOST:CONTAINER` and `HOST:CONTAINER` are `docker run -p` syntax. BuildKit builds
      // with them (its ExposeInvalidFormat check warns), exposing the container port.
      if (size_t colon = spec.rfind(':'); colon != std::string::npos) spec = spec.substr(colon + 1);
      size_t slash = spec.find('/');
      if (slash != std::string::npos) {
        port.protocol = text::AsciiLower(spec.substr(slash + 1));
        spec = spec.substr(0, slash);
      }
      size_t dash = spec.find('-');
      auto parse = [](const std::string& s, unsigned* out) {
        if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos)
          return false;
        *out = static_cast<unsigned>(std::stoul(s));
        return *out <= 65535;
      };
      bool ok = dash == std::string::npos
                    ? parse(spec, &port.first) && (port.last = port.first, true)
                    : parse(spec.substr(0, dash), &port.first) &&
                          parse(spec.substr(dash + 1), &port.last) && port.first <= port.last;
      if (!ok || (port.protocol != "tcp" && port.protocol != "udp" && port.protocol != "sctp")) {
        if (undefined) continue;
        Error(w.range, "bad-port",
              "invalid port \"" + e.value +
                  "\": use PORT, PORT/PROTOCOL or FIRST-LAST (tcp, udp or sctp)");
        continue;
      }
      port.text = std::move(e);
      expose.ports.push_back(std::move(port));
    }
  }
  return expose;
}

bool Analyzer::ValidDuration(std::string_view s) const {
  // Go's time.ParseDuration: one or more decimal numbers with a unit (ns us µs ms s m h).
  if (s == "0") return true;
  if (s.empty()) return false;
  size_t i = 0;
  while (i < s.size()) {
    size_t digits = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i, ++digits;
    if (digits == 0) return false;
    size_t unit = i;
    while (i < s.size() && !(s[i] >= '0' && s[i] <= '9') && s[i] != '.') ++i;
    std::string_view u = s.substr(unit, i - unit);
    if (u != "ns" && u != "us" && u != "\xC2\xB5s" && u != "ms" && u != "s" && u != "m" && u != "h")
      return false;
  }
  return true;
}

std::optional<HealthcheckCmd> Analyzer::Healthcheck(const Instruction& ins,
                                                    const ParsedFlags& flags) {
  HealthcheckCmd hc;
  if (ins.args.empty()) {
    Error(ins.keyword_range, "args-count", "HEALTHCHECK requires CMD <command> or NONE");
    return std::nullopt;
  }
  std::string type = text::AsciiLower(ins.args[0].value);
  if (type == "none") {
    hc.none = true;
    if (ins.args.size() > 1 || !ins.flags.empty()) {
      Error(ins.args[0].range, "healthcheck", "HEALTHCHECK NONE takes no arguments and no flags");
    }
    return hc;
  }
  if (type != "cmd") {
    Error(ins.args[0].range, "healthcheck",
          "unknown type \"" + ins.args[0].value + "\" in HEALTHCHECK (try CMD)");
    return std::nullopt;
  }
  if (ins.args.size() < 2) {
    Error(ins.args[0].range, "healthcheck", "missing command after HEALTHCHECK CMD");
    return std::nullopt;
  }
  hc.exec_form = ins.json_form;
  for (size_t i = 1; i < ins.args.size(); ++i) hc.test.push_back(Plain(ins.args[i]));
  auto duration = [&](std::string_view name, std::optional<Expanded>* out) {
    const FlagValue* v = flags.Find(name);
    if (!v) return;
    std::string value(*v->flag->Value());
    if (!ValidDuration(value)) {
      Error(v->flag->range, "bad-duration",
            "invalid duration \"" + value + "\" for --" + std::string(name) + " (e.g. 30s, 1m30s)");
      return;
    }
    *out = Expanded{value, v->flag->range};
  };
  duration("interval", &hc.interval);
  duration("timeout", &hc.timeout);
  duration("start-period", &hc.start_period);
  duration("start-interval", &hc.start_interval);
  if (const FlagValue* v = flags.Find("retries")) {
    std::string value(*v->flag->Value());
    if (value.empty() || value.size() > 9 ||
        value.find_first_not_of("0123456789") != std::string::npos) {
      Error(v->flag->range, "bad-flag-value",
            "--retries must be a non-negative integer, not \"" + value + "\"");
    } else {
      hc.retries = Expanded{value, v->flag->range};
    }
  }
  return hc;
}

}  // namespace

bool Analysis::HasErrors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

Analysis AnalyzeDockerfile(std::shared_ptr<const SyntaxTree> tree, const AnalyzeOptions& options) {
  return Analyzer(std::move(tree), options).Run();
}

}  // namespace dockit

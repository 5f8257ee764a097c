#include "linter/shellcheck.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "linter/subprocess.hpp"
#include "parser/text.hpp"

namespace dockit::lint {
namespace {

// Proxy variables BuildKit passes to every RUN without an ARG.
constexpr std::string_view kPredefinedArgs[] = {"http_proxy", "https_proxy", "ftp_proxy",
                                                "no_proxy", "all_proxy"};

// Findings about following `source`d files, which only exist in the image.
constexpr std::string_view kExcluded = "SC1090,SC1091";

// Shell-form inputs are at most a few hundred per file; above this many, more processes run
// (one after the other) so the child's descriptor table stays small.
constexpr size_t kMaxInputsPerProcess = 200;

bool IsShellName(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

Diagnostic Failure(std::string message) {
  return Diagnostic{"shellcheck", std::move(message), {}, Severity::kWarning};
}

// The dialect of a `#!` line's interpreter (`/bin/bash -e`, `/usr/bin/env sh`); nullopt when it
// is no shell ShellCheck checks.
std::optional<ShellDialect> ShebangDialect(std::string_view line) {
  line.remove_prefix(2);
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  if (words.empty()) return std::nullopt;
  if (Basename(words[0]) == "env") {
    for (size_t k = 1; k < words.size(); ++k) {
      if (words[k].starts_with("-") || words[k].find('=') != std::string_view::npos) continue;
      return DialectOf(words[k]);
    }
    return std::nullopt;
  }
  return DialectOf(words[0]);
}

// The dialect a SHELL instruction sets; nullopt for a shell ShellCheck does not check.
std::optional<ShellDialect> ShellInstructionDialect(const Instruction& shell) {
  if (shell.args.empty()) return ShellDialect::kSh;
  size_t first = 0;
  // ["/usr/bin/env", "bash", "-c"]
  while (first + 1 < shell.args.size() && Basename(shell.args[first].value) == "env") ++first;
  std::string_view program = Basename(shell.args[first].value);
  // BusyBox's shell is ash, which ShellCheck checks as dash.
  if (program == "busybox") return ShellDialect::kDash;
  return DialectOf(program);
}

class ScriptBuilder {
 public:
  explicit ScriptBuilder(ShellCheckScript& script) : s_(script) {}

  // Appends `text`, which is file bytes from `file_offset` on.
  void Mapped(std::string_view text, uint32_t file_offset) {
    if (text.empty()) return;
    auto here = static_cast<uint32_t>(s_.text.size());
    if (!s_.pieces.empty()) {
      ShellCheckScript::Piece& last = s_.pieces.back();
      if (last.script + last.length == here && last.file + last.length == file_offset) {
        last.length += static_cast<uint32_t>(text.size());
        s_.text += text;
        return;
      }
    }
    s_.pieces.push_back({here, file_offset, static_cast<uint32_t>(text.size())});
    s_.text += text;
  }
  // Appends text that is not in the file.
  void Inserted(std::string_view text) { s_.text += text; }

  // A heredoc body: file bytes when `content` is what the file holds there; with `strip_tabs`
  // (`RUN <<-EOF`, which BuildKit strips itself) leading tabs are left out.
  void Body(const Heredoc& doc, const SourceFile& file, bool strip_tabs) {
    const std::string& content = doc.content;
    uint32_t begin = doc.body_range.begin.offset;
    bool same = file.Text().compare(begin, content.size(), content) == 0;
    size_t i = 0;
    while (i < content.size()) {
      size_t j = content.find('\n', i);
      j = j == std::string::npos ? content.size() : j + 1;
      size_t k = i;
      if (strip_tabs) {
        while (k < j && content[k] == '\t') ++k;
      }
      // BuildKit reads the body line by line and drops a CR before each LF, as Go's
      // bufio.ScanLines does; the shell never sees it.
      size_t cr = j >= k + 2 && content[j - 1] == '\n' && content[j - 2] == '\r' ? j - 2 : j;
      std::string_view line(content.data() + k, cr - k);
      if (same) {
        Mapped(line, begin + static_cast<uint32_t>(k));
        if (cr != j) Mapped("\n", begin + static_cast<uint32_t>(j - 1));
      } else {
        Inserted(line);
        if (cr != j) Inserted("\n");
      }
      i = j;
    }
  }

 private:
  ShellCheckScript& s_;
};

// A shell-form RUN line with its heredoc bodies and terminators, as BuildKit hands it to the
// shell.
ShellCheckScript RunLineScript(const Instruction& run, const SourceFile& file) {
  ShellCheckScript script;
  script.instruction = &run;
  ScriptBuilder b(script);
  const LogicalLine& line = run.line;
  for (const LogicalLine::Piece& p : line.Pieces()) {
    uint32_t lo = std::max(p.logical, run.args_begin);
    uint32_t hi = std::min(p.logical + p.length, run.args_end);
    if (lo >= hi) continue;
    b.Mapped(std::string_view(line.Text()).substr(lo, hi - lo), p.source + (lo - p.logical));
  }
  for (const Heredoc& doc : run.heredocs) {
    b.Inserted("\n");
    b.Body(doc, file, false);
    uint32_t t = doc.terminator_range.begin.offset;
    uint32_t te = std::max(t, doc.terminator_range.end.offset);
    std::string_view terminator = std::string_view(file.Text()).substr(t, te - t);
    if (terminator.ends_with('\r')) terminator.remove_suffix(1);
    b.Mapped(terminator, t);
  }
  return script;
}

ShellCheckScript BodyScript(const Instruction& run, const Heredoc& doc, const SourceFile& file) {
  ShellCheckScript script;
  script.instruction = &run;
  ScriptBuilder b(script);
  b.Body(doc, file, doc.chomp);
  return script;
}

// Appends the findings of json1's "comments" array. Throws nlohmann's exceptions on bad types.
void ReadComments(const nlohmann::json& comments, const std::vector<ShellCheckScript>& scripts,
                  const std::map<std::string, size_t, std::less<>>& by_path, const SourceFile& file,
                  std::vector<Finding>& out) {
  static const std::string_view slug = FindRule("shellcheck")->info.slug;
  for (const nlohmann::json& c : comments) {
    if (!c.is_object()) continue;
    auto it = by_path.find(c.value("file", std::string()));
    if (it == by_path.end()) continue;
    const ShellCheckScript& script = scripts[it->second];
    auto begin = script.OffsetOf(c.value("line", 0u), c.value("column", 0u));
    auto end = script.OffsetOf(c.value("endLine", 0u), c.value("endColumn", 0u));
    if (!begin) continue;  // in the header
    if (!end || *end < *begin) end = begin;
    std::string level = c.value("level", std::string("warning"));
    Severity severity = level == "error"   ? Severity::kError
                        : level == "info"  ? Severity::kInfo
                        : level == "style" ? Severity::kStyle
                                           : Severity::kWarning;
    Finding f;
    f.rule = slug;
    f.severity = severity;
    f.message = c.value("message", std::string());
    f.range = script.Map(file, *begin, *end);
    f.code = "SC" + std::to_string(c.value("code", 0));
    out.push_back(std::move(f));
  }
}

}  // namespace

std::string_view DialectName(ShellDialect dialect) {
  switch (dialect) {
    case ShellDialect::kSh:
      return "sh";
    case ShellDialect::kBash:
      return "bash";
    case ShellDialect::kDash:
      return "dash";
    case ShellDialect::kKsh:
      return "ksh";
  }
  return "sh";
}

std::optional<ShellDialect> DialectOf(std::string_view program) {
  std::string_view name = Basename(program);
  if (name == "sh") return ShellDialect::kSh;
  if (name == "bash") return ShellDialect::kBash;
  if (name == "dash" || name == "ash") return ShellDialect::kDash;
  if (name == "ksh" || name == "mksh" || name == "pdksh" || name == "ksh93") {
    return ShellDialect::kKsh;
  }
  return std::nullopt;
}

std::string ShellCheckScript::Input() const {
  std::string out = "#!/bin/" + std::string(DialectName(dialect)) + "\n";
  if (!predeclared.empty()) {
    out += "export";
    // Without a value: `export v=1` would tell ShellCheck the value is safe to split (no SC2086).
    for (const std::string& name : predeclared) out += " " + name;
  }
  out += "\n";
  return out + text;
}

SourceRange ShellCheckScript::Map(const SourceFile& file, uint32_t begin, uint32_t end) const {
  if (pieces.empty()) {
    uint32_t at = instruction ? instruction->range.begin.offset : 0;
    return file.RangeOf(at, at);
  }
  // A begin offset is the byte's own position, or for an inserted byte the start of the next
  // piece; an end offset is the position after the byte before it.
  auto begin_of = [&](uint32_t o) -> uint32_t {
    auto after = std::upper_bound(pieces.begin(), pieces.end(), o,
                                  [](uint32_t x, const Piece& p) { return x < p.script; });
    if (after == pieces.begin()) return pieces.front().file;
    const Piece& p = *(after - 1);
    if (o < p.script + p.length) return p.file + (o - p.script);
    return after != pieces.end() ? after->file : p.file + p.length;
  };
  auto end_of = [&](uint32_t o) -> uint32_t {
    auto after = std::lower_bound(pieces.begin(), pieces.end(), o,
                                  [](const Piece& p, uint32_t x) { return p.script < x; });
    if (after == pieces.begin()) return pieces.front().file;
    const Piece& p = *(after - 1);
    return p.file + std::min(o - p.script, p.length);
  };
  uint32_t b = begin_of(begin);
  uint32_t e = end > begin ? end_of(end) : b;
  return file.RangeOf(b, std::max(b, e));
}

std::optional<uint32_t> ShellCheckScript::OffsetOf(uint32_t line, uint32_t column) const {
  if (line <= kHeaderLines) return std::nullopt;
  uint32_t pos = 0;
  for (uint32_t l = kHeaderLines + 1; l < line; ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) return static_cast<uint32_t>(text.size());
    pos = static_cast<uint32_t>(nl + 1);
  }
  // Columns count code points; a tab is one column in json1.
  for (uint32_t c = 1; c < column && pos < text.size() && text[pos] != '\n'; ++c) {
    ++pos;
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  }
  return pos;
}

std::vector<ShellCheckScript> ShellCheckScripts(const SyntaxTree& tree, const Analysis& analysis,
                                                const std::vector<ShellScript>& shells) {
  std::vector<ShellCheckScript> out;
  const SourceFile& file = *tree.file;
  std::vector<std::optional<ShellDialect>> stage_dialect(analysis.stages.size());
  for (const Stage& stage : analysis.stages) {
    std::optional<ShellDialect> dialect = ShellDialect::kSh;
    std::set<std::string> names(std::begin(kPredefinedArgs), std::end(kPredefinedArgs));
    if (stage.base_stage && *stage.base_stage < stage.index) {
      dialect = stage_dialect[*stage.base_stage];
      for (const auto& [name, value] : analysis.stages[*stage.base_stage].env) names.insert(name);
    }
    for (const TypedInstruction& ins : stage.instructions) {
      const Instruction* syntax = ins.syntax;
      if (syntax == nullptr) continue;
      if (ins.kind == InstructionKind::kShell) {
        dialect = ShellInstructionDialect(*syntax);
      } else if (const auto* arg = std::get_if<ArgCmd>(&ins.args)) {
        for (const ArgDecl& d : arg->args) names.insert(d.name.value);
      } else if (const auto* env = std::get_if<EnvCmd>(&ins.args);
                 env && ins.kind == InstructionKind::kEnv) {
        for (const KeyValue& kv : env->pairs) names.insert(kv.key.value);
      }
      if (ins.kind != InstructionKind::kRun || syntax->json_form || !dialect) continue;
      size_t index = static_cast<size_t>(syntax - tree.instructions.data());
      if (index >= shells.size() || !shells[index].IsShell()) continue;
      const ShellScript& view = shells[index];
      // `--mount=type=secret,id=x,env=TOKEN` sets TOKEN for this RUN only.
      std::set<std::string> run_names = names;
      if (const auto* run = std::get_if<RunCmd>(&ins.args)) {
        for (const Mount& m : run->mounts) {
          if (!m.env.empty()) run_names.insert(m.env);
        }
      }
      std::vector<std::string> predeclared;
      for (const std::string& n : run_names) {
        if (IsShellName(n)) predeclared.push_back(n);
      }
      auto add = [&](ShellCheckScript script, ShellDialect d) {
        script.dialect = d;
        script.predeclared = predeclared;
        out.push_back(std::move(script));
      };
      std::span<const ShellSegment> segments = view.Segments();
      // `RUN <<EOF`: the body is the script, run by its shebang's shell or the stage's.
      if (!segments.empty() && segments[0].origin == ShellSegment::Origin::kHeredoc &&
          segments[0].command < 0 && segments[0].heredoc == 0 && !syntax->heredocs.empty()) {
        const Heredoc& doc = syntax->heredocs[0];
        ShellCheckScript script = BodyScript(*syntax, doc, file);
        std::optional<ShellDialect> d = dialect;
        if (script.text.starts_with("#!")) {
          d = ShebangDialect(std::string_view(script.text).substr(0, script.text.find('\n')));
          script.text[1] = ' ';  // our header's shebang comes first; keep the offsets
        }
        if (d) add(std::move(script), *d);
        continue;
      }
      add(RunLineScript(*syntax, file), *dialect);
      // Bodies that a shell reads as its script: `RUN bash <<EOF`.
      for (const ShellSegment& seg : segments) {
        if (seg.origin != ShellSegment::Origin::kHeredoc || !seg.is_shell || seg.command < 0 ||
            seg.heredoc < 0 || static_cast<size_t>(seg.heredoc) >= syntax->heredocs.size() ||
            static_cast<size_t>(seg.command) >= view.Commands().size()) {
          continue;
        }
        std::optional<ShellDialect> d = DialectOf(Unwrap(view.Commands()[seg.command]).Name());
        if (!d) continue;
        add(BodyScript(*syntax, syntax->heredocs[seg.heredoc], file), *d);
      }
    }
    stage_dialect[stage.index] = dialect;
  }
  return out;
}

Result<std::vector<Finding>> ParseShellCheckJson(std::string_view json,
                                                 const std::vector<ShellCheckScript>& scripts,
                                                 const std::vector<std::string>& paths,
                                                 const SourceFile& file) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("comments") ||
      !doc["comments"].is_array()) {
    return Failure("shellcheck printed something that is not json1 output");
  }
  std::map<std::string, size_t, std::less<>> by_path;
  for (size_t i = 0; i < paths.size() && i < scripts.size(); ++i) by_path[paths[i]] = i;
  std::vector<Finding> out;
  try {
    ReadComments(doc["comments"], scripts, by_path, file, out);
  } catch (const nlohmann::json::exception&) {
    return Failure("shellcheck printed json1 output with unexpected types");
  }
  return out;
}

Result<std::vector<Finding>> RunShellCheck(const ShellCheckOptions& options,
                                           const std::vector<ShellCheckScript>& scripts,
                                           const SourceFile& file) {
  std::vector<Finding> findings;
  for (size_t first = 0; first < scripts.size(); first += kMaxInputsPerProcess) {
    size_t last = std::min(scripts.size(), first + kMaxInputsPerProcess);
    std::vector<ShellCheckScript> batch(scripts.begin() + first, scripts.begin() + last);
    std::vector<MemFile> inputs;
    std::vector<std::string> paths;
    std::vector<int> fds;
    std::vector<std::string> args = {"--norc", "--format=json1",
                                     "--exclude=" + std::string(kExcluded)};
    for (const ShellCheckScript& s : batch) {
      auto input = MemFile::Create(s.Input());
      if (!input) return Failure(input.Error().message);
      paths.push_back(input->Path());
      fds.push_back(input->Fd());
      args.push_back(input->Path());
      inputs.push_back(std::move(input).Value());
    }
    auto run = RunProgram(options.program, args, fds, options.timeout_ms);
    if (!run) return Failure(run.Error().message);
    const ProcessResult& r = *run;
    std::string err = r.err.substr(0, r.err.find('\n'));
    if (r.timed_out) {
      return Failure("shellcheck did not finish within " +
                     std::to_string(options.timeout_ms / 1000) + " s and was stopped");
    }
    if (r.signal != 0) {
      return Failure("shellcheck was killed by signal " + std::to_string(r.signal) +
                     (err.empty() ? "" : ": " + err));
    }
    // 0: no findings, 1: findings; anything else is a failure (2: a file could not be read,
    // 3/4: bad options).
    if (r.exit_code != 0 && r.exit_code != 1) {
      return Failure("shellcheck failed with exit status " + std::to_string(r.exit_code) +
                     (err.empty() ? "" : ": " + err));
    }
    auto parsed = ParseShellCheckJson(r.out, batch, paths, file);
    if (!parsed) return parsed.Error();
    for (Finding& f : parsed.Value()) findings.push_back(std::move(f));
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.range.begin.offset < b.range.begin.offset;
  });
  // A body that a shell runs is checked twice (as heredoc text of its line and as a script);
  // the same check at the same place is reported once.
  std::set<std::tuple<std::string, uint32_t, uint32_t>> seen;
  std::vector<Finding> unique;
  for (Finding& f : findings) {
    if (seen.emplace(f.code, f.range.begin.offset, f.range.end.offset).second) {
      unique.push_back(std::move(f));
    }
  }
  return unique;
}

}  // namespace dockit::lint

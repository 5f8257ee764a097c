#include "rules/instructions_util.hpp"

#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::vector<VarRef> VarRefs(std::string_view raw, char escape) {
  std::vector<VarRef> out;
  bool in_single = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (in_single) {
      in_single = c != '\'';
      continue;
    }
    if (c == '\'') {
      in_single = true;
    } else if (c == escape) {
      ++i;  // the next byte is literal
    } else if (c == '$' && i + 1 < raw.size()) {
      size_t start = i + 1;
      bool braced = raw[start] == '{';
      if (braced) ++start;
      if (start >= raw.size() || !IsNameStart(raw[start])) continue;
      size_t end = start;
      while (end < raw.size() && IsNameChar(raw[end])) ++end;
      size_t stop = end;
      if (braced) {
        size_t close = raw.find('}', end);
        if (close == std::string_view::npos) continue;
        stop = close + 1;
      }
      out.push_back(VarRef{std::string(raw.substr(start, end - start)), static_cast<uint32_t>(i),
                           static_cast<uint32_t>(stop)});
      i = stop - 1;
    }
  }
  return out;
}

SourceRange WordSubRange(const SourceFile& file, const Instruction& ins, const Word& w,
                         uint32_t begin, uint32_t end) {
  return ins.line.ToSourceRange(file, w.begin + begin, w.begin + end);
}

std::vector<const Stage*> StageChain(const Analysis& analysis, const Stage& stage) {
  std::vector<const Stage*> chain{&stage};
  // base_stage always names an earlier stage, so this ends.
  while (chain.back()->base_stage && *chain.back()->base_stage < analysis.stages.size())
    chain.push_back(&analysis.stages[*chain.back()->base_stage]);
  return chain;
}

bool AlpineLike(const RuleContext& ctx, const Stage& stage) {
  std::vector<const Stage*> chain = StageChain(ctx.Meaning(), stage);
  std::string_view image = chain.back()->base.value;
  if (image.find("alpine") != std::string_view::npos ||
      image.find("busybox") != std::string_view::npos)
    return true;
  for (const Stage* s : chain) {
    for (const TypedInstruction& ins : s->instructions) {
      if (ins.kind == InstructionKind::kRun && !FindCommands(ctx.Shell(*ins.syntax), "apk").empty())
        return true;
    }
  }
  return false;
}

namespace {

// `apk add` adds `package`: its name alone or followed by a version constraint.
bool ApkAdds(const CommandView& view, std::string_view package) {
  // Args()'s first word is the subcommand.
  std::vector<const ShellWord*> args =
      Args(view, {"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir",
                  "--keys-dir", "--repositories-file"});
  if (args.empty() || args[0]->value != "add") return false;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string_view v = args[i]->value;
    if (!v.starts_with(package)) continue;
    if (v.size() == package.size() ||
        std::string_view("=~<>").find(v[package.size()]) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

bool ApkAddsBefore(const RuleContext& ctx, const Stage& stage, std::string_view package,
                   const Instruction& run, const ShellCommand* at) {
  std::vector<const Stage*> chain = StageChain(ctx.Meaning(), stage);
  for (auto s = chain.rbegin(); s != chain.rend(); ++s) {
    for (const TypedInstruction& ins : (*s)->instructions) {
      if (ins.kind != InstructionKind::kRun) continue;
      bool last = ins.syntax == &run;
      if (last && !at) return false;
      for (const CommandView& view : FindCommands(ctx.Shell(*ins.syntax), "apk")) {
        if (last && view.command >= at) return false;  // Commands() is in run order
        if (ApkAdds(view, package)) return true;
      }
      if (last) return false;
    }
  }
  return false;
}

bool BusyboxWget(const RuleContext& ctx, const Stage& stage, const Instruction& run,
                 const ShellCommand* at) {
  return AlpineLike(ctx, stage) && !ApkAddsBefore(ctx, stage, "wget", run, at);
}

bool AllUpper(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
  }
  return true;
}

bool AllLower(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return true;
}

bool IsAbsolutePath(std::string_view path) {
  if (path.starts_with('/') || path.starts_with('\\')) return true;
  return path.size() >= 2 && path[1] == ':' &&
         ((path[0] >= 'a' && path[0] <= 'z') || (path[0] >= 'A' && path[0] <= 'Z'));
}

}  // namespace dockit::lint

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

const Stage* StageFrom(const Analysis& analysis, const Stage& user, std::string_view from) {
  if (from.empty() || from.find('$') != std::string_view::npos) return nullptr;
  if (from.find_first_not_of("0123456789") == std::string_view::npos) {
    if (from.size() > 6) return nullptr;
    size_t index = std::stoul(std::string(from));
    return index < user.index ? &analysis.stages[index] : nullptr;
  }
  std::string lower = text::AsciiLower(from);
  for (const Stage& s : analysis.stages) {
    if (s.index >= user.index) break;
    if (s.name == lower) return &s;
  }
  return nullptr;
}

bool ShipsAsImage(const Analysis& analysis, const Stage& stage) {
  if (analysis.stages.empty()) return false;
  const size_t n = analysis.stages.size();
  std::vector<bool> ships(n, false);
  for (const Stage* link : StageChain(analysis, analysis.stages.back())) ships[link->index] = true;
  // A stage whose whole root is copied into a shipping stage ships too (with its chain).
  for (bool grew = true; grew;) {
    grew = false;
    for (const Stage& s : analysis.stages) {
      if (!ships[s.index]) continue;
      for (const TypedInstruction& ins : s.instructions) {
        const auto* copy = std::get_if<CopyCmd>(&ins.args);
        if (!copy || !copy->from) continue;
        const Stage* from = StageFrom(analysis, s, copy->from->value);
        if (!from || ships[from->index]) continue;
        for (const Expanded& src : copy->sources) {
          std::string_view v = src.value;
          while (v.size() > 1 && v.back() == '/') v.remove_suffix(1);
          if (v != "/" && v != "." && v != "/*") continue;
          for (const Stage* link : StageChain(analysis, *from)) ships[link->index] = true;
          grew = true;
          break;
        }
      }
    }
  }
  return ships[stage.index];
}

bool ValidImageReference(std::string_view ref) {
  std::string_view name = ref;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    if (at + 1 == name.size()) return false;
    name = name.substr(0, at);
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = name.substr(colon + 1);
    if (tag.empty() || tag.size() > 128) return false;
    for (char c : tag) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-';
      if (!ok) return false;
    }
    if (tag[0] == '.' || tag[0] == '-') return false;
    name = name.substr(0, colon);
  }
  if (name.empty() || name.front() == '/' || name.back() == '/' ||
      name.find("//") != std::string_view::npos)
    return false;
  // The first component may be a registry host (with upper case or a port); the rest is a
  // lower-case path.
  size_t first = name.find('/');
  std::string_view host = first == std::string_view::npos ? "" : name.substr(0, first);
  bool is_host = host.find_first_of(".:") != std::string_view::npos || host == "localhost";
  std::string_view path = is_host ? name.substr(first + 1) : name;
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

bool IsWindowsImage(std::string_view image) {
  std::string lower = text::AsciiLower(image);
  return lower.find("windows") != std::string::npos ||
         lower.find("nanoserver") != std::string::npos ||
         lower.find("servercore") != std::string::npos;
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

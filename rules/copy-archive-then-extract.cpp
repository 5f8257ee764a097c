// `COPY app.tar.gz /tmp/` and then `RUN tar -xzf /tmp/app.tar.gz`: the archive stays in the COPY
// layer, and ADD would have unpacked it in one step.
#include <map>

#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

bool IsArchive(std::string_view s) {
  for (std::string_view ext :
       {".tar", ".tar.bz2", ".tb2", ".tbz", ".tbz2", ".tar.gz", ".tgz", ".tpz", ".tar.lz",
        ".tar.lzma", ".tlz", ".tar.xz", ".txz", ".tar.Z", ".tZ", ".tar.zst"}) {
    if (s.ends_with(ext)) return true;
  }
  return false;
}

// A Windows path written with backslashes: `build\foo\bar.tar.gz`, `"C:\Program Files\x.tgz"`.
// A backslash before a letter, digit, `_` or `.` separates; before a space or a quote it
// escapes, as in `my\ file.tar`.
bool WindowsLooking(std::string_view raw) {
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    char c = raw[i + 1];
    if (raw[i] == '\\' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '_' || c == '.'))
      return true;
  }
  return false;
}

std::string Basename(std::string_view s, bool windows) {
  std::string_view seps = windows ? "/\\" : "/";
  while (s.size() > 1 && seps.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  size_t slash = s.find_last_of(seps);
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

// The file name a path ends with. Windows paths are read from the raw text, quotes removed:
// unquoted, the Dockerfile's and the shell's escape `\` would drop their separators.
std::string FileName(std::string_view raw, std::string_view value) {
  if (!WindowsLooking(raw)) return Basename(value, false);
  std::string path;
  for (char c : raw) {
    if (c != '"' && c != '\'') path += c;
  }
  return Basename(path, true);
}

// `tar -xzf x`, `tar xzf x`, `tar --extract -f x`: a full extraction that ADD could do instead.
// Extractions that ADD cannot do (--strip-components, to stdout, chosen members) do not count.
bool IsPlainTarExtract(const CommandView& view, const ShellWord** archive) {
  if (view.Name() != "tar" || view.argv.size() < 2) return false;
  bool extract = false;
  size_t operands = 0;
  *archive = nullptr;
  for (size_t i = 1; i < view.argv.size(); ++i) {
    std::string_view a = view.argv[i].value;
    if (a == "--extract" || a == "--get") {
      extract = true;
    } else if (a.starts_with("--")) {
      if (a.starts_with("--strip") || a == "--to-stdout" || a.starts_with("--wildcards") ||
          a.starts_with("--exclude") || a.starts_with("--transform") || a.starts_with("--xform"))
        return false;
      if (a == "--file" && i + 1 < view.argv.size()) *archive = &view.argv[++i];
      if (a.starts_with("--file=")) *archive = &view.argv[i];  // value after '='
      if (a == "--directory" && i + 1 < view.argv.size()) ++i;
    } else if (a.starts_with('-') ||
               (i == 1 && !a.empty() && a.find('/') == std::string_view::npos &&
                a.find('.') == std::string_view::npos)) {
      std::string_view letters = a.starts_with('-') ? a.substr(1) : a;
      if (letters.find('x') != std::string_view::npos) extract = true;
      if (letters.find('O') != std::string_view::npos) return false;
      if (letters.find('f') != std::string_view::npos) {
        // The value of -f is the rest of the cluster after f, or the next word.
        if (letters.back() == 'f' && i + 1 < view.argv.size()) {
          *archive = &view.argv[++i];
        } else if (letters.back() != 'f') {
          *archive = &view.argv[i];
        }
      } else if ((letters == "C" || letters.ends_with('C')) && i + 1 < view.argv.size()) {
        ++i;
      }
    } else {
      ++operands;  // a member to extract: only part of the archive
    }
  }
  return extract && *archive && operands == 0;
}

struct Copied {
  std::string name;  // basename of the archive in the image
  SourceRange range;
};

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    std::vector<Copied> archives;
    std::vector<bool> reported;
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* copy = std::get_if<CopyCmd>(&ins.args)) {
        if (copy->is_add || copy->from || !ins.syntax->heredocs.empty()) continue;
        const std::vector<Word>& words = ins.syntax->args;
        // The words as written (for JSON, the decoded strings), one per source and the dest.
        bool raw = words.size() == copy->sources.size() + 1;
        std::string dest = raw ? FileName(words.back().value, copy->dest.value)
                               : Basename(copy->dest.value, false);
        if (IsArchive(dest)) {
          archives.push_back({dest, copy->dest.range});
          reported.push_back(false);
          continue;
        }
        for (size_t i = 0; i < copy->sources.size(); ++i) {
          const Expanded& src = copy->sources[i];
          if (src.value.find('$') != std::string::npos) continue;
          std::string name = raw ? FileName(words[i].value, src.value) : Basename(src.value, false);
          if (!IsArchive(name)) continue;
          archives.push_back({name, src.range});
          reported.push_back(false);
        }
        continue;
      }
      if (ins.kind != InstructionKind::kRun || archives.empty()) continue;
      for (const CommandView& view : RunCommands(ctx.Shell(*ins.syntax))) {
        const ShellWord* archive = nullptr;
        if (!IsPlainTarExtract(view, &archive)) continue;
        std::string_view value = archive->value;
        std::string_view raw = archive->raw;
        if (value.starts_with("--file=")) value.remove_prefix(7);
        if (raw.starts_with("--file=")) raw.remove_prefix(7);
        if (archive->HasExpansion()) continue;
        std::string name = FileName(raw, value);
        for (size_t i = 0; i < archives.size(); ++i) {
          if (reported[i] || name != archives[i].name) continue;
          reported[i] = true;
          ctx.Report(archives[i].range, archives[i].name +
                                            " is copied and then extracted by tar on line " +
                                            std::to_string(view.command->range.begin.line) +
                                            "; ADD extracts local archives in one layer");
        }
      }
    }
  }
}

}  // namespace

const Rule kCopyArchiveThenExtract{
    {
        .slug = "copy-archive-then-extract",
        .aliases = {"DL3010"},
        .severity = Severity::kInfo,
        .title = "Use ADD to extract a local archive instead of COPY and tar",
        .rationale =
            "A COPYed archive stays in its layer even when a later RUN extracts it and deletes "
            "it, so the image carries the data twice. ADD extracts a local tar archive (plain or "
            "compressed) into the image in one step, and the archive itself never lands there.",
        .bad = {{"FROM alpine\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm "
                 "/tmp/app.tar.gz\n",
                 {"2:6"}},
                {"FROM alpine\nWORKDIR /src\nCOPY dist/release.tar ./\nRUN tar xf release.tar\n",
                 {"3:6"}},
                {"FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
                 "COPY build\\foo\\bar.tar.gz \"C:\\Program Files\\Foo\"\n"
                 "RUN tar -xf \"C:\\Program Files\\Foo\\bar.tar.gz\"\n",
                 {"2:6"}},
                {"FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
                 "COPY [\"build\\\\foo\\\\bar.tar.gz\", \"C:\\\\app\\\\foo.tar.gz\"]\n"
                 "RUN tar -xf foo.tar.gz\n",
                 {"2:33"}}},
        .good = {{"FROM alpine\nADD app.tar.gz /opt/\n", {}},
                 {"FROM alpine\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz "
                  "--strip-components=1 -C /opt\n",
                  {}},
                 {"FROM alpine\nCOPY data.tar /srv/\nRUN tar -tf /srv/data.tar\n", {}},
                 {"FROM alpine\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz app/bin\n", {}},
                 {"FROM alpine AS build\nCOPY app.tar.gz /tmp/\nFROM alpine\nRUN tar -xzf "
                  "/tmp/other.tar.gz\n",
                  {}}},
        .differs_from_hadolint =
            "Only tar extractions that ADD could do instead are reported: not with "
            "--strip-components, --exclude, --transform, to stdout, or of chosen members. "
            "Decompressing with gunzip, unzip and the like is not reported (ADD does not unpack "
            "zip files or single compressed files). The finding points at the archive in COPY. "
            "As in hadolint, a backslash separates the parts of Windows paths "
            "(`build\\foo\\bar.tar.gz`).",
    },
    Check};

}  // namespace dockit::lint

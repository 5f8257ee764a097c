// ADD where COPY is enough: ADD also fetches URLs and unpacks archives, so a reader of ADD must
// wonder which of those happens; COPY says exactly what it does.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

bool IsUrl(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") ||
         s.starts_with("git://");
}

bool IsArchive(std::string_view s) {
  for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
                               ".tar.zst", ".tar.lz", ".tar.lzma", ".tlz", ".gz", ".bz2", ".xz"}) {
    if (s.ends_with(ext)) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* copy = std::get_if<CopyCmd>(&ins.args);
    if (!copy || !copy->is_add) return;
    // Features only ADD has.
    if (copy->checksum || copy->keep_git_dir || copy->unpack) return;
    if (!ins.syntax->heredocs.empty()) return;
    for (const Expanded& src : copy->sources) {
      if (IsUrl(src.value) || IsArchive(src.value) || src.value.find('$') != std::string::npos)
        return;
    }
    const Instruction& syntax = *ins.syntax;
    Fix fix{"replace ADD with COPY",
            {{syntax.keyword_range.begin.offset, syntax.keyword_range.end.offset, "COPY"}}};
    ctx.Report(syntax.keyword_range, "use COPY instead of ADD for local files and folders",
               std::move(fix));
  });
}

}  // namespace

const Rule kAddInsteadOfCopy{
    {
        .slug = "add-instead-of-copy",
        .aliases = {"DL3020"},
        .severity = Severity::kError,
        .title = "Use COPY instead of ADD for local files and folders",
        .rationale =
            "ADD also downloads URLs and unpacks local archives. When neither happens, COPY says "
            "the same thing with no surprises: a file that happens to be a tarball is not "
            "silently extracted.",
        .bad = {{"FROM alpine\nADD app.py /app/\n", {"2:1"}, "FROM alpine\nCOPY app.py /app/\n"},
                {"FROM alpine\nadd --chown=1:1 src/ /src/\n",
                 {"2:1"},
                 "FROM alpine\nCOPY --chown=1:1 src/ /src/\n"}},
        .good = {{"FROM alpine\nCOPY app.py /app/\n", {}},
                 {"FROM alpine\nADD rootfs.tar.xz /\n", {}},
                 {"FROM alpine\nADD --checksum=sha256:0123 https://example.com/a.tgz /a.tgz\n", {}},
                 {"FROM alpine\nADD https://example.com/tool /usr/bin/tool\n", {}}},
        .differs_from_hadolint =
            "Like hadolint, archives and URLs are accepted; unlike it, ADD with --checksum, "
            "--keep-git-dir or --unpack is accepted too, since only ADD has them.",
    },
    Check};

}  // namespace dockit::lint

// `pip install flask` installs whatever PyPI offers on the day of the build.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// A VCS URL (git+https://host/repo.git@v1#egg=x) is pinned by an @ref after the host: an @
// before it is a user name (git+ssh://git@host/repo.git).
bool VcsPinned(std::string_view v) {
  v = v.substr(0, v.find('#'));
  size_t scheme = v.find("://");
  if (scheme == std::string_view::npos) return v.find('@') != std::string_view::npos;
  std::string_view rest = v.substr(scheme + 3);
  size_t path = rest.find('/');
  return path != std::string_view::npos && rest.find('@', path) != std::string_view::npos;
}

// flask==3.0, flask>=3,<4, flask~=3.0, ./src, git+https://...@v1, dist/x.whl, x.tar.gz.
bool Pinned(const ShellWord& w) {
  std::string_view v = w.value;
  if (w.HasExpansion()) return true;
  for (std::string_view vcs : {"git+", "hg+", "svn+", "bzr+"}) {
    if (v.starts_with(vcs)) return VcsPinned(v);
  }
  return v.find_first_of("=<>~!@/") != std::string_view::npos || v.starts_with('.') ||
         v.ends_with(".whl") || v.ends_with(".tar.gz") || v.ends_with(".zip") ||
         v.ends_with(".tgz");
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::PipCall& pip : packages::FindPipInstalls(*site.script)) {
      // A constraints file pins what the command line names.
      if (HasFlag(pip.call.view, {"-c", "--constraint"})) continue;
      for (const ShellWord* pkg : packages::Operands(pip.call, DOCKIT_PIP_FLAGS_WITH_VALUE)) {
        if (Pinned(*pkg)) continue;
        ctx.Report(pkg->range, "pin the version of " + std::string(pkg->value) + ": pip install " +
                                   std::string(pkg->value) + "==<version>");
      }
    }
  });
}

}  // namespace

const Rule kPipPinVersions{
    {
        .slug = "pip-pin-versions",
        .aliases = {"DL3013"},
        .severity = Severity::kWarning,
        .title = "Pin versions in pip install",
        .rationale =
            "Without a version, pip installs the newest release on PyPI when the layer is "
            "built: a rebuild can silently get a new major version. Pin with `pkg==1.2.3` (or a "
            "range such as `pkg>=1.2,<2`), or install from a requirements or constraints file "
            "that pins.",
        .bad = {{"FROM python:3.12\nRUN pip install --no-cache-dir flask requests==2.32.3\n",
                 {"2:32"}},
                {"FROM python:3.12\nRUN python3 -m pip install --no-cache-dir -U pip setuptools\n",
                 {"2:46", "2:50"}},
                {"FROM python:3.12\nRUN pip install --no-cache-dir "
                 "git+https://github.com/x/y.git#egg=y git+ssh://git@github.com/x/z.git\n",
                 {"2:32", "2:69"}}},
        .good = {{"FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n", {}},
                 {"FROM python:3.12\nRUN pip install --no-cache-dir 'flask>=3,<4' django~=5.0 "
                  "'uvicorn[standard]==0.30.1'\n",
                  {}},
                 {"FROM python:3.12\nRUN pip install --no-cache-dir -c constraints.txt flask\n",
                  {}},
                 {"FROM python:3.12\nRUN pip install --no-cache-dir . ./libs/core dist/app.whl\n",
                  {}},
                 {"FROM python:3.12\nRUN pip install --no-cache-dir -e . "
                  "git+https://github.com/x/y.git@v1.0\n",
                  {}}},
        .differs_from_hadolint =
            "Each unpinned package is reported at its own word; words with an expansion count "
            "as pinned. As in hadolint, a VCS URL (git+https://...) needs an @ref.",
    },
    Check};

}  // namespace dockit::lint

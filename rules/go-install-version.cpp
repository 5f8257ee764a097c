// `go install github.com/x/tool/cmd/tool@latest` (or with no version at all) builds whatever the
// module's newest release is on the day the layer is built.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

// go build flags whose value may be the next word.
#define GO_FLAGS_WITH_VALUE                                                                     \
  {                                                                                             \
    "-C", "-o", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags", "-gccgoflags", "-mod",      \
        "-modfile", "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-overlay", "-pgo", \
        "-toolexec", "-covermode", "-coverpkg", "-buildvcs"                                     \
  }

// A package path naming a remote module: its first element has a dot (github.com/...,
// golang.org/x/...).
bool IsRemote(std::string_view v) {
  if (v.starts_with('.') || v.starts_with('/') || v.ends_with(".go")) return false;
  std::string_view first = v.substr(0, v.find('/'));
  return first.find('.') != std::string_view::npos && v.find('/') != std::string_view::npos;
}

bool Pinned(const ShellWord& w) {
  if (w.HasExpansion()) return true;
  std::string_view v = w.value;
  size_t at = v.rfind('@');
  if (at == std::string_view::npos) return !IsRemote(v);
  std::string_view version = v.substr(at + 1);
  return !version.empty() && version != "latest" && version != "upgrade" && version != "patch" &&
         version != "none" && version != "master" && version != "main" && version != "HEAD";
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "go", {"install"}, GO_FLAGS_WITH_VALUE)) {
      std::vector<const ShellWord*> operands = packages::Operands(call, GO_FLAGS_WITH_VALUE);
      // `go install tool pkg...` installs the tools go.mod declares, at go.mod's versions.
      bool tools = false;
      for (const ShellWord* pkg : operands) tools = tools || pkg->value == "tool";
      if (tools) continue;
      for (const ShellWord* pkg : operands) {
        if (Pinned(*pkg)) continue;
        std::string_view v = pkg->value;
        std::string name(v.substr(0, v.rfind('@')));
        ctx.Report(pkg->range,
                   "pin the version of " + name + ": go install " + name + "@<version>");
      }
    }
  });
}

}  // namespace

const Rule kGoInstallVersion{
    {
        .slug = "go-install-version",
        .aliases = {"DL3062"},
        .severity = Severity::kWarning,
        .title = "Pin versions in go install",
        .rationale =
            "`go install example.com/tool@latest` builds the module's newest release on the day "
            "the layer is built, so two builds of the same Dockerfile can ship different tools. "
            "Name a version (`@v1.2.3`) or a commit.",
        .bad = {{"FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n", {"2:16"}},
                {"FROM golang:1.22\nRUN go install -v github.com/go-delve/delve/cmd/dlv "
                 "honnef.co/go/tools/cmd/staticcheck@2023.1.7\n",
                 {"2:19"}}},
        .good = {{"FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.15.3\n", {}},
                 {"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/... && go "
                  "install -ldflags \"-s -w\" .\n",
                  {}},
                 {"FROM golang:1.22\nARG DLV_VERSION=v1.22.1\nRUN go install "
                  "github.com/go-delve/delve/cmd/dlv@${DLV_VERSION}\n",
                  {}},
                 {"FROM golang:1.22\nRUN go install main.go && go install myapp\n", {}},
                 {"FROM golang:1.22\nRUN go build -o /app github.com/x/y\n", {}},
                 {"FROM golang:1.24\nCOPY go.mod go.sum ./\nRUN go install tool "
                  "google.golang.org/protobuf/cmd/protoc-gen-go\n",
                  {}}},
        .differs_from_hadolint =
            "Only `go install` is checked (not `go get` or `go run`, which in GOPATH mode take no "
            "version), and only module paths whose first element is a host name (github.com/...): "
            "local packages, .go files and short import paths are accepted. Like hadolint, "
            "@latest is reported, and so are moving queries (@upgrade, @patch, @master, @main, "
            "@HEAD); words with an expansion count as pinned, and `go install tool ...` (Go 1.24 "
            "tools, "
            "pinned by go.mod) is accepted.",
    },
    Check};

}  // namespace dockit::lint

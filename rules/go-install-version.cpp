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

void Report(RuleContext& ctx, const ShellWord& pkg, std::string_view verb) {
  std::string_view v = pkg.value;
  std::string name(v.substr(0, v.rfind('@')));
  ctx.Report(pkg.range, "pin the version of " + name + ": go " + std::string(verb) + " " + name +
                            "@<version>");
}

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    // `go install pkg@version` and `go get pkg@version` (module mode: without a version both
    // take the newest release).
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "go", {"install", "get"}, GO_FLAGS_WITH_VALUE)) {
      std::vector<const ShellWord*> operands = packages::Operands(call, GO_FLAGS_WITH_VALUE);
      // `go install tool` installs the tools go.mod declares, at go.mod's versions.
      bool tools = call.subcommand->value == "install" && !operands.empty() &&
                   operands.front()->value == "tool";
      if (tools) continue;
      for (const ShellWord* pkg : operands) {
        if (!Pinned(*pkg)) Report(ctx, *pkg, call.subcommand->value);
      }
    }
    // `go run pkg@version args...`: only the package is judged, and only when it names a
    // version (without one, go.mod decides); the words after it are the program's arguments.
    for (const packages::ManagerCall& call :
         packages::FindCalls(*site.script, "go", {"run"}, GO_FLAGS_WITH_VALUE)) {
      std::vector<const ShellWord*> operands = packages::Operands(call, GO_FLAGS_WITH_VALUE);
      if (operands.empty()) continue;
      const ShellWord& pkg = *operands.front();
      if (pkg.value.find('@') != std::string_view::npos && !Pinned(pkg)) Report(ctx, pkg, "run");
    }
  });
}

}  // namespace

const Rule kGoInstallVersion{
    {
        .slug = "go-install-version",
        .aliases = {"DL3062"},
        .severity = Severity::kWarning,
        .title = "Pin versions in go install, go get and go run",
        .rationale =
            "`go install example.com/tool@latest` builds the module's newest release on the day "
            "the layer is built, so two builds of the same Dockerfile can ship different tools. "
            "Name a version (`@v1.2.3`) or a commit.",
        .bad = {{"FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n", {"2:16"}},
                {"FROM golang:1.22\nRUN go get -tool example.com/gen && go run "
                 "example.com/pkg@latest\n",
                 {"2:18", "2:44"}},
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
            "Like hadolint, `go install` and `go get` of a remote module without a version, or "
            "with @latest or another moving query (@upgrade, @patch, @master, @main, @HEAD), are "
            "reported, and so is `go run pkg@latest`. Deliberate differences: only module paths "
            "whose first element is a host name (github.com/...) count as remote, so short "
            "import paths such as `go install myapp` (a package of the current module) are "
            "accepted; `go install tool ...` (Go 1.24 tools, pinned by go.mod) is accepted; "
            "`go run example.com/pkg` without a version is accepted, because go.mod pins it; "
            "words with an expansion count as pinned.",
    },
    Check};

}  // namespace dockit::lint

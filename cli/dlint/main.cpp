// dlint: the Dockerfile and compose file linter.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "cli/dlint/discover.hpp"
#include "linter/config.hpp"
#include "linter/diff.hpp"
#include "linter/engine.hpp"
#include "linter/fix.hpp"
#include "linter/output.hpp"
#include "linter/rule_docs.hpp"
#include "linter/subprocess.hpp"
#include "parser/atomic_file.hpp"
#include "parser/dockerfile_parser.hpp"

namespace {

using namespace dockit;
using namespace dockit::lint;

constexpr const char* kUsage =
    "usage: dlint [options] PATH...   (files, directories, - for stdin)\n"
    "  --stdin-filename NAME    the name to report for - (NAME.yaml/.yml: a compose file)\n"
    "  --context DIR            the build context (default: each Dockerfile's folder;\n"
    "                           for compose files, the project folder)\n"
    "  --no-context             lint without a build context (.dockerignore and compose\n"
    "                           build path checks off)\n"
    "  --build-arg K=V          value for an ARG (repeatable)\n"
    "  --ignore ID              turn a rule off (slug or alias; repeatable)\n"
    "  --enable ID              turn an opt-in rule on (repeatable)\n"
    "  --trusted-registry REG   only allow images from REG (repeatable; as trusted-registries)\n"
    "  --require-label L:TYPE   require label L of TYPE: text, url, email, rfc3339, semver,\n"
    "                           spdx or hash (repeatable; as label-schema)\n"
    "  --strict-labels          no labels outside the label schema (as strict-labels)\n"
    "  --failure-threshold SEV  error, warning, info (default) or style\n"
    "  --disable-ignore-pragma  ignore every `# dlint/hadolint ignore=` comment\n"
    "  --require-reason         ignore pragmas without a reason are errors and suppress nothing\n"
    "  --format FORMAT          tty (default), json, sarif, gnu, checkstyle, codeclimate,\n"
    "                           gitlab or junit\n"
    "  --color WHEN             auto (default: on a terminal, unless NO_COLOR is set), always\n"
    "                           or never\n"
    "  --fix                    rewrite the files with the safe fixes\n"
    "  --dry-run                with --fix: print a unified diff instead of writing\n"
    "  --no-shellcheck          do not run shellcheck on RUN scripts\n"
    "  -v, --verbose            say what was skipped and why\n"
    "  --list-rules             every rule with its aliases and severity\n"
    "  --explain ID             the documentation of one rule\n"
    "  --print-ast buildkit     print BuildKit's dump of the syntax tree\n"
    "  --write-rule-docs DIR    regenerate docs/rules\n";

int Usage(int code) {
  (code ? std::cerr : std::cout) << kUsage;
  return code;
}

int PrintAst(const std::string& path) {
  std::string io_error;
  auto file = ReadSourceFile(path, &io_error);
  if (!file) {
    std::cerr << "dlint: " << io_error << "\n";
    return 2;
  }
  auto tree = ParseDockerfile(file);
  if (!tree) {
    std::cerr << Render(*file, tree.Error());
    return 1;
  }
  std::string dump = DumpBuildkit(**tree);
  std::fwrite(dump.data(), 1, dump.size(), stdout);
  return 0;
}

int WriteRuleDocs(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  for (const Rule* rule : AllRules()) {
    std::ofstream(dir / (std::string(rule->info.slug) + ".md")) << RuleMarkdown(rule->info);
  }
  std::ofstream(dir / "README.md") << RuleIndexMarkdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  LintOptions options;
  std::vector<std::string> paths;
  std::string print_ast;
  std::optional<Severity> threshold;  // --failure-threshold; else the configuration; else info
  bool fix = false;
  bool dry_run = false;
  bool disable_ignore_pragma = false;  // flags that override the configuration when given
  bool require_reason = false;
  std::string color_when = "auto";
  OutputFormat format = OutputFormat::kTty;
  std::string stdin_name = "-";
  std::optional<std::string> context_dir;  // "" after --no-context
  bool verbose = false;
  bool no_shellcheck = false;

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    // `--name=value` is `--name value`, as in hadolint's `--require-label=maintainer:text`.
    std::optional<std::string> inline_value;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (arg == "-h" || arg == "--help") return Usage(0);
    if (arg == "--print-ast" || arg == "--build-arg" || arg == "--ignore" || arg == "--enable" ||
        arg == "--failure-threshold" || arg == "--explain" || arg == "--write-rule-docs" ||
        arg == "--format" || arg == "--stdin-filename" || arg == "--context" || arg == "--color" ||
        arg == "--trusted-registry" || arg == "--require-label") {
      auto v = value();
      if (!v) return Usage(2);
      if (arg == "--print-ast") {
        if (*v != "buildkit") {
          std::cerr << "dlint: unknown AST format \"" << *v << "\" (known: buildkit)\n";
          return 2;
        }
        print_ast = *v;
      } else if (arg == "--color") {
        if (*v != "auto" && *v != "always" && *v != "never") {
          std::cerr << "dlint: --color takes auto, always or never, not \"" << *v << "\"\n";
          return 2;
        }
        color_when = *v;
      } else if (arg == "--context") {
        context_dir = *v;
      } else if (arg == "--trusted-registry") {
        options.settings.trusted_registries.push_back(*v);
      } else if (arg == "--require-label") {
        std::string label, error;
        LabelType type;
        if (!ParseRequiredLabel(*v, &label, &type, &error)) {
          std::cerr << "dlint: --require-label: " << error << "\n";
          return 2;
        }
        options.settings.label_schema[label] = type;
      } else if (arg == "--stdin-filename") {
        stdin_name = *v;
      } else if (arg == "--format") {
        auto f = ParseOutputFormat(*v);
        if (!f) {
          std::cerr << "dlint: unknown format \"" << *v << "\" (" << kOutputFormatNames << ")\n";
          return 2;
        }
        format = *f;
      } else if (arg == "--build-arg") {
        size_t eq = v->find('=');
        options.analyze.build_args[v->substr(0, eq)] =
            eq == std::string::npos ? "" : v->substr(eq + 1);
      } else if (arg == "--ignore" || arg == "--enable") {
        std::string id = CanonicalRuleId(*v);
        if (id.empty()) {
          std::cerr << "dlint: unknown rule \"" << *v << "\" (see --list-rules)\n";
          return 2;
        }
        (arg == "--ignore" ? options.ignored : options.enabled).insert(id);
      } else if (arg == "--failure-threshold") {
        auto sev = ParseSeverityName(*v);
        if (!sev) {
          std::cerr << "dlint: unknown severity \"" << *v << "\"\n";
          return 2;
        }
        threshold = *sev;
      } else if (arg == "--explain") {
        const Rule* rule = FindRule(*v);
        if (!rule) {
          std::cerr << "dlint: unknown rule \"" << *v << "\" (see --list-rules)\n";
          return 2;
        }
        std::cout << RuleMarkdown(rule->info);
        return 0;
      } else {
        return WriteRuleDocs(*v);
      }
    } else if (inline_value &&
               (arg == "--strict-labels" || arg == "--no-context" || arg == "--fix" ||
                arg == "--list-rules" || arg == "--help" || arg == "--dry-run" ||
                arg == "--disable-ignore-pragma" || arg == "--require-reason" ||
                arg == "--no-shellcheck" || arg == "--verbose")) {
      std::cerr << "dlint: option " << arg << " takes no value\n";
      return Usage(2);
    } else if (arg == "--strict-labels") {
      options.settings.strict_labels = true;
    } else if (arg == "--disable-ignore-pragma") {
      disable_ignore_pragma = true;
    } else if (arg == "--require-reason") {
      require_reason = true;
    } else if (arg == "--no-context") {
      context_dir = "";
    } else if (arg == "--fix") {
      fix = true;
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else if (arg == "--no-shellcheck") {
      no_shellcheck = true;
    } else if (arg == "-v" || arg == "--verbose") {
      verbose = true;
    } else if (arg == "--list-rules") {
      for (const Rule* rule : AllRules()) {
        std::cout << rule->info.slug << "\t" << SeverityName(rule->info.severity) << "\t";
        for (size_t a = 0; a < rule->info.aliases.size(); ++a) {
          std::cout << (a ? "," : "") << rule->info.aliases[a];
        }
        std::cout << "\t" << rule->info.title << "\n";
      }
      return 0;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      std::cerr << "dlint: unknown option " << argv[i] << "\n";
      return Usage(2);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) return Usage(2);
  if (dry_run && !fix) {
    std::cerr << "dlint: --dry-run only goes with --fix\n";
    return 2;
  }
  if (!print_ast.empty()) return PrintAst(paths.front());

  // ShellCheck runs when it is installed, unless turned off here; the configuration can still
  // turn it off per file.
  if (!no_shellcheck) {
    if (auto program = FindProgram("shellcheck")) {
      options.shellcheck.enabled = true;
      options.shellcheck.program = *program;
    } else if (verbose) {
      std::cerr << "dlint: shellcheck is not installed; RUN scripts are not checked by it\n";
    }
  }

  std::vector<std::string> errors;
  std::vector<std::string> files = dockit::dlint::DiscoverFiles(paths, &errors);
  int status = errors.empty() ? 0 : 2;
  for (const std::string& e : errors) std::cerr << "dlint: " << e << "\n";

  // Lint the files in parallel; print in the order given.
  std::vector<std::optional<LintResult>> results(files.size());
  std::vector<std::string> io_errors(files.size());
  std::vector<Severity> thresholds(files.size(), Severity::kInfo);
  std::vector<std::string> diffs(files.size());  // --fix --dry-run
  std::optional<std::string> fixed_stdin;        // --fix on -: the fixed text goes to stdout
  auto lint_one = [&](size_t i) {
    const std::string& path = files[i];
    std::shared_ptr<const SourceFile> file;
    LintOptions file_options = options;
    if (path == "-") {
      std::string text(std::istreambuf_iterator<char>(std::cin), {});
      file = std::make_shared<SourceFile>(stdin_name, std::move(text));
    } else {
      file = ReadSourceFile(path, &io_errors[i]);
      if (!file) return;
      // By default the build context is the Dockerfile's folder, as in
      // `docker build -f DIR/Dockerfile DIR`.
      std::string dir =
          context_dir ? *context_dir : std::filesystem::path(path).parent_path().string();
      if (!context_dir || !context_dir->empty()) {
        file_options.context = ReadContextInfo(dir.empty() ? "." : dir, path);
        // A compose file's relative paths start from its folder (its project directory).
        file_options.project = DiskProject(dir.empty() ? "." : dir);
      }
    }
    // .dlint.yaml / .hadolint.yaml from the file's folder up to the repository root, then
    // DLINT_* variables; the command line comes last.
    Config config;
    std::string config_dir = path == "-" ? "." : std::filesystem::path(path).parent_path().string();
    if (!LoadConfigFor(config_dir, &config, &io_errors[i]) ||
        !MergeEnvironment(&config, &io_errors[i])) {
      return;
    }
    ApplyConfig(config, &file_options);
    if (disable_ignore_pragma) file_options.disable_ignore_pragma = true;
    if (require_reason) file_options.require_reason = true;
    for (const std::string& slug : options.ignored) file_options.ignored.insert(slug);
    for (const std::string& slug : options.enabled) file_options.enabled.insert(slug);
    thresholds[i] = threshold.value_or(config.failure_threshold.value_or(Severity::kInfo));
    if (!fix) {
      results[i] = LintFile(file, file_options);
      return;
    }
    FixOutcome fixed = FixToFixpoint(file, file_options);
    if (dry_run) {
      diffs[i] = UnifiedDiff(file->Path(), file->Text(), fixed.text);
    } else if (std::optional<std::string> failed;
               fixed.passes > 0 && path != "-" &&
               (failed = WriteFileAtomically(path, fixed.text))) {
      // An interrupted --fix never leaves a half-written Dockerfile (parser/atomic_file.hpp).
      io_errors[i] = *failed;
      return;
    } else if (path == "-") {
      fixed_stdin = fixed.text;
    }
    results[i] = std::move(fixed.after);
  };
  size_t workers =
      std::min<size_t>(files.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  std::atomic<size_t> next{0};
  for (size_t w = 0; w + 1 < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < files.size();) lint_one(i);
    });
  }
  for (size_t i; (i = next++) < files.size();) lint_one(i);
  for (std::thread& t : pool) t.join();

  if (dry_run) {
    // The diff is the output; the exit status says whether --fix would change anything.
    bool changes = false;
    for (size_t i = 0; i < files.size(); ++i) {
      if (!results[i]) {
        std::cerr << "dlint: " << io_errors[i] << "\n";
        status = 2;
      }
      std::cout << diffs[i];
      changes = changes || !diffs[i].empty();
    }
    return status != 0 ? status : changes ? 1 : 0;
  }
  if (fixed_stdin) {
    // Like clang-format on stdin: the fixed text on stdout, the remaining findings on stderr.
    std::cout << *fixed_stdin;
    std::cout.flush();
  }
  std::ostream& report = fixed_stdin ? std::cerr : std::cout;
  // https://no-color.org: a set, non-empty NO_COLOR turns colours off.
  const char* no_color = std::getenv("NO_COLOR");
  bool color = color_when == "always" ||
               (color_when == "auto" && isatty(fixed_stdin ? STDERR_FILENO : STDOUT_FILENO) &&
                !(no_color && *no_color));
  std::vector<LintResult> done;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!results[i]) {
      std::cerr << "dlint: " << io_errors[i] << "\n";
      status = 2;
      continue;
    }
    for (const std::string& w : results[i]->warnings) {
      std::cerr << "dlint: warning: " << results[i]->file->Path() << ": " << w << "\n";
    }
    if (format == OutputFormat::kTty) report << FormatTty(*results[i], color);
    for (const Finding& f : results[i]->findings) {
      // Severities are ordered error < warning < info < style: "at or above" the threshold.
      if (static_cast<int>(f.severity) <= static_cast<int>(thresholds[i]) && status == 0) {
        status = 1;
      }
    }
    done.push_back(std::move(*results[i]));
  }
  if (format != OutputFormat::kTty) report << FormatAll(format, done);
  return status;
}

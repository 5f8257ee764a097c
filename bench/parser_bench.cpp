// Parser benchmarks against the project's performance targets:
//   Dockerfile layer over the real corpus        >= 100 MB/s on one core
//   whole corpus with the shell views of RUN     <  150 ms per pass
//   a generated 1,000-instruction Dockerfile     <  1 ms
// plus peak memory (max RSS, and the heap the corpus trees hold). The corpus is read into memory
// once, so file I/O is not measured; building the SourceFile (copy and line index) is, because
// every caller pays for it. After the runs a summary compares the figures with the targets.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "parser/dockerfile_parser.hpp"
#if __has_include("parser/shell.hpp")
#include "parser/shell.hpp"
#define DOCKIT_BENCH_SHELL 1
#endif
#include "parser/source.hpp"
#include "parser/syntax.hpp"

namespace {

namespace fs = std::filesystem;

struct CorpusFile {
  std::string name;
  std::string text;
};

struct Corpus {
  std::vector<CorpusFile> files;
  size_t bytes = 0;
};

// The real Dockerfiles of shared/corpus, sorted by name so every run sees the same order.
const Corpus& RealCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    fs::path dir = fs::path(DOCKIT_SHARED_DIR) / "corpus" / "real" / "dockerfile";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      c.files.push_back({entry.path().filename().string(), text.str()});
      c.bytes += c.files.back().text.size();
    }
    std::sort(c.files.begin(), c.files.end(),
              [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
    return c;
  }();
  return corpus;
}

std::shared_ptr<const dockit::SyntaxTree> Parse(const std::string& name, const std::string& text) {
  auto result = dockit::ParseDockerfile(std::make_shared<dockit::SourceFile>(name, text));
  return result.Ok() ? *result : nullptr;
}

// A realistic 1,000-instruction Dockerfile: stages of ARG/FROM/ENV, RUN with continuations,
// COPY --from of the previous stage, a heredoc RUN, LABEL, EXPOSE, exec-form CMD.
std::string GenerateDockerfile(int instructions) {
  std::string out = "# syntax=docker/dockerfile:1\n# escape=\\\n";
  int count = 0;
  int stage = 0;
  auto add = [&](const std::string& text) {
    if (count < instructions) {
      out += text;
      ++count;
    }
  };
  while (count < instructions) {
    std::string n = std::to_string(stage);
    add("ARG BASE_IMAGE=debian:bookworm-slim\n");
    add("FROM ${BASE_IMAGE} AS stage" + n + "\n");
    add("ARG VERSION=1." + n + ".0\n");
    add("ENV PATH=/opt/app/bin:$PATH \\\n    LANG=C.UTF-8 \\\n    APP_HOME=\"/opt/app " + n +
        "\"\n");
    add("# install the build dependencies\n"
        "RUN set -eux; \\\n"
        "    apt-get update; \\\n"
        "    apt-get install -y --no-install-recommends \\\n"
        "        ca-certificates curl git make gcc libc6-dev; \\\n"
        "    rm -rf /var/lib/apt/lists/*\n");
    add("WORKDIR /src/stage" + n + "\n");
    if (stage > 0) {
      add("COPY --from=stage" + std::to_string(stage - 1) +
          " --chown=app:app /out/bin/ /usr/local/bin/\n");
    }
    add("COPY --link . .\n");
    add("RUN --mount=type=cache,target=/root/.cache <<EOF\n"
        "set -e\n"
        "make -j\"$(nproc)\" VERSION=\"${VERSION}\"\n"
        "install -D build/app /out/bin/app\n"
        "EOF\n");
    add("RUN curl -fsSL https://example.com/tool-" + n +
        ".tar.gz | tar -xz -C /usr/local \\\n"
        "    && tool --version \\\n"
        "    && useradd --system --create-home app\n");
    add("LABEL org.opencontainers.image.version=\"$VERSION\" \\\n"
        "      org.opencontainers.image.title=\"stage " +
        n + "\"\n");
    add("EXPOSE 8080/tcp\n");
    add("USER app\n");
    add("CMD [\"app\", \"--port\", \"8080\", \"--stage\", \"" + n + "\"]\n");
    ++stage;
  }
  return out;
}

// (1) The Dockerfile layer alone over every corpus file.
void BM_DockerfileLayer_Corpus(benchmark::State& state) {
  const Corpus& corpus = RealCorpus();
  if (corpus.files.empty()) {
    state.SkipWithError("no corpus: " DOCKIT_SHARED_DIR "/corpus/real/dockerfile");
    return;
  }
  int64_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const CorpusFile& f : corpus.files) {
      auto tree = Parse(f.name, f.text);
      if (!tree) ++failed;
      benchmark::DoNotOptimize(tree);
    }
  }
  int64_t passes = state.iterations();
  state.SetBytesProcessed(passes * static_cast<int64_t>(corpus.bytes));
  state.counters["files/s"] =
      benchmark::Counter(static_cast<double>(passes) * static_cast<double>(corpus.files.size()),
                         benchmark::Counter::kIsRate);
  state.counters["MB/s"] =
      benchmark::Counter(static_cast<double>(passes) * static_cast<double>(corpus.bytes) / 1e6,
                         benchmark::Counter::kIsRate);
  state.counters["files"] = static_cast<double>(corpus.files.size());
  state.counters["parse_errors"] = static_cast<double>(failed);
}
BENCHMARK(BM_DockerfileLayer_Corpus)->Unit(benchmark::kMillisecond);

#ifdef DOCKIT_BENCH_SHELL
// (2) The whole corpus as a linter sees it: the Dockerfile layer, then the shell view of every
// instruction (ShellViewsOf: RUN, CMD, ENTRYPOINT, HEALTHCHECK, ONBUILD triggers).
void BM_Corpus_WithShellViews(benchmark::State& state) {
  const Corpus& corpus = RealCorpus();
  if (corpus.files.empty()) {
    state.SkipWithError("no corpus: " DOCKIT_SHARED_DIR "/corpus/real/dockerfile");
    return;
  }
  int64_t views = 0;
  for (auto _ : state) {
    views = 0;
    for (const CorpusFile& f : corpus.files) {
      auto tree = Parse(f.name, f.text);
      if (!tree) continue;
      std::vector<dockit::ShellScript> scripts = dockit::ShellViewsOf(*tree);
      for (const dockit::ShellScript& s : scripts) views += s.Kind() != dockit::ShellKind::kNone;
      benchmark::DoNotOptimize(scripts);
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(corpus.bytes));
  state.counters["shell_views"] = static_cast<double>(views);
}
BENCHMARK(BM_Corpus_WithShellViews)->Unit(benchmark::kMillisecond);

// The shell layer alone, on trees parsed beforehand: how (2) splits between the two layers.
void BM_ShellViewsOnly_Corpus(benchmark::State& state) {
  std::vector<std::shared_ptr<const dockit::SyntaxTree>> trees;
  for (const CorpusFile& f : RealCorpus().files) {
    if (auto tree = Parse(f.name, f.text)) trees.push_back(std::move(tree));
  }
  for (auto _ : state) {
    for (const auto& tree : trees) {
      std::vector<dockit::ShellScript> scripts = dockit::ShellViewsOf(*tree);
      benchmark::DoNotOptimize(scripts);
    }
  }
}
BENCHMARK(BM_ShellViewsOnly_Corpus)->Unit(benchmark::kMillisecond);

// The generated 1,000-instruction file with its shell views (for information: no target).
void BM_Generated_WithShellViews(benchmark::State& state) {
  const std::string text = GenerateDockerfile(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto tree = Parse("Dockerfile", text);
    if (!tree) {
      state.SkipWithError("the generated file does not parse");
      return;
    }
    std::vector<dockit::ShellScript> scripts = dockit::ShellViewsOf(*tree);
    benchmark::DoNotOptimize(scripts);
  }
}
BENCHMARK(BM_Generated_WithShellViews)->Unit(benchmark::kMicrosecond)->Arg(1000);
#endif

// (3) One generated file of state.range(0) instructions: 1,000 is the target; the other sizes
// show whether the cost grows linearly.
void BM_DockerfileLayer_Generated(benchmark::State& state) {
  const auto count = static_cast<size_t>(state.range(0));
  const std::string text = GenerateDockerfile(static_cast<int>(count));
  auto check = Parse("Dockerfile", text);
  if (!check || check->instructions.size() != count) {
    state.SkipWithError("the generated file does not parse into the expected instructions");
    return;
  }
  for (auto _ : state) {
    auto tree = Parse("Dockerfile", text);
    benchmark::DoNotOptimize(tree);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
  state.counters["lines"] = static_cast<double>(std::count(text.begin(), text.end(), '\n'));
}
BENCHMARK(BM_DockerfileLayer_Generated)
    ->Unit(benchmark::kMicrosecond)
    ->Arg(1000)
    ->Arg(100)
    ->Arg(10000);

// Keeps every run (or, with repetitions, its median) for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  explicit SummaryReporter(OutputOptions options) : ConsoleReporter(options) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") results_[name] = run;
      } else if (!results_.count(name)) {
        results_[name] = run;  // replaced by the median when there are repetitions
      }
    }
  }
  const Run* Find(const std::string& name) const {
    auto it = results_.find(name);
    return it == results_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, Run> results_;
};

double Counter(const benchmark::BenchmarkReporter::Run& run, const std::string& name) {
  auto it = run.counters.find(name);
  return it == run.counters.end() ? 0.0 : it->second.value;
}

// Heap bytes the corpus trees hold when all of them are alive at once.
size_t RetainedHeapForCorpus() {
  const Corpus& corpus = RealCorpus();
  size_t before = mallinfo2().uordblks;
  std::vector<std::shared_ptr<const dockit::SyntaxTree>> trees;
  trees.reserve(corpus.files.size());
  for (const CorpusFile& f : corpus.files) trees.push_back(Parse(f.name, f.text));
  size_t after = mallinfo2().uordblks;
  return after > before ? after - before : 0;
}

const char* Verdict(bool ok) { return ok ? "ok" : "MISSED"; }

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const Corpus& corpus = RealCorpus();
  // Colours only on a terminal, as the default reporter does with --benchmark_color=auto.
  SummaryReporter reporter(isatty(fileno(stdout)) ? benchmark::ConsoleReporter::OO_ColorTabular
                                                  : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  size_t retained = RetainedHeapForCorpus();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);

  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  // Targets are judged on CPU time, which other processes on the machine inflate much less than
  // wall time; both are printed, and rates (MB/s, files/s) are per CPU second.
  std::printf(
      "\nsummary (corpus: %zu files, %.2f MB; medians of the repetitions;"
      " judged on CPU time; load average %.2f)\n",
      corpus.files.size(), static_cast<double>(corpus.bytes) / 1e6, load[0]);
  if (const auto* r = reporter.Find("BM_DockerfileLayer_Corpus")) {
    double mbs = Counter(*r, "MB/s");
    std::printf(
        "  dockerfile layer, corpus:     %7.1f MB/s, %6.0f files/s, %6.2f ms/pass cpu"
        " (%.2f wall)   target >= 100 MB/s: %s\n",
        mbs, Counter(*r, "files/s"), r->GetAdjustedCPUTime(), r->GetAdjustedRealTime(),
        Verdict(mbs >= 100.0));
    if (Counter(*r, "parse_errors") > 0) {
      std::printf("  note: %.0f corpus files did not parse\n", Counter(*r, "parse_errors"));
    }
  }
  if (const auto* r = reporter.Find("BM_Corpus_WithShellViews")) {
    double ms = r->GetAdjustedCPUTime();
    std::printf(
        "  corpus with shell views:      %7.2f ms/pass cpu (%.2f wall), %.0f shell views"
        "   target < 150 ms: %s\n",
        ms, r->GetAdjustedRealTime(), Counter(*r, "shell_views"), Verdict(ms < 150.0));
    if (const auto* only = reporter.Find("BM_ShellViewsOnly_Corpus")) {
      std::printf("    of which the shell layer:   %7.2f ms/pass cpu (%.2f wall)\n",
                  only->GetAdjustedCPUTime(), only->GetAdjustedRealTime());
    }
  } else {
    std::printf(
        "  corpus with shell views:      not measured (no shell module built)"
        "   target < 150 ms: TODO\n");
  }
  if (const auto* r = reporter.Find("BM_DockerfileLayer_Generated/1000")) {
    double us = r->GetAdjustedCPUTime();
    std::printf(
        "  1,000-instruction Dockerfile: %7.1f us cpu (%.1f wall), %.0f bytes"
        "   target < 1000 us: %s\n",
        us, r->GetAdjustedRealTime(), Counter(*r, "bytes"), Verdict(us < 1000.0));
  }
  if (const auto* r = reporter.Find("BM_Generated_WithShellViews/1000")) {
    std::printf("    with its shell views:       %7.1f us cpu (%.1f wall)   no target\n",
                r->GetAdjustedCPUTime(), r->GetAdjustedRealTime());
  }
  std::printf("  heap held by all corpus trees at once: %.2f MB (%.1fx the source bytes)\n",
              static_cast<double>(retained) / 1e6,
              corpus.bytes ? static_cast<double>(retained) / static_cast<double>(corpus.bytes) : 0);
  std::printf("  peak memory (max RSS of this process): %.1f MB\n",
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}

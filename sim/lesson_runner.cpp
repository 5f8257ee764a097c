#include "sim/lesson_runner.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "planner/run_size.hpp"
#include "sim/docker_cli.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

// The lesson's build context: a directory of its own, removed afterwards.
class ContextDir {
 public:
  ContextDir() {
    static int counter = 0;
    // The folder is named `lesson`, so a compose project in it is the project "lesson" and
    // its containers are lesson-web-1, ... on every machine.
    parent_ = fs::temp_directory_path() /
              ("dexec-lesson-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    path_ = parent_ / "lesson";
    fs::remove_all(parent_, error_);
    fs::create_directories(path_, error_);
  }
  ~ContextDir() {
    std::error_code ignored;
    fs::remove_all(parent_, ignored);
  }
  const fs::path& Path() const { return path_; }
  bool Ok() const { return !error_; }

 private:
  fs::path parent_, path_;
  std::error_code error_;
};

struct Last {
  int exit_code = 0;
  std::string output;
  bool ran = false;
};

class Runner {
 public:
  Runner(const SourceFile& file, const LessonOptions& options, std::ostream& out, std::ostream& err)
      : file_(file), options_(options), out_(out), err_(err) {}

  int Run(const Lesson& lesson) {
    if (!context_.Ok()) {
      err_ << "dexec: cannot make the lesson's build context in " << context_.Path() << "\n";
      return 2;
    }
    CliSession session{world_, context_.Path().string(), std::nullopt};
    session_ = &session;
    out_ << "== " << lesson.title << " ==\n";
    for (const LessonStep& step : lesson.steps) {
      int status = Step(step);
      if (status) return status;
    }
    out_ << "== " << passed_ << " expectation" << (passed_ == 1 ? "" : "s") << " held";
    if (failed_) out_ << ", " << failed_ << " did not";
    out_ << " ==\n";
    return failed_ && options_.check ? 1 : 0;
  }

 private:
  using Kind = LessonStep::Kind;

  std::string Source(const LessonStep& step) const {
    return std::string(file_.LineAt(step.range.begin.offset));
  }

  int Fail(const LessonStep& step, const std::string& why) {
    Diagnostic d{"lesson-expectation", why, step.range, Severity::kError};
    err_ << Render(file_, d);
    return 2;
  }

  int Step(const LessonStep& step) {
    fs::path path = context_.Path() / step.text;
    std::error_code ec;
    switch (step.kind) {
      case Kind::kSay:
        out_ << "# " << step.text << "\n";
        return 0;
      case Kind::kFile:
      case Kind::kAppend: {
        fs::create_directories(path.parent_path(), ec);
        std::ofstream f(
            path, std::ios::binary | (step.kind == Kind::kFile ? std::ios::trunc : std::ios::app));
        f << step.body;
        if (!f) return Fail(step, "cannot write " + step.text);
        out_ << "(" << (step.kind == Kind::kFile ? "wrote " : "appended to ") << step.text << ")\n";
        return 0;
      }
      case Kind::kDelete:
        if (!fs::remove_all(path, ec)) return Fail(step, "no file " + step.text + " to delete");
        out_ << "(deleted " << step.text << ")\n";
        return 0;
      case Kind::kChmod:
        fs::permissions(path, static_cast<fs::perms>(step.mode), ec);
        if (ec) return Fail(step, "cannot chmod " + step.text + ": " + ec.message());
        out_ << "(chmod " << std::oct << step.mode << std::dec << " " << step.text << ")\n";
        return 0;
      case Kind::kTouch:
        fs::last_write_time(path, fs::last_write_time(path, ec) + std::chrono::hours(1), ec);
        if (ec) return Fail(step, "cannot touch " + step.text + ": " + ec.message());
        out_ << "(touched " << step.text << ")\n";
        return 0;
      case Kind::kWait:
        world_.Advance(step.seconds);
        out_ << "(" << step.seconds << " seconds pass)\n";
        return 0;
      case Kind::kProgram: {
        Status declared = world_.DeclareProgram(step.text, step.body);
        if (!declared) return Fail(step, declared.Error().message);
        return 0;
      }
      case Kind::kSizes:
        return Fail(step, "declared sizes are not supported by this simulator yet");
      case Kind::kCommand:
        return Command(step);
      case Kind::kExpect:
        return Expect(step);
    }
    return 0;
  }

  int Command(const LessonStep& step) {
    out_ << "$ " << Source(step).substr(Source(step).find('$') + 2) << "\n";
    std::ostringstream output;
    const std::string& program = step.argv.front();
    if (program == "docker") {
      std::vector<std::string> args(step.argv.begin() + 1, step.argv.end());
      last_.exit_code = RunDockerCommand(*session_, args, output, output);
    } else if (program == "curl" && step.argv.size() == 2) {
      Result<std::string> response = world_.Request(step.argv[1]);
      if (response) {
        output << *response;
        last_.exit_code = 0;
      } else {
        output << response.Error().message << "\n";
        last_.exit_code = 7;
      }
    } else {
      return Fail(step, "a lesson runs docker commands and `curl URL`, not " + program);
    }
    last_.output = output.str();
    last_.ran = true;
    out_ << last_.output;
    if (!last_.output.empty() && last_.output.back() != '\n') out_ << "\n";
    return 0;
  }

  // Whether the expectation holds, and what was seen when it does not.
  std::pair<bool, std::string> Holds(const Expectation& e) {
    using K = Expectation::Kind;
    switch (e.kind) {
      case K::kExit:
        return {last_.exit_code == e.exit_code, "exit code " + std::to_string(last_.exit_code)};
      case K::kOutputContains:
        return {last_.output.find(e.text) != std::string::npos, "the output was:\n" + last_.output};
      case K::kOutputLacks:
        return {last_.output.find(e.text) == std::string::npos, "the output was:\n" + last_.output};
      case K::kStepCached:
      case K::kStepRebuilt: {
        if (!session_->last_build) return {false, "no build has run"};
        for (const plan::StepReport& r : session_->last_build->steps) {
          if (r.number != e.step) continue;
          bool cached = r.verdict == plan::CacheVerdict::kHit;
          return {cached == (e.kind == K::kStepCached),
                  cached ? "it was cached" : "it was rebuilt: " + r.reason};
        }
        return {false, "the last build has no step " + std::to_string(e.step)};
      }
      case K::kImageSize: {
        Result<std::string> id = world_.FindImage(e.text);
        if (!id) return {false, id.Error().message};
        uint64_t size = world_.ImageById(*id)->Size();
        return {size >= e.min && size <= e.max,
                "its size is " + plan::FormatSize(size) + " (" + std::to_string(size) + " bytes)"};
      }
      case K::kContainer: {
        Result<std::string> id = world_.FindContainer(e.text);
        if (!id) return {e.state == "removed", "there is no such container"};
        const Container* c = world_.ContainerById(*id);
        std::string state = c->state == ContainerState::kRunning   ? "running"
                            : c->state == ContainerState::kCreated ? "created"
                                                                   : "exited";
        std::string seen =
            state == "exited" ? "exited(" + std::to_string(c->exit_code) + ")" : state;
        if (c->health == Health::kHealthy) seen += ", healthy";
        if (c->health == Health::kUnhealthy) seen += ", unhealthy";
        if (c->health == Health::kStarting) seen += ", health: starting";
        bool holds = false;
        if (e.state == "healthy")
          holds = c->health == Health::kHealthy;
        else if (e.state == "unhealthy")
          holds = c->health == Health::kUnhealthy;
        else if (e.state == "removed")
          holds = false;
        else
          holds = e.state == state && (!e.state_code || *e.state_code == c->exit_code);
        return {holds, "it is " + seen};
      }
    }
    return {false, "unknown expectation"};
  }

  int Expect(const LessonStep& step) {
    auto [holds, seen] = Holds(step.expect);
    std::string text = Source(step);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.erase(0, 1);
    if (holds) {
      ++passed_;
      out_ << "  ok: " << text << "\n";
      return 0;
    }
    ++failed_;
    out_ << "  FAILED: " << text << " (" << seen.substr(0, seen.find('\n')) << ")\n";
    if (!options_.check) return 0;
    Diagnostic d{"lesson-expectation", "expectation failed: " + seen, step.range, Severity::kError};
    err_ << Render(file_, d);
    return 1;
  }

  const SourceFile& file_;
  LessonOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  ContextDir context_;
  World world_;
  CliSession* session_ = nullptr;
  Last last_;
  size_t passed_ = 0, failed_ = 0;
};

}  // namespace

int RunLesson(const SourceFile& file, const Lesson& lesson, const LessonOptions& options,
              std::ostream& out, std::ostream& err) {
  return Runner(file, options, out, err).Run(lesson);
}

}  // namespace dockit::sim

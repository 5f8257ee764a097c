// Lessons (examples/lessons/*.lesson): a text format of steps (docker commands, edits to the
// files of the build context, virtual time passing) and expectations (exit code, output,
// cached steps, image sizes, container states). examples/lessons/README.md documents it; this
// file reads it into a list of positioned steps. Running them is the lesson runner's job
// (cli/dexec), grading them too.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit::sim {

struct Expectation {
  enum class Kind {
    kExit,            // expect exit N
    kOutputContains,  // expect output contains TEXT
    kOutputLacks,     // expect output lacks TEXT
    kStepCached,      // expect step N cached
    kStepRebuilt,     // expect step N rebuilt
    kImageSize,       // expect image REF size MIN..MAX
    kContainer,       // expect container NAME STATE
  };
  Kind kind = Kind::kExit;
  int exit_code = 0;
  std::string text;               // output text; image reference; container name
  size_t step = 0;                // 1-based, as the build printed it
  uint64_t min = 0, max = 0;      // image size bounds, bytes
  std::string state;              // running, exited, removed, healthy, unhealthy, created
  std::optional<int> state_code;  // exited(CODE)
};

struct LessonStep {
  enum class Kind {
    kSay,      // say TEXT: narration
    kFile,     // file PATH <<END ... END: write a file of the build context
    kAppend,   // append PATH <<END ... END
    kDelete,   // delete PATH
    kChmod,    // chmod MODE PATH
    kTouch,    // touch PATH: a new mtime, the same content
    kWait,     // wait 30s | 5m | 2h: virtual time passes
    kCommand,  // $ docker ... | $ curl URL
    kExpect,   // expect ...
    kSizes,    // sizes <<END ... END: declared sizes (planner/declared_sizes format)
    kProgram,  // program COMMAND <<END ... END: a declared program behaviour
  };
  Kind kind = Kind::kSay;
  SourceRange range;  // the directive's line (and its heredoc)
  std::string text;   // say: the text; file/append/delete/chmod/touch: the path; program: the
                      // command it declares
  std::string body;   // heredoc body
  std::vector<std::string> argv;  // kCommand: the words
  int64_t seconds = 0;            // kWait
  uint32_t mode = 0;              // kChmod
  Expectation expect;             // kExpect
};

struct Lesson {
  std::string title;  // `title ...`, else the file name
  std::vector<LessonStep> steps;
};

// The lesson, or the first error at its file:line:col.
Result<Lesson> ParseLesson(const SourceFile& file);

// Shell-like words: blanks separate, single quotes keep everything, double quotes keep all but
// `\"` and `\\`, a backslash outside quotes escapes the next character. nullopt for an
// unterminated quote.
std::optional<std::vector<std::string>> SplitWords(std::string_view line);

// "30s", "5m", "2h", "1h30m", a bare number of seconds; nullopt otherwise.
std::optional<int64_t> ParseDuration(std::string_view text);

}  // namespace dockit::sim

// Runs a lesson (sim/lesson.hpp) on a fresh simulated world with a build context of its own:
// prints the transcript (narration, commands and their output, each expectation with ✓ or ✗)
// and, when grading, stops at the first expectation that does not hold. The same lesson always
// prints the same bytes.
#pragma once

#include <ostream>

#include "parser/source.hpp"
#include "sim/lesson.hpp"

namespace dockit::sim {

struct LessonOptions {
  bool check = false;  // grade: stop at the first failed expectation, exit code 1
};

// 0 when every expectation held (or was only shown), 1 at a failed expectation under `check`,
// 2 when the lesson cannot run (its context directory cannot be made, a command that is
// neither docker nor curl). Failures are printed to `err` as `file:line:col: error: ...`.
int RunLesson(const SourceFile& file, const Lesson& lesson, const LessonOptions& options,
              std::ostream& out, std::ostream& err);

}  // namespace dockit::sim

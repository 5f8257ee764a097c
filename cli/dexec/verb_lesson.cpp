// `dexec --sim lesson [--check] FILE...`: runs lessons (examples/lessons/README.md), each on a
// fresh world of its own; with --check, grades them and stops at the first failed expectation.
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "sim/lesson.hpp"
#include "sim/lesson_runner.hpp"

namespace dockit::dexec {

int RunLessonVerb(const Args& args, const Globals& /*globals*/) {
  sim::LessonOptions options;
  std::vector<std::string> files;
  bool list = false;
  for (std::string_view a : args) {
    if (a == "--check") {
      options.check = true;
    } else if (a == "--list") {
      list = true;
    } else if (!a.starts_with('-')) {
      files.emplace_back(a);
    } else {
      std::cerr << "usage: dexec --sim lesson [--check] [--list] FILE...\n";
      return 2;
    }
  }
  if (files.empty()) {
    std::cerr << "usage: dexec --sim lesson [--check] [--list] FILE...\n";
    return 2;
  }
  int status = 0;
  for (const std::string& path : files) {
    std::string error;
    auto file = ReadSourceFile(path, &error);
    if (!file) {
      std::cerr << "dexec: " << error << "\n";
      return 2;
    }
    Result<sim::Lesson> lesson = sim::ParseLesson(*file);
    if (!lesson) {
      std::cerr << Render(*file, lesson.Error());
      return 2;
    }
    if (list) {
      std::cout << path << ": " << lesson->title << "\n";
      continue;
    }
    int code = sim::RunLesson(*file, *lesson, options, std::cout, std::cerr);
    if (code) status = code;
    if (code && options.check) return code;
  }
  return status;
}

}  // namespace dockit::dexec

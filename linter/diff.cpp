#include "linter/diff.hpp"

#include <algorithm>
#include <vector>

namespace dockit::lint {
namespace {

// Lines keep their terminator, so "a" and "a\n" differ and a missing final newline shows.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    size_t length = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

enum class Op { kKeep, kDelete, kInsert };
struct Edit {
  Op op;
  size_t a;  // line index in before (kKeep, kDelete)
  size_t b;  // line index in after (kKeep, kInsert)
};

// Myers' O((N+M)D) shortest edit script, with the V array of every step kept for backtracking.
std::vector<Edit> ShortestEdit(const std::vector<std::string_view>& a,
                               const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size());
  const long m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(2 * max + 2, 0);
  std::vector<std::vector<long>> trace;
  auto at = [&](std::vector<long>& vec, long k) -> long& { return vec[k + max + 1]; };
  long found_d = -1;
  for (long d = 0; d <= max && found_d < 0; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x =
          (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1) : at(v, k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      at(v, k) = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Edit> edits;
  long x = n;
  long y = m;
  for (long d = found_d; d >= 0; --d) {
    std::vector<long>& prev = trace[d];
    long k = x - y;
    long prev_k = (k == -d || (k != d && at(prev, k - 1) < at(prev, k + 1))) ? k + 1 : k - 1;
    long prev_x = d == 0 ? 0 : at(prev, prev_k);
    long prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x, --y;
      edits.push_back({Op::kKeep, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (d == 0) break;
    if (x == prev_x) {
      edits.push_back({Op::kInsert, static_cast<size_t>(x), static_cast<size_t>(prev_y)});
    } else {
      edits.push_back({Op::kDelete, static_cast<size_t>(prev_x), static_cast<size_t>(y)});
    }
    x = prev_x;
    y = prev_y;
  }
  std::reverse(edits.begin(), edits.end());
  return edits;
}

void AppendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

// "start,count" with GNU diff's conventions: a hunk with no lines on one side names the line
// before it, and a count of 1 is left out.
std::string HunkRange(size_t start, size_t count) {
  std::string out = std::to_string(count == 0 ? start : start + 1);
  if (count != 1) out += "," + std::to_string(count);
  return out;
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        int context) {
  if (before == after) return {};
  std::vector<std::string_view> a = SplitLines(before);
  std::vector<std::string_view> b = SplitLines(after);
  std::vector<Edit> edits = ShortestEdit(a, b);
  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == Op::kKeep) {
      ++i;
      continue;
    }
    // A hunk: from `ctx` kept lines before this change to `ctx` kept lines after the last change
    // that is at most 2*ctx kept lines from the previous one.
    size_t first = i >= ctx ? i - ctx : 0;
    while (first < i && edits[first].op != Op::kKeep) ++first;
    size_t last = i;  // one past the last change of the hunk
    size_t j = i;
    while (j < edits.size()) {
      if (edits[j].op != Op::kKeep) {
        last = j + 1;
        ++j;
        continue;
      }
      size_t run = j;
      while (run < edits.size() && edits[run].op == Op::kKeep) ++run;
      if (run == edits.size() || run - j > 2 * ctx) break;
      j = run;
    }
    size_t end = std::min(edits.size(), last + ctx);
    size_t a_start = edits[first].a;
    size_t b_start = edits[first].b;
    size_t a_count = 0;
    size_t b_count = 0;
    for (size_t k = first; k < end; ++k) {
      if (edits[k].op != Op::kInsert) ++a_count;
      if (edits[k].op != Op::kDelete) ++b_count;
    }
    out += "@@ -" + HunkRange(a_start, a_count) + " +" + HunkRange(b_start, b_count) + " @@\n";
    for (size_t k = first; k < end; ++k) {
      const Edit& e = edits[k];
      if (e.op == Op::kKeep) AppendLine(out, ' ', a[e.a]);
      if (e.op == Op::kDelete) AppendLine(out, '-', a[e.a]);
      if (e.op == Op::kInsert) AppendLine(out, '+', b[e.b]);
    }
    i = end;
  }
  return out;
}

}  // namespace dockit::lint

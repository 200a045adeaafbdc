// ddbmap import: JSON Lines to the table, 100 lines per update(), with exact counts and the
// line to resume from whatever stops it.
#include <iostream>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// Items per update(): 4 BatchWriteItem requests, one round at the library's 4 in flight, so a
// signal is seen between rounds of requests. Measured: 100,000 items in 33 s, as with 1,000
// (the server is the bound).
constexpr std::size_t kBlock = 100;

class Importer {
 public:
  Importer(const Globals& g, const Args& a)
      : a_(a),
        m_(open_table(g, a.table)),
        in_(a.file),
        progress_(stderr_is_terminal(), "import",
                  in_.size() ? std::optional<std::uint64_t>(in_.size()) : std::nullopt) {}

  int run() {
    try {
      (void)m_.key_names();  // read the schema once, before the first line
      read_all();
      flush();
      progress_.finish();
      if (interrupted()) {
        std::cerr << "ddbmap: interrupted after line " << consumed_ << ": " << written_
                  << " items written (every line up to " << consumed_ << ")";
        return stopped(Interrupted());
      }
      std::cerr << "ddbmap: imported " << written_ << " items";
      if (skipped_) std::cerr << ", skipped " << skipped_ << " bad lines";
      std::cerr << '\n';
      return kOk;
    } catch (const std::exception& e) {
      progress_.finish();
      return failed(e);
    }
  }

 private:
  std::string where() const { return in_.name() + ":" + std::to_string(in_.line_no()); }

  void read_all() {
    try {
      read_lines();
    } catch (const Interrupted&) {
      // While waiting for input: the lines read so far are still written, as below.
    } catch (const IoError& e) {
      // The lines before the one that failed to read are good: write them, then stop.
      try {
        flush();
      } catch (...) {
        std::cerr << "ddbmap: " << e.what() << '\n';
        throw;
      }
      throw;
    }
  }

  void read_lines() {
    std::string line;
    while (!interrupted()) {
      const auto status = in_.next(line);
      if (status == LineReader::Status::End) return;
      if (in_.line_no() < a_.start_line) {
        consumed_ = in_.line_no();
        continue;
      }
      if (status == LineReader::Status::TooLong) {
        bad("line over " + std::to_string(kMaxLineBytes >> 20) +
            " MiB: longer than any item's JSON");
      } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
        try {
          add(line);
        } catch (const ddb::Error& e) {
          bad(safe_text(e.message()));
        } catch (const InputError& e) {
          bad(e.what());
        }
      }
      consumed_ = in_.line_no();
      if (block_.size() >= kBlock) flush();
    }
  }

  void add(const std::string& line) {
    ddb::Item item = parse_item(line, a_.wire, where());
    ddb::Key key = m_.key_of(item);
    (void)m_.key_attributes(key);  // the key's type, as update() will check it
    ddb::validate_item(item);
    if (block_.empty()) block_first_ = in_.line_no();
    block_.emplace_back(std::move(key), std::move(item));
  }

  // A bad line: skipped with --skip-bad, else the lines before it are written and we stop.
  void bad(const std::string& why) {
    const std::string text = why.starts_with(in_.name() + ":") ? why : where() + ": " + why;
    if (a_.skip_bad) {
      ++skipped_;
      // On a terminal the message replaces the progress line, which is redrawn below it.
      const bool tty = stderr_is_terminal();
      std::cerr << (tty ? "\r" : "") << "ddbmap: line " << in_.line_no() << " skipped: " << text
                << (tty ? "\x1b[K" : "") << '\n';
      return;
    }
    const std::uint64_t line = in_.line_no();
    consumed_ = line - 1;
    flush();
    throw InputError(text + "\nddbmap: stopped at line " + std::to_string(line) + ": " +
                     std::to_string(written_) +
                     " items from the lines before it were written, nothing from this line on "
                     "(use --skip-bad to skip bad lines)");
  }

  void flush() {
    if (block_.empty()) return;
    const std::size_t n = block_.size();
    try {
      m_.update(std::exchange(block_, {}));
    } catch (const ddb::BatchError& e) {
      block_failed_ = true;
      written_ += e.succeeded();
      failed_ += e.failed().size();
      unknown_ += e.unknown().size();
      throw;
    }
    block_.clear();
    written_ += n;
    progress_.update(written_, in_.bytes());
  }

  // The line from which a new run would write everything not known to be written.
  std::uint64_t resume_line() const {
    return block_.empty() && !block_failed_ ? consumed_ + 1 : block_first_;
  }

  int stopped(const std::exception& e) {
    std::cerr << "; to resume: ddbmap import " << safe_text(a_.table, 256) << ' '
              << safe_text(a_.file, 512) << " --start-line " << resume_line() << '\n';
    return exit_code_for(e);
  }

  int failed(const std::exception& e) {
    if (const auto text = error_text(e); !text.empty()) std::cerr << "ddbmap: " << text << '\n';
    if (dynamic_cast<const InputError*>(&e) && !block_failed_) {
      std::cerr << "ddbmap: after fixing it";
      return stopped(e);
    }
    std::cerr << "ddbmap: import stopped at line " << in_.line_no() << " of " << in_.name() << ": "
              << written_ << " items written";
    if (block_failed_) {
      std::cerr << "; of lines " << block_first_ << " to " << consumed_ << ", " << failed_
                << " items were certainly not written and " << unknown_
                << " may or may not have been (their answers were lost)";
    }
    if (skipped_) std::cerr << "; " << skipped_ << " bad lines skipped";
    std::cerr << "\nddbmap: writing a line again is harmless (each is a whole put)";
    return stopped(e);
  }

  const Args& a_;
  ddb::DynamoDBMapping m_;
  LineReader in_;
  Progress progress_;
  std::vector<std::pair<ddb::Key, ddb::Item>> block_;
  std::uint64_t block_first_ = 0, consumed_ = 0;
  bool block_failed_ = false;  // the last update() threw: block_first_ is where to resume
  std::uint64_t written_ = 0, failed_ = 0, unknown_ = 0, skipped_ = 0;
};

}  // namespace

int cmd_import(const Globals& g, const Args& a) {
  return Importer(g, a).run();
}

}  // namespace ddbmap

// ddbmap import: JSON Lines to the table, 100 lines per update(), with exact counts and the
// line to resume from whatever stops it. With --resume STATE, the acknowledged line (the end of
// the longest prefix of lines all written, or skipped) is saved in STATE after every batch, and
// a run with an existing STATE starts after it.
#include <filesystem>
#include <iostream>
#include <unordered_set>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "progress.hpp"
#include "resume.hpp"
#include "signals.hpp"
#include "text.hpp"
#include "value/identity.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// Items per update(): 4 BatchWriteItem requests, one round at the library's 4 in flight, so a
// signal is seen between rounds of requests. Measured: 100,000 items in 33 s, as with 1,000
// (the server is the bound).
constexpr std::size_t kImportBlock = 100;
const std::string kKind = "import";

// The input as a state file records it: an absolute path, or "-".
std::string input_identity(const std::string& file) {
  if (file == "-") return file;
  std::error_code ec;
  const auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(file), ec);
  return ec ? file : p.string();
}

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
      load_resume_state();
      (void)m_.key_names();  // read the schema once, before the first line
      read_all();
      flush();
      progress_.finish();
      if (interrupted()) {
        std::cerr << "ddbmap: interrupted after line " << consumed_ << ": " << written_
                  << " items written (every line up to " << consumed_ << ")";
        return stopped(Interrupted());
      }
      if (!a_.resume.empty()) remove_state(a_.resume);
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

  // With --resume and an existing state: check that it is this import's, start after its line.
  void load_resume_state() {
    if (a_.resume.empty()) return;
    const auto state = load_state(a_.resume, kKind);
    if (!state) return;
    check_state(*state, "table", a_.table, a_.resume);
    check_state(*state, "file", input_identity(a_.file), a_.resume);
    check_state(*state, "format", a_.wire ? "wire" : "plain", a_.resume);
    if (a_.start_line != 1) {
      throw InputError("--start-line and an existing --resume state: give one or the other");
    }
    acked_ = state_number(*state, "line", a_.resume);
    start_line_ = acked_ + 1;
    consumed_ = acked_;
    std::cerr << "ddbmap: resuming after line " << acked_ << '\n';
  }

  // Saves the acknowledged line (every line up to it is written or skipped).
  void save_acked() {
    if (a_.resume.empty()) return;
    save_state(a_.resume, kKind,
               {{"table", a_.table},
                {"file", input_identity(a_.file)},
                {"format", a_.wire ? "wire" : "plain"},
                {"line", ddb::Number(std::to_string(acked_))}});
  }

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
      if (in_.line_no() < start_line_) {
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
      if (block_.size() >= kImportBlock) flush();
    }
  }

  void add(const std::string& line) {
    ddb::Item item = parse_item(line, a_.wire, where());
    ddb::Key key = m_.key_of(item);
    (void)m_.key_attributes(key);  // the key's type, as update() will check it
    ddb::validate_item(item);
    if (block_.empty()) block_first_ = in_.line_no();
    block_lines_.push_back(in_.line_no());
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
    if (block_.empty()) {
      if (consumed_ > acked_) {
        acked_ = consumed_;
        save_acked();
      }
      return;
    }
    const std::size_t n = block_.size();
    std::vector<std::string> identities;  // of the block's keys, in line order
    if (!a_.resume.empty()) {
      for (const auto& [key, item] : block_) {
        identities.push_back(ddb::detail::identity(m_.key_attributes(key)));
      }
    }
    try {
      m_.update(std::exchange(block_, {}));
    } catch (const ddb::BatchError& e) {
      block_failed_ = true;
      written_ += e.succeeded();
      failed_ += e.failed().size();
      unknown_ += e.unknown().size();
      ack_prefix(e, identities);
      throw;
    }
    block_.clear();
    block_lines_.clear();
    written_ += n;
    acked_ = consumed_;
    save_acked();
    progress_.update(written_, in_.bytes());
  }

  // After a failed batch: the acknowledged line moves to just before the first line of the
  // block whose key is not known to be written (failed or unknown), if that is further on.
  void ack_prefix(const ddb::BatchError& e, const std::vector<std::string>& identities) {
    if (a_.resume.empty()) return;
    std::unordered_set<std::string> not_written;
    for (const ddb::Key& k : e.keys())
      not_written.insert(ddb::detail::identity(m_.key_attributes(k)));
    std::uint64_t acked = consumed_;
    for (std::size_t i = 0; i < identities.size(); ++i) {
      if (not_written.contains(identities[i])) {
        acked = block_lines_[i] - 1;
        break;
      }
    }
    if (acked > acked_) {
      acked_ = acked;
      try {
        save_acked();
      } catch (const std::exception& saving) {
        std::cerr << "ddbmap: " << error_text(saving) << '\n';
      }
    }
  }

  // The line from which a new run would write everything not known to be written.
  std::uint64_t resume_line() const {
    return block_.empty() && !block_failed_ ? consumed_ + 1 : block_first_;
  }

  int stopped(const std::exception& e) {
    std::cerr << "; to resume: ddbmap import " << safe_text(a_.table, 256) << ' '
              << safe_text(a_.file, 512);
    if (a_.resume.empty()) {
      std::cerr << " --start-line " << resume_line() << '\n';
    } else {
      std::cerr << " --resume " << safe_text(a_.resume, 512) << " (after line " << acked_ << ")\n";
    }
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
  std::vector<std::uint64_t> block_lines_;  // the line of each entry of block_
  std::uint64_t block_first_ = 0, consumed_ = 0;
  std::uint64_t start_line_ = a_.start_line;
  std::uint64_t acked_ = 0;    // every line up to this one is written or skipped
  bool block_failed_ = false;  // the last update() threw: block_first_ is where to resume
  std::uint64_t written_ = 0, failed_ = 0, unknown_ = 0, skipped_ = 0;
};

}  // namespace

int cmd_import(const Globals& g, const Args& a) {
  return Importer(g, a).run();
}

}  // namespace ddbmap

// Input and output for ddbmap with every error checked: lines read with read(2) and poll (so a
// signal is noticed on an idle pipe), output written with write(2), files replaced atomically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ddbmap {

/// A line longer than this cannot be an item: DynamoDB's largest is 400 KB, and even written
/// with every character escaped (\u0001 is six bytes for one) its JSON stays well below.
constexpr std::size_t kMaxLineBytes = std::size_t{8} << 20;

/// Reads lines from a file or standard input ("-").
class LineReader {
 public:
  enum class Status { Line, End, TooLong };

  /// Opens `path` without blocking (a FIFO nobody writes to opens at once). Throws IoError.
  explicit LineReader(const std::string& path, std::size_t max_line = kMaxLineBytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line, without its '\n' (and without a UTF-8 BOM on line 1). TooLong: the line
  /// is over the cap; it has been skipped without being kept. Throws IoError on a read error
  /// and Interrupted when a signal arrives while waiting for input (checked every 200 ms).
  Status next(std::string& line);
  /// The number of the line last returned by next(), or being read when it threw.
  std::uint64_t line_no() const { return line_no_; }
  /// Bytes consumed so far.
  std::uint64_t bytes() const { return bytes_; }
  /// The file's size if it is a regular file, else 0.
  std::uint64_t size() const { return size_; }
  /// The name to print: the path, or "standard input".
  const std::string& name() const { return name_; }

 private:
  bool fill();  // false at end of input

  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
  std::size_t max_line_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t line_no_ = 0, bytes_ = 0, size_ = 0;
};

/// Lines to standard output ("-") or to a file. A regular file (or a new one) is written to a
/// temporary file beside it and renamed over it by commit(), after fsync: until then, and if
/// anything fails, the old file is untouched; the destructor removes an uncommitted temporary
/// file. Other targets (a device, a FIFO) are written in place. Write errors throw IoError at
/// once (BrokenPipe for EPIPE).
class Output {
 public:
  explicit Output(const std::string& path);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void line(std::string_view text);
  /// Writes what is buffered, syncs and closes; for a replaced file, renames it into place.
  void commit();

 private:
  void flush();

  int fd_ = -1;
  bool owned_ = false;
  std::string name_, target_, temp_;
  std::string buf_;
};

}  // namespace ddbmap

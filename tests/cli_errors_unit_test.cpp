// ddbmap's exit-code mapping, terminal-safe text and line reader, without a server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "text.hpp"

namespace ddb = dynamodb_mapping;
using namespace ddbmap;

TEST(ExitCodes, OneCodePerKindOfError) {
  EXPECT_EQ(exit_code_for(ddb::KeyError("GetItem", "t", ddb::Key("k"))), kNotFound);
  EXPECT_EQ(exit_code_for(ddb::ValidationError("bad")), kUsage);
  EXPECT_EQ(exit_code_for(ddb::ConfigError("no region")), kUsage);
  EXPECT_EQ(exit_code_for(InputError("f:1: bad")), kUsage);
  EXPECT_EQ(exit_code_for(ddb::ConditionalCheckFailedError("no", 400, "", nullptr)),
            kConditionFailed);
  EXPECT_EQ(exit_code_for(ddb::BatchError("writes to t", 1, {ddb::Key("a")}, {}, "x")), kPartial);
  EXPECT_EQ(exit_code_for(ddb::BatchError("writes to t", 1, {ddb::Key("a")}, {ddb::Key("b")}, "x")),
            kUnknownOutcome);
  EXPECT_EQ(exit_code_for(ddb::NetworkError("Timeout", "slow")), kNetwork);
  EXPECT_EQ(exit_code_for(ddb::ProtocolError("ResponseTooLarge", "big")), kServer);
  EXPECT_EQ(exit_code_for(ddb::DecodeError("a malformed answer")), kServer);
  EXPECT_EQ(exit_code_for(ddb::AmbiguousOutcomeError("lost", nullptr)), kUnknownOutcome);
  EXPECT_EQ(exit_code_for(IoError("cannot write", "f", ENOSPC)), kLocalIo);
  EXPECT_EQ(exit_code_for(Interrupted()), kInterrupted);
  EXPECT_EQ(exit_code_for(BrokenPipe()), kBrokenPipe);
  EXPECT_EQ(error_text(BrokenPipe()), "");
  EXPECT_EQ(error_text(ddb::AmbiguousOutcomeError("lost", nullptr)).rfind("outcome unknown", 0),
            0u);
}

TEST(SafeText, EscapesControlsAndInvalidUtf8AndCaps) {
  EXPECT_EQ(safe_text("plain \xC3\xA9t\xC3\xA9"), "plain \xC3\xA9t\xC3\xA9");
  EXPECT_EQ(safe_text("a\x1b[2Jb\x7f"), "a\\x1B[2Jb\\x7F");
  EXPECT_EQ(safe_text("\xC2\x9B"
                      "31m"),
            "\\u009B31m");  // C1 CSI
  EXPECT_EQ(safe_text("\xFF\xC3"), "\\xFF\\xC3");
  EXPECT_EQ(safe_text(safe_text("a\x01")), "a\\x01");  // escaping twice changes nothing
  EXPECT_EQ(safe_text(std::string(100, 'x'), 10), std::string(10, 'x') + "... (90 more bytes)");
}

namespace {
std::filesystem::path temp_file(const std::string& content) {
  const auto p = std::filesystem::path(::testing::TempDir()) /
                 ("reader_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(p, std::ios::binary) << content;
  return p;
}
}  // namespace

TEST(LineReader, LinesBomLastLineAndTooLong) {
  const auto p = temp_file("\xEF\xBB\xBF{}\n" + std::string(100, 'x') + "\nshort\nlast");
  LineReader in(p.string(), 50);
  std::string line;
  EXPECT_EQ(in.next(line), LineReader::Status::Line);
  EXPECT_EQ(line, "{}");
  EXPECT_EQ(in.next(line), LineReader::Status::TooLong);
  EXPECT_EQ(in.line_no(), 2u);
  EXPECT_EQ(in.next(line), LineReader::Status::Line);
  EXPECT_EQ(line, "short");
  EXPECT_EQ(in.next(line), LineReader::Status::Line);
  EXPECT_EQ(line, "last");
  EXPECT_EQ(in.next(line), LineReader::Status::End);
  EXPECT_EQ(in.line_no(), 4u);
  std::filesystem::remove(p);
}

TEST(LineReader, ADirectoryIsAReadError) {
  LineReader in(::testing::TempDir(), 50);
  std::string line;
  try {
    in.next(line);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("at line 1: Is a directory"), std::string::npos)
        << e.what();
  }
}

TEST(ErrorText, TheSourcesTriedStayOneALineAndNothingElseBreaksALine) {
  const ddb::CredentialsError none(
      "no AWS credentials found; sources tried:\n  - environment: not set\n  - shared config "
      "files: no profile \"x\"");
  EXPECT_EQ(ddbmap::error_text(none),
            "CredentialsError: no AWS credentials found; sources tried:\n  - environment: not "
            "set\n  - shared "
            "config files: no profile \"x\"");
  // A line break that is not a list item, and an escape sequence, are shown escaped.
  const ddb::CredentialsError forged("refused: \nddbmap: all good\x1b[2J\n  - listed");
  EXPECT_EQ(ddbmap::error_text(forged),
            "CredentialsError: refused: \\x0Addbmap: all good\\x1B[2J\n  - listed");
}

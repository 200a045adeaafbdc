#include "dynamodb_mapping/number.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace ddb = dynamodb_mapping;

TEST(Number, KeepsExactTextOf38SignificantDigits) {
  const std::string digits38 = "12345678901234567890123456789012345678";
  EXPECT_EQ(ddb::Number(digits38).text(), digits38);
  EXPECT_EQ(ddb::Number("-0.1234567890123456789012345678901234567").text(),
            "-0.1234567890123456789012345678901234567");
}

TEST(Number, AcceptsTheRangeLimits) {
  EXPECT_EQ(ddb::Number("1E-130").text(), "1E-130");
  EXPECT_EQ(ddb::Number("9.9999999999999999999999999999999999999E+125").text(),
            "9.9999999999999999999999999999999999999E+125");
  EXPECT_EQ(ddb::Number("-9.9999999999999999999999999999999999999E+125").canonical(),
            "-99999999999999999999999999999999999999E125");
  // Trailing and leading zeros are not significant digits (DynamoDB trims them).
  EXPECT_NO_THROW(ddb::Number("1" + std::string(100, '0')));
  EXPECT_NO_THROW(ddb::Number("0.000" + std::string(38, '7') + "000"));
  // Zero has no magnitude limit.
  EXPECT_EQ(ddb::Number("0E-999"), ddb::Number(0));
}

TEST(Number, RejectsWhatDynamoDBCannotStore) {
  const char* bad[] = {
      "123456789012345678901234567890123456789",  // 39 significant digits
      "1.23456789012345678901234567890123456789",
      "1e200",
      "1E126",
      "-1E126",
      "1E-131",
      "0.9E-130",
      "NaN",
      "nan",
      "inf",
      "Infinity",
      "-inf",
      "",
      "+",
      "-",
      ".",
      "1e",
      "1e+",
      "1.2.3",
      "0x10",
      " 1",
      "1 ",
      "1_000",
      "--1",
      "1e1e1",
  };
  for (const char* text : bad) {
    EXPECT_THROW(ddb::Number{text}, ddb::ValidationError) << '"' << text << '"';
  }
  EXPECT_THROW(ddb::Number(std::numeric_limits<double>::quiet_NaN()), ddb::ValidationError);
  EXPECT_THROW(ddb::Number(std::numeric_limits<double>::infinity()), ddb::ValidationError);
  EXPECT_THROW(ddb::Number(-std::numeric_limits<double>::infinity()), ddb::ValidationError);
  EXPECT_THROW(ddb::Number(1e200), ddb::ValidationError);
  EXPECT_THROW(ddb::Number(1e-200), ddb::ValidationError);
}

TEST(Number, ErrorMessagesNameTheProblem) {
  try {
    ddb::Number("123456789012345678901234567890123456789");
    FAIL() << "no exception";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("39 significant digits"), std::string::npos) << e.what();
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

TEST(Number, WritesJsonSyntax) {
  EXPECT_EQ(ddb::Number("+5").text(), "5");
  EXPECT_EQ(ddb::Number(".5").text(), "0.5");
  EXPECT_EQ(ddb::Number("5.").text(), "5");
  EXPECT_EQ(ddb::Number("007.50").text(), "7.50");
  EXPECT_EQ(ddb::Number("-00").text(), "-0");
}

TEST(Number, EqualityIsNumeric) {
  EXPECT_EQ(ddb::Number("1.50"), ddb::Number("1.5"));
  EXPECT_EQ(ddb::Number("150E-2"), ddb::Number("1.5"));
  EXPECT_EQ(ddb::Number("-0"), ddb::Number("0"));
  EXPECT_NE(ddb::Number("1.5"), ddb::Number("-1.5"));
  EXPECT_NE(ddb::Number("1"), ddb::Number("10"));
  EXPECT_NE(ddb::Number("1E-130"), ddb::Number("1E-129"));
}

TEST(Number, FromIntegersExactly) {
  EXPECT_EQ(ddb::Number(std::numeric_limits<std::int64_t>::min()).text(), "-9223372036854775808");
  EXPECT_EQ(ddb::Number(std::numeric_limits<std::uint64_t>::max()).text(), "18446744073709551615");
  EXPECT_EQ(ddb::Number(0).text(), "0");
  EXPECT_EQ(ddb::Number(static_cast<short>(-7)).text(), "-7");
}

TEST(Number, FromDoubleUsesShortestRoundTripText) {
  EXPECT_EQ(ddb::Number(0.1).text(), "0.1");
  EXPECT_EQ(ddb::Number(1e100), ddb::Number("1E100"));
  EXPECT_EQ(ddb::Number(-2.5).text(), "-2.5");
  EXPECT_EQ(ddb::Number(0.1).to_double(), 0.1);
}

TEST(Number, CheckedIntegerConversions) {
  EXPECT_EQ(ddb::Number("9223372036854775807").as<std::int64_t>(), INT64_MAX);
  EXPECT_EQ(ddb::Number("-9223372036854775808").as<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(ddb::Number("18446744073709551615").as<std::uint64_t>(), UINT64_MAX);
  EXPECT_EQ(ddb::Number("1.5E1").as<int>(), 15);
  EXPECT_EQ(ddb::Number("1200E-2").as<int>(), 12);
  EXPECT_EQ(ddb::Number("-0").as<unsigned>(), 0u);
  EXPECT_EQ(ddb::Number("255").as<std::uint8_t>(), 255);

  EXPECT_THROW(ddb::Number("9223372036854775808").as<std::int64_t>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("-9223372036854775809").as<std::int64_t>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("18446744073709551616").as<std::uint64_t>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("1.5").as<int>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("1E-5").as<long>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("-1").as<unsigned>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("256").as<std::uint8_t>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("1E30").as<std::int64_t>(), ddb::TypeError);
  EXPECT_THROW(ddb::Number("32768").as<short>(), ddb::TypeError);
}

TEST(Number, ToDoubleIsTheNearestDouble) {
  EXPECT_EQ(ddb::Number("1.5").as<double>(), 1.5);
  EXPECT_EQ(ddb::Number("1E-130").to_double(), 1e-130);
  EXPECT_EQ(ddb::Number("9.9999999999999999999999999999999999999E+125").to_double(), 1e126);
  EXPECT_EQ(ddb::Number("-3").as<float>(), -3.0f);
}

// ddbmap's consumed-capacity report, without a server: one line per table and index, names from
// the server made safe for a terminal.
#include <gtest/gtest.h>

#include "capacity_report.hpp"

namespace ddb = dynamodb_mapping;

TEST(CapacityReport, OneLinePerTableAndIndex) {
  ddb::CapacityTotals totals;
  ddb::TableCapacity& t = totals.tables["orders"];
  t.units = {1.5, 2, 3.5};
  t.table = {0.5, 1, 1.5};
  t.global_secondary_indexes["by\x1b[2Jcustomer"] = {1, 0, 1};
  t.local_secondary_indexes["by_date"] = {0, 1, 1};
  t.requests = 3;
  totals.tables["other"].units = {0.5, 0, 0.5};
  totals.tables["other"].requests = 1;
  totals.unreadable_answers = 2;
  EXPECT_EQ(ddbmap::capacity_report_text(totals),
            "ddbmap: consumed capacity: table orders: 3.5 units (read 1.5, write 2) in 3 requests\n"
            "ddbmap: consumed capacity: table orders, the table itself: 1.5 units (read 0.5, "
            "write 1)\n"
            "ddbmap: consumed capacity: table orders, global index by\\x1B[2Jcustomer: 1 units "
            "(read 1, write 0)\n"
            "ddbmap: consumed capacity: table orders, local index by_date: 1 units (read 0, write "
            "1)\n"
            "ddbmap: consumed capacity: table other: 0.5 units (read 0.5, write 0) in 1 request\n"
            "ddbmap: consumed capacity: 2 answers without a readable ConsumedCapacity (not "
            "counted)\n");
  EXPECT_EQ(ddbmap::capacity_report_text({}), "ddbmap: consumed capacity: none reported\n");
}

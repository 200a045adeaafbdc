// What table_spec.cpp shares with tables.cpp: the checks and request pieces for indexes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/tables.hpp"

namespace dynamodb_mapping::detail {

/// ValidationError unless `name` has 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.';
/// `what` is "table" or "index".
void check_table_or_index_name(const std::string& name, const char* what);
/// ValidationError for a global index DynamoDB would refuse; adds its key attributes' types to
/// `defs`, refusing one whose type differs from the type already there.
void check_global_index(const IndexSpec& index, bool provisioned,
                        std::vector<AttributeDefinition>& defs);
/// HASH, then RANGE when there is a sort key.
std::vector<KeySchemaElement> key_schema_of(const KeyAttribute& partition,
                                            const std::optional<KeyAttribute>& sort);
/// The index as CreateTable and UpdateTable send it; on a provisioned table (`table` set) with
/// its own capacities, else the table's.
GlobalSecondaryIndex global_index_request(const IndexSpec& index,
                                          const std::optional<ProvisionedThroughput>& table);

}  // namespace dynamodb_mapping::detail

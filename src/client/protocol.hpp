// The DynamoDB JSON protocol: request bodies and response parsing for each typed operation.
#pragma once

#include <string>
#include <string_view>

#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

std::string encode(const GetItemRequest& r);
std::string encode(const PutItemRequest& r);
std::string encode(const UpdateItemRequest& r);
std::string encode(const DeleteItemRequest& r);
std::string encode(const QueryRequest& r);
std::string encode(const ScanRequest& r);
std::string encode(const BatchGetItemRequest& r);
std::string encode(const BatchWriteItemRequest& r);
std::string encode(const std::vector<TransactGetItem>& items);
std::string encode(const TransactWriteItemsRequest& r);  // r.client_request_token must be set
std::string encode(const CreateTableRequest& r);
std::string encode(const UpdateTableRequest& r);
std::string encode_table_name(const std::string& table_name);
std::string encode(const std::string& table_name, const TimeToLiveSpecification& spec);
std::string encode(const ListTablesRequest& r);

// Parsers throw DecodeError for a response that is not what the operation returns.
GetItemResult decode_get_item(std::string_view json);
WriteItemResult decode_write_item(std::string_view json);
Page decode_page(std::string_view json);
BatchGetItemResult decode_batch_get_item(std::string_view json);
BatchWriteItemResult decode_batch_write_item(std::string_view json);
TransactGetItemsResult decode_transact_get_items(std::string_view json);
/// DescribeTable ("Table"), CreateTable, UpdateTable and DeleteTable ("TableDescription").
TableDescription decode_table_description(std::string_view json);
TimeToLiveSpecification decode_time_to_live(std::string_view json);
TimeToLiveDescription decode_describe_time_to_live(std::string_view json);
ListTablesResult decode_list_tables(std::string_view json);

/// The fields of an error response: the code after '#' in "__type", "message" or "Message",
/// and for the two errors that carry them, the item and the cancellation reasons.
struct ErrorBody {
  std::string code;
  std::string message;
  std::shared_ptr<const Item> item;
  std::vector<CancellationReason> reasons;
  bool parsed = false;  // false when the body was not a JSON error document
};
ErrorBody decode_error(std::string_view json);

}  // namespace dynamodb_mapping::detail

// libFuzzer target: the parsers of DynamoDB responses, as the client runs them on whatever the
// network delivers. Each either returns or throws a dynamodb_mapping::Error.
#include <cstdint>
#include <string_view>

#include "client/capacity.hpp"
#include "client/protocol.hpp"
#include "client/protocol_statements.hpp"

namespace ddb = dynamodb_mapping;
namespace detail = dynamodb_mapping::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto guard = [&](auto parse) {
    try {
      parse(text);
    } catch (const ddb::Error&) {
    }
  };
  guard([](std::string_view t) { (void)detail::decode_page(t); });
  guard([](std::string_view t) { (void)detail::decode_get_item(t); });
  guard([](std::string_view t) { (void)detail::decode_write_item(t); });
  guard([](std::string_view t) { (void)detail::decode_batch_get_item(t); });
  guard([](std::string_view t) { (void)detail::decode_batch_write_item(t); });
  guard([](std::string_view t) { (void)detail::decode_transact_get_items(t); });
  guard([](std::string_view t) { (void)detail::decode_table_description(t); });
  guard([](std::string_view t) { (void)detail::decode_list_tables(t); });
  guard([](std::string_view t) { (void)detail::decode_time_to_live(t); });
  guard([](std::string_view t) { (void)detail::decode_describe_time_to_live(t); });
  (void)detail::decode_consumed_capacity(text, false);  // never throws: unreadable is nullopt
  guard([](std::string_view t) { (void)detail::decode_execute_statement(t); });
  guard([](std::string_view t) { (void)detail::decode_batch_execute_statement(t); });
  (void)detail::decode_error(text);  // never throws: a bad error body is reported by status
  return 0;
}

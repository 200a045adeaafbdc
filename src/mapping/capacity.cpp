// A mapping's view of its client's consumed-capacity totals
// (ClientConfig::track_consumed_capacity).
#include "mapping/state.hpp"

namespace dynamodb_mapping {

TableCapacity DynamoDBMapping::consumed_capacity() const {
  return state_->client.consumed_capacity(state_->table_name);
}

void DynamoDBMapping::reset_consumed_capacity() const {
  state_->client.reset_consumed_capacity(state_->table_name);
}

}  // namespace dynamodb_mapping

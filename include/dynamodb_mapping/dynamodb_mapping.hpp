// The whole public API of dynamodb_mapping.
#pragma once

#include "dynamodb_mapping/client.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "dynamodb_mapping/number.hpp"
#include "dynamodb_mapping/sts.hpp"
#include "dynamodb_mapping/tables.hpp"
#include "dynamodb_mapping/typed.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "dynamodb_mapping/value.hpp"

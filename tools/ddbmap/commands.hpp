// The subcommands, and what they share: options and how a table is opened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddbmap {

struct Globals {
  std::string endpoint_url, region, profile, ca_bundle;
  double connect_timeout = 0, read_timeout = 0;  // seconds; 0: the library's default
  bool consistent = false;
  bool consumed_capacity = false;  // --consumed-capacity: totals on stderr at the end
  bool debug = false;              // --debug: one line per request attempt on stderr
};

struct Args {
  std::string table, key, json, attribute, file = "-";
  bool number_key = false, wire = false, keys_only = false, exact = false, skip_bad = false;
  bool only_new = false, no_wait = false;
  long limit = -1;
  int segments = 1;
  std::uint64_t start_line = 1;
  double wait_timeout = 300;
  std::string partition_key = "pk:S", sort_key;
  // update
  std::vector<std::string> sets, adds, removes, deletes, appends, conditions;
  bool must_exist = false;
  // query
  std::string sort, index, attributes;
  std::vector<std::string> filters;
  bool reverse = false;
  std::string resume;  // export/import --resume STATE: the state file; empty: not resumable
  int page_size = 0;   // export --page-size: items per Scan request; 0: 1 MB pages
  std::vector<std::string> gsi;  // create-table --gsi NAME:PK:TYPE[:SK:TYPE]
  std::string ttl, provisioned;  // create-table --ttl ATTR, --provisioned R,W
  bool json_output = false;      // describe --json
};

/// --debug's line for one attempt, newline included: "ddbmap: debug: PutItem table=t attempt=1
/// status=200 12.3ms sent=245B received=2B id=... done". Text from the server (error code,
/// request id) and the table name are escaped; no header or body is ever in it.
std::string debug_line(const dynamodb_mapping::RequestEvent& e);
/// The ClientConfig of the global options, with `should_stop` from the signal flag and, with
/// --debug, an observer printing debug_line on stderr.
dynamodb_mapping::ClientConfig client_config(const Globals& g);
dynamodb_mapping::DynamoDBMapping open_table(const Globals& g, const std::string& table);
/// The client open_table uses, for commands that are not on one table.
dynamodb_mapping::Client open_client(const Globals& g);
/// JSON text of an item or value from the user: a DecodeError becomes an InputError naming
/// `where` (the argument, or FILE:LINE).
dynamodb_mapping::Item parse_item(const std::string& json, bool wire, const std::string& where);
/// An item as one line of output: DynamoDB JSON with `wire`, else plain JSON.
std::string item_json(const dynamodb_mapping::Item& item, bool wire);
bool stderr_is_terminal();

int cmd_get(const Globals& g, const Args& a);
int cmd_put(const Globals& g, const Args& a);
int cmd_set(const Globals& g, const Args& a);
int cmd_del(const Globals& g, const Args& a);
int cmd_len(const Globals& g, const Args& a);
/// ls (to standard output) and export (to a file, replaced only when complete).
int cmd_scan_out(const Globals& g, const Args& a, bool is_export);
int cmd_import(const Globals& g, const Args& a);
/// export --resume STATE (resume.cpp): continues from the state file when it exists.
int cmd_export_resumable(const Globals& g, const Args& a);
// tables.cpp: the table subcommands.
int cmd_tables(const Globals& g, const Args& a);
/// STS GetCallerIdentity: the account, ARN and user id the credentials belong to, and where
/// they came from.
int cmd_whoami(const Globals& g, const Args& a);
/// The credentials chain of this run (one for all clients): the standard chain for --profile,
/// asking on the terminal for the MFA code of an assume-role profile with mfa_serial.
std::shared_ptr<dynamodb_mapping::CredentialsProvider> ddbmap_credentials(const Globals& g);
/// Reads an MFA code from /dev/tty without echo; CredentialsError when there is no terminal.
std::string prompt_mfa_code(const std::string& mfa_serial);
int cmd_describe(const Globals& g, const Args& a);
int cmd_create_table(const Globals& g, const Args& a);
/// update: one UpdateItem from --set/--add/--remove/--delete/--append, printing the item after.
int cmd_update(const Globals& g, const Args& a);
/// query: one partition (Query pages), as JSON Lines.
int cmd_query(const Globals& g, const Args& a);
int cmd_delete_table(const Globals& g, const Args& a);

/// sql's arguments: `[TABLE] STATEMENT`, the `?` parameters as JSON, output options.
struct SqlArgs {
  std::vector<std::string> positionals;  // [TABLE] STATEMENT, as typed
  std::string table;                     // empty: the statement is sent through a bare client
  std::string statement;
  std::vector<std::string> params;
  bool wire = false;
  long limit = -1;
  int page_size = 0;
};
/// sql: one PartiQL statement (ExecuteStatement, pages followed for a SELECT), its items as
/// JSON Lines.
int cmd_sql(const Globals& g, const SqlArgs& a);

}  // namespace ddbmap

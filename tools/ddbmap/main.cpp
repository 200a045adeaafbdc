// ddbmap: dict-like access to a DynamoDB table from the shell. This file is the command line;
// the commands are in commands.cpp, import.cpp and tables.cpp, the exit codes in errors.cpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include "capacity_report.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "signals.hpp"

using namespace ddbmap;

int main(int argc, char** argv) {
  CLI::App app{
      "ddbmap: a DynamoDB table as a dictionary, from the shell.\n"
      "Credentials, region and endpoint come from the standard AWS chain unless given.",
      "ddbmap"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand (set before adding them)
  Globals g;
  Args a;
  app.add_option(
      "--endpoint-url", g.endpoint_url,
      "DynamoDB endpoint, e.g. http://127.0.0.1:8000 (default: AWS_ENDPOINT_URL_DYNAMODB, "
      "AWS_ENDPOINT_URL, profile, AWS)");
  app.add_option("--region", g.region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  app.add_option("--profile", g.profile, "profile in ~/.aws/config and ~/.aws/credentials");
  app.add_flag("--consistent", g.consistent, "strongly consistent reads");
  app.add_option("--connect-timeout", g.connect_timeout,
                 "seconds to establish a connection (default 3)")
      ->envname("DDBMAP_CONNECT_TIMEOUT")
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--read-timeout", g.read_timeout,
                 "seconds without a byte of an answer before the attempt fails (default 10; a "
                 "slow but moving answer is not cut off)")
      ->envname("DDBMAP_READ_TIMEOUT")
      ->check(CLI::Range(0.001, 3600.0));
  app.add_flag("--consumed-capacity", g.consumed_capacity,
               "ask DynamoDB what each request consumed and print the totals on stderr at the "
               "end, one line per table and index (ReturnConsumedCapacity=INDEXES)");
  app.add_flag("--debug", g.debug,
               "print one line per request attempt on stderr: operation, table, attempt, HTTP "
               "status, error code, latency, bytes sent and received, request id, retry "
               "decision (never a header, credential or body)");
  app.add_option("--ca-bundle", g.ca_bundle,
                 "CA certificates (PEM) to verify the endpoint with (default: AWS_CA_BUNDLE, "
                 "the profile's ca_bundle, the system's)");

  const char* key_help =
      "the item's key: the partition key value; for a table with a sort key PARTITION,SORT "
      "(write \\, for a comma and \\\\ for a backslash inside a part). Number keys are read as "
      "numbers and binary keys as base64, from the table's key schema";
  auto add_table = [&](CLI::App* c) { c->add_option("TABLE", a.table, "table name")->required(); };
  auto add_key = [&](CLI::App* c) {
    c->add_option("KEY", a.key, key_help)->required();
    c->add_flag("--number-key", a.number_key, "insist that the partition key is a number");
  };

  auto* get = app.add_subcommand("get", "print one item as JSON (exit 1 if absent)");
  add_table(get);
  add_key(get);
  get->add_flag("--wire", a.wire,
                "print DynamoDB's typed JSON ({\"S\": ...}) instead of plain JSON");

  auto* put = app.add_subcommand("put", "create or replace one item");
  add_table(put);
  add_key(put);
  put->add_option("JSON", a.json, "the item as a JSON object; key attributes are filled in")
      ->required();
  put->add_flag("--wire", a.wire, "JSON is DynamoDB's typed form");
  put->add_flag("--new", a.only_new, "only if no item has this key (else exit 3)");

  auto* set = app.add_subcommand("set", "set one attribute of an existing item (exit 1 if absent)");
  add_table(set);
  add_key(set);
  set->add_option("ATTR", a.attribute, "attribute name")->required();
  set->add_option("JSON", a.json, "the value as JSON (\"text\", 12, [1,2], {...})")->required();
  set->add_flag("--wire", a.wire, "JSON is a typed AttributeValue ({\"SS\": [...]})");

  auto* upd = app.add_subcommand(
      "update",
      "change an item in one atomic UpdateItem and print it as it is afterwards. PATH is "
      "a.b[3].c (\\. \\[ \\= \\\\ and '\\ ' inside a name); JSON as for put. Creates the "
      "item unless --must-exist");
  add_table(upd);
  add_key(upd);
  upd->add_option("--set", a.sets, "PATH=JSON: set a value (repeatable)");
  upd->add_option("--add", a.adds,
                  "PATH=JSON: add a number, or elements to a set (a JSON array); top-level only");
  upd->add_option("--remove", a.removes, "PATH: remove an attribute or a place inside one");
  upd->add_option("--delete", a.deletes, "PATH=JSON: remove elements (a JSON array) from a set");
  upd->add_option("--append", a.appends,
                  "PATH=JSON: append the elements of a JSON array to a List");
  upd->add_option("--if", a.conditions,
                  "a condition that must hold (else exit 3): 'PATH OP OPERAND', OP one of = <> < "
                  "<= > >= between in begins_with contains exists not_exists type (repeatable: all "
                  "must hold)");
  upd->add_flag("--must-exist", a.must_exist, "exit 1 (and change nothing) if there is no item");
  upd->add_flag("--wire", a.wire, "JSON is DynamoDB's typed form, and so is the output");

  auto* qry = app.add_subcommand("query", "print the items of one partition (Query) as JSON Lines");
  add_table(qry);
  qry->add_option("PARTITION", a.key, "the partition key value")->required();
  qry->add_option("--sort", a.sort,
                  "a condition on the sort key: '= X', '< X', '<= X', '> X', '>= X', 'between A "
                  "B', 'begins_with P'");
  qry->add_option("--index", a.index, "query this secondary index");
  qry->add_flag("--reverse", a.reverse, "descending sort-key order");
  qry->add_option("--limit", a.limit, "stop after this many items")->check(CLI::NonNegativeNumber);
  qry->add_option("--filter", a.filters,
                  "keep only the items for which 'PATH OP OPERAND' holds (as update --if; "
                  "repeatable: all must hold)");
  qry->add_option("--attributes", a.attributes, "print only these attributes (a,b,c) and the key");
  qry->add_flag("--wire", a.wire, "print DynamoDB's typed JSON");

  auto* del = app.add_subcommand("del", "delete one item (exit 1 if absent)");
  add_table(del);
  add_key(del);

  auto* ls = app.add_subcommand("ls", "print every item (lazy Scan) as JSON Lines");
  add_table(ls);
  ls->add_flag("--keys-only", a.keys_only, "print only the key attributes (a key-only Scan)");
  ls->add_option("--limit", a.limit, "stop after this many items (a whole number, 0 or more)")
      ->check(CLI::NonNegativeNumber);
  ls->add_option("--segments", a.segments, "parallel scan with this many segments")
      ->check(CLI::Range(1, 1000));
  ls->add_flag("--wire", a.wire, "print DynamoDB's typed JSON");
  ls->alias("scan");

  auto* len = app.add_subcommand("len", "the table's item count (DynamoDB's estimate)");
  add_table(len);
  len->add_flag("--exact", a.exact,
                "count exactly with a Select=COUNT Scan (reads the whole table)");

  auto* imp = app.add_subcommand(
      "import",
      "write every line of a JSON Lines file (one item per line) to the table.\n"
      "Stops at the first malformed line or read error, reporting its number and the exact "
      "counts, after writing the lines before it; --skip-bad skips bad lines and counts them. "
      "Ctrl-C stops after the write in flight. Whatever stops it, the line to resume from is "
      "printed (--start-line).");
  add_table(imp);
  imp->add_option("FILE", a.file, "input file, or - for standard input")->required();
  imp->add_flag("--wire", a.wire, "lines are DynamoDB's typed JSON (as `aws dynamodb` writes)");
  imp->add_flag("--skip-bad", a.skip_bad, "skip malformed lines instead of stopping");
  imp->add_option("--start-line", a.start_line, "skip the lines before this one (resume)")
      ->check(CLI::PositiveNumber);
  imp->add_option("--resume", a.resume,
                  "state file: after each batch written, the last line up to which every line "
                  "is in the table is saved there; a new run with it starts after that line. "
                  "Removed when the import completes");

  auto* exp = app.add_subcommand(
      "export",
      "write every item to a JSON Lines file (lazy Scan). A file is replaced only when the "
      "export is complete: until then, and on any failure, the old file is untouched");
  add_table(exp);
  exp->add_option("FILE", a.file, "output file, or - for standard output")->required();
  exp->add_flag("--wire", a.wire, "write DynamoDB's typed JSON instead of plain JSON");
  exp->add_option("--segments", a.segments, "parallel scan with this many segments")
      ->check(CLI::Range(1, 1000));
  exp->add_option("--page-size", a.page_size, "items per Scan request (default: 1 MB pages)")
      ->check(CLI::Range(1, 1000000));
  exp->add_option("--resume", a.resume,
                  "state file: the export writes to a partial file beside FILE and saves where "
                  "it is there every 1000 items and when stopped; a new run with it continues. "
                  "Removed when the export completes");

  auto* tables = app.add_subcommand("tables", "print every table name, one a line (ListTables)");

  auto* whoami = app.add_subcommand(
      "whoami",
      "print the account, ARN and user id of the credentials (STS GetCallerIdentity) and the "
      "source and profile they came from");

  auto* describe = app.add_subcommand(
      "describe", "print a table's key schema, indexes, billing, counts, size, status and TTL");
  add_table(describe);
  describe->add_flag("--json", a.json_output, "print one JSON object instead of a table");

  auto* create = app.add_subcommand(
      "create-table",
      "create a table (on demand unless --provisioned) and wait until it is ACTIVE");
  add_table(create);
  create->add_option("--key,--partition-key", a.partition_key, "NAME:TYPE, TYPE S, N or B")
      ->capture_default_str();
  create->add_option("--sort,--sort-key", a.sort_key, "NAME:TYPE for a sort key");
  create->add_option("--gsi", a.gsi,
                     "a global secondary index NAME:PK:TYPE or NAME:PK:TYPE:SK:TYPE "
                     "(projection ALL); repeat for more");
  create->add_option("--ttl", a.ttl, "turn time to live on for this attribute once ACTIVE");
  create->add_option("--provisioned", a.provisioned,
                     "READ,WRITE capacity units (PROVISIONED billing, indexes alike)");
  create->add_flag("--no-wait", a.no_wait, "return once the table is being created");
  create->add_option("--wait-timeout", a.wait_timeout, "seconds to wait for ACTIVE (else exit 6)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));

  SqlArgs sa;
  auto* sql = app.add_subcommand(
      "sql",
      "run one PartiQL statement (ExecuteStatement; a SELECT's pages followed) and print its "
      "items as JSON Lines. A statement other than SELECT is a write, never sent twice: a lost "
      "answer exits 7 (outcome unknown)");
  sql->add_option("ARGS", sa.positionals,
                  "[TABLE] STATEMENT: the statement names its table itself (FROM \"t\"); "
                  "TABLE, when given, names it in errors")
      ->expected(1, 2)
      ->required();
  sql->add_option("--param", sa.params, "the value of the next ? as JSON (repeatable, in order)");
  sql->add_option("--limit", sa.limit, "stop after this many items")->check(CLI::NonNegativeNumber);
  sql->add_option("--page-size", sa.page_size, "items read per request (ExecuteStatement Limit)")
      ->check(CLI::Range(1, 1000000));
  sql->add_flag("--wire", sa.wire, "--param and the output are DynamoDB's typed JSON");

  auto* drop = app.add_subcommand("delete-table", "delete a table and wait until it is gone");
  add_table(drop);
  drop->add_flag("--no-wait", a.no_wait, "return once the table is being deleted");
  drop->add_option("--wait-timeout", a.wait_timeout, "seconds to wait (else exit 6)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  install_signal_handlers();
  // Prints once the command is over, on every path out of the try below.
  const CapacityReport capacity_report(g.consumed_capacity);
  try {
    if (*get) return cmd_get(g, a);
    if (*put) return cmd_put(g, a);
    if (*set) return cmd_set(g, a);
    if (*del) return cmd_del(g, a);
    if (*upd) return cmd_update(g, a);
    if (*qry) return cmd_query(g, a);
    if (*ls) return cmd_scan_out(g, a, false);
    if (*len) return cmd_len(g, a);
    if (*imp) return cmd_import(g, a);
    if (*exp && !a.resume.empty()) return cmd_export_resumable(g, a);
    if (*exp) return cmd_scan_out(g, a, true);
    if (*tables) return cmd_tables(g, a);
    if (*whoami) return cmd_whoami(g, a);
    if (*describe) return cmd_describe(g, a);
    if (*create) return cmd_create_table(g, a);
    if (*drop) return cmd_delete_table(g, a);
    if (*sql) {
      sa.statement = sa.positionals.back();
      if (sa.positionals.size() == 2) sa.table = sa.positionals.front();
      return cmd_sql(g, sa);
    }
  } catch (const std::exception& e) {
    if (const auto text = error_text(e); !text.empty()) std::cerr << "ddbmap: " << text << '\n';
    return exit_code_for(e);
  }
  return kUsage;
}

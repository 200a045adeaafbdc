// The bench/workloads.cpp workloads with the AWS SDK for JavaScript v3 and its DocumentClient:
// PutCommand/GetCommand, BatchWriteCommand with 4 requests in flight (as our update()), and
// paginateScan. Prints one JSON object. Usage: node js_workloads.cjs ENDPOINT N
const { DynamoDBClient, CreateTableCommand, DeleteTableCommand } = require("@aws-sdk/client-dynamodb");
const {
  DynamoDBDocumentClient, PutCommand, GetCommand, BatchWriteCommand, paginateScan,
} = require("@aws-sdk/lib-dynamodb");

const [endpoint, nText] = process.argv.slice(2);
const n = Number(nText);
const raw = new DynamoDBClient({
  endpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
});
const doc = DynamoDBDocumentClient.from(raw);

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const now = () => Number(process.hrtime.bigint()) / 1e9;
const item = (i) => ({
  pk: `item-${String(i).padStart(6, "0")}`, name: `name of item ${i} ${"n".repeat(60)}`,
  price: i + 0.25, tags: new Set(["alpha", "beta", "gamma"]), description: "d".repeat(70),
});
const latency = (us, seconds, cpuS) => {
  us.sort((a, b) => a - b);
  return { p50_us: us[Math.floor(0.5 * (us.length - 1))], p99_us: us[Math.floor(0.99 * (us.length - 1))],
           ops_s: us.length / seconds, cpu_us_per_op: cpuS * 1e6 / us.length };
};
const throughput = (items, seconds, cpuS) => ({ seconds, items_s: items / seconds, cpu_us_per_item: cpuS * 1e6 / items });

async function freshTable(name) {
  try { await raw.send(new DeleteTableCommand({ TableName: name })); } catch (e) { /* absent */ }
  await raw.send(new CreateTableCommand({
    TableName: name, KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
  }));
}

async function main() {
  const items = Array.from({ length: n }, (_, i) => item(i));
  await freshTable("bench_js_seq");
  let lat = [];
  let c0 = cpu(), t0 = now();
  for (const it of items) {
    const s = now();
    await doc.send(new PutCommand({ TableName: "bench_js_seq", Item: it }));
    lat.push((now() - s) * 1e6);
  }
  const put = latency(lat, now() - t0, cpu() - c0);
  lat = [];
  c0 = cpu(); t0 = now();
  for (const it of items) {
    const s = now();
    const got = await doc.send(new GetCommand({ TableName: "bench_js_seq", Key: { pk: it.pk } }));
    lat.push((now() - s) * 1e6);
    if (Object.keys(got.Item).length !== 5) throw new Error("wrong item");
  }
  const get = latency(lat, now() - t0, cpu() - c0);

  await freshTable("bench_js_bulk");
  const chunks = [];
  for (let i = 0; i < n; i += 25) chunks.push(items.slice(i, i + 25));
  c0 = cpu(); t0 = now();
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let requests = { bench_js_bulk: chunks[next++].map((it) => ({ PutRequest: { Item: it } })) };
      for (let round = 0; requests && Object.keys(requests).length; ++round) {
        if (round) await new Promise((r) => setTimeout(r, Math.random() * Math.min(2000, 25 * 2 ** round)));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = out.UnprocessedItems;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const bulk = throughput(n, now() - t0, cpu() - c0);

  c0 = cpu(); t0 = now();
  let seen = 0;
  for await (const page of paginateScan({ client: doc }, { TableName: "bench_js_bulk" })) {
    for (const it of page.Items) if (Object.keys(it).length === 5) ++seen;
  }
  if (seen !== n) throw new Error(`scan saw ${seen}`);
  const scan = throughput(n, now() - t0, cpu() - c0);

  await raw.send(new DeleteTableCommand({ TableName: "bench_js_seq" }));
  await raw.send(new DeleteTableCommand({ TableName: "bench_js_bulk" }));
  console.log(JSON.stringify({ client: "aws-sdk-js-v3", put, get, bulk, scan }));
}
main().catch((e) => { console.error(e); process.exit(1); });

-- One benchmark scenario for wrk, described by environment variables (bench/run.sh sets them):
--   BENCH_METHOD   POST or GET
--   BENCH_PATH     request path and query
--   BENCH_BODY     file whose bytes are the request body (optional)
--   BENCH_HEADERS  extra headers, "Name: value|Name: value"
--   BENCH_TOKENS   file of bearer tokens, one a line; with more than one, requests rotate through
--                  them in order (many distinct callers), each request built once up front
-- done() prints one line "BENCH_RESULT {json}" with the counts and latency percentiles (µs).

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local function read_lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then
      out[#out + 1] = line
    end
  end
  return out
end

wrk.method = os.getenv("BENCH_METHOD") or "POST"
wrk.path = os.getenv("BENCH_PATH") or "/"
local body_file = os.getenv("BENCH_BODY") or ""
if body_file ~= "" then
  wrk.body = read_file(body_file)
end
for header in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = header:match("^%s*([^:]+):%s*(.-)%s*$")
  wrk.headers[name] = value
end

local tokens = {}
local token_file = os.getenv("BENCH_TOKENS") or ""
if token_file ~= "" then
  tokens = read_lines(token_file)
end

if #tokens == 1 then
  wrk.headers["Authorization"] = "Bearer " .. tokens[1]
elseif #tokens > 1 then
  local requests = {}
  local next_request = 0

  function init(args)
    for i, token in ipairs(tokens) do
      local headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      headers["Authorization"] = "Bearer " .. token
      requests[i] = wrk.format(nil, nil, headers, nil)
    end
  end

  function request()
    next_request = next_request % #requests + 1
    return requests[next_request]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,'
      .. '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"p50_us":%.1f,"p90_us":%.1f,'
      .. '"p99_us":%.1f,"p999_us":%.1f,"max_us":%.1f,"mean_us":%.1f,"distinct_tokens":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, #tokens))
end

-- wrk script: product reads and inventory writes, chosen per request (issue 12).
--   with probability BENCH_WRITE_SHARE (0.1 by default; 1 = writes only):
--     POST /api/v2/variant/update-inventory, form body sku=<random line of BENCH_SKUS>&inventory=<random 0..500>
--     &access_token=<BENCH_TOKEN> (the SKU file holds URL-encoded SKUs, one per line)
--   otherwise: GET /api/v2/product?id=<random line of BENCH_IDS>&access_token=<BENCH_TOKEN>
-- At the end it prints "mix: <reads> reads, <writes> writes sent" (requests sent by request(), over all
-- threads), which bench/run.py reads back. Both servers of a comparison are loaded with this script.
local token = os.getenv("BENCH_TOKEN") or "an_example_access_token"
local share = tonumber(os.getenv("BENCH_WRITE_SHARE") or "0.1")

local function lines(name)
  local out = {}
  for line in io.lines(name) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local ids = share < 1 and lines(os.getenv("BENCH_IDS") or "bench/out/ids.txt") or {}
local skus = share > 0 and lines(os.getenv("BENCH_SKUS") or "bench/out/skus.txt") or {}
local read_head, read_tail = "/api/v2/product?id=", "&access_token=" .. token
local write_path = "/api/v2/variant/update-inventory"
local write_tail = "&access_token=" .. token

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_no", #threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_no or 0))
  reads, writes = 0, 0
end

function request()
  if math.random() < share then
    writes = writes + 1
    local body = "sku=" .. skus[math.random(#skus)] .. "&inventory=" .. math.random(0, 500) .. write_tail
    return wrk.format("POST", write_path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  end
  reads = reads + 1
  return wrk.format("GET", read_head .. ids[math.random(#ids)] .. read_tail)
end

function done(summary, latency, requests)
  local r, w = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("reads")
    w = w + t:get("writes")
  end
  io.write(string.format("mix: %d reads, %d writes sent\n", r, w))
end

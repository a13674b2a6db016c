-- wrk script: GET <BENCH_PATH>?id=<random id>&access_token=<BENCH_TOKEN>, one random id per request.
-- Ids come from the file named by BENCH_IDS (one per line); both servers are loaded with this script.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS") or "bench/out/ids.txt") do
  if line ~= "" then ids[#ids + 1] = line end
end
local path = os.getenv("BENCH_PATH") or "/api/v2/product"
local token = os.getenv("BENCH_TOKEN") or "an_example_access_token"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_no or 0))
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", path .. "?id=" .. id .. "&access_token=" .. token)
end

-- GET /api/v2/product?id=<random seeded id>&access_token=... ; ids come from bench/out/ids.txt
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS") or "bench/out/ids.txt") do ids[#ids + 1] = line end
local token = os.getenv("BENCH_TOKEN") or "an_example_access_token"
math.randomseed(os.time())
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v2/product?id=" .. id .. "&access_token=" .. token)
end

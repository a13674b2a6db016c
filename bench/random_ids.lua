-- wrk script: GET <BENCH_PATH>?<BENCH_QUERY>, the query's placeholders drawn per request:
--   {id}    a random id from the file named by BENCH_IDS (one per line; read only when the query uses it)
--   {start} a random integer in 0..BENCH_START_MAX
--   {token} BENCH_TOKEN
-- BENCH_QUERY defaults to "id={id}&access_token={token}" (the product read); BENCH_HEADER, when set, is
-- one "Name: value" header sent with every request. Both servers of a comparison are loaded with this script.
local path = os.getenv("BENCH_PATH") or "/api/v2/product"
local token = os.getenv("BENCH_TOKEN") or "an_example_access_token"
local query = os.getenv("BENCH_QUERY") or "id={id}&access_token={token}"
local start_max = tonumber(os.getenv("BENCH_START_MAX") or "0")
local header = os.getenv("BENCH_HEADER")
if header and header ~= "" then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

-- the query split once into literal text and placeholders, so request() only concatenates
local parts = {}
local rest = path .. (query ~= "" and "?" or "") .. query:gsub("{token}", (token:gsub("%%", "%%%%")))
while true do
  local a, b, name = rest:find("{(%a+)}")
  if not a then break end
  parts[#parts + 1] = rest:sub(1, a - 1)
  parts[#parts + 1] = { name }
  rest = rest:sub(b + 1)
end
parts[#parts + 1] = rest

local ids = {}
if query:find("{id}", 1, true) then
  for line in io.lines(os.getenv("BENCH_IDS") or "bench/out/ids.txt") do
    if line ~= "" then ids[#ids + 1] = line end
  end
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_no or 0))
end

local function draw(name)
  if name == "id" then return ids[math.random(#ids)] end
  if name == "start" then return tostring(math.random(0, start_max)) end
  error("unknown placeholder {" .. name .. "}")
end

function request()
  local out = {}
  for i = 1, #parts do
    local p = parts[i]
    out[i] = type(p) == "table" and draw(p[1]) or p
  end
  return wrk.format("GET", table.concat(out))
end

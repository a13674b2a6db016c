-- wrk script: POST <BENCH_PATH> with the body read once from the file BENCH_BODY_FILE and the Content-Type
-- BENCH_CONTENT_TYPE (text/xml by default): the same request every time (WishPost's XML calls, issue 13).
local path = os.getenv("BENCH_PATH") or "/"
local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = file:read("*a")
file:close()
local ctype = os.getenv("BENCH_CONTENT_TYPE") or "text/xml; charset=utf-8"

function request()
  return wrk.format("POST", path, { ["Content-Type"] = ctype }, body)
end

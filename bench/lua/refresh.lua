-- POST /account/token/refresh/ with a fresh refresh token on every request:
-- each token is used once, as rotation requires.
-- args: path, token-file prefix (thread N reads <prefix>N.txt), chain ("1"/"0")
-- chain=1: the file holds only seeds, and each 200 response's new refresh
-- token is queued for a later request (the way a rotating client behaves).
-- If the queue runs dry the thread stops and done() reports it; the harness
-- then discards the run rather than report a rate over a shortened run.
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  path, chain = args[1], args[3] == "1"
  q, head, tail = {}, 1, 0
  for line in io.lines(args[2] .. tid .. ".txt") do
    tail = tail + 1
    q[tail] = line
  end
  exhausted = 0
end

function request()
  local token = "exhausted"
  if head <= tail then
    token = q[head]
    q[head] = nil
    head = head + 1
  else
    exhausted = exhausted + 1
    wrk.thread:stop()
  end
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" },
    '{"refresh":"' .. token .. '"}')
end

function response(status, headers, body)
  if chain and status == 200 then
    local r = body:match('"refresh"%s*:%s*"([^"]+)"')
    if r then
      tail = tail + 1
      q[tail] = r
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("exhausted") or 0) end
  io.write(string.format("BENCH_EXHAUSTED %d\n", total))
end

-- POST /account/join/ with a never-used email per request: thread id and a
-- per-thread counter under a run-unique prefix, so reps never collide.
-- args: path, prefix, password
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  path, prefix, password = args[1], args[2], args[3]
  n = 0
end

function request()
  n = n + 1
  local body = string.format('{"email":"%s-%d-%d@bench.test","password1":"%s","password2":"%s"}',
    prefix, tid, n, password, password)
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

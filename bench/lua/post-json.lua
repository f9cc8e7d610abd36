-- POST one JSON body per request, cycling through a file of bodies (one per
-- line). Used for login: several users, so no single account is hammered.
-- args: path, bodies-file
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  path = args[1]
  bodies = {}
  for line in io.lines(args[2]) do bodies[#bodies + 1] = line end
  i = tid -- offset threads so they do not send the same body in lockstep
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[i])
end

-- wrk script: GET /api/me with "stay signed in" sessions issued yesterday (SESSIONS: login,session
-- lines), each due for renewal: the server verifies the token, renews it and sets a new cookie,
-- without any password check.
local sessions = {}
for line in io.lines(os.getenv("SESSIONS")) do
  local session = line:match("^[^,]+,(v1%..+)$")
  if session then sessions[#sessions + 1] = session end
end
local next_session = math.random(#sessions)
request = function()
  next_session = next_session % #sessions + 1
  return wrk.format("GET", "/api/me", {["Cookie"] = "cartable_session=" .. sessions[next_session]})
end
local failures = 0
response = function(status)
  if status ~= 200 then failures = failures + 1 end
end
done = function()
  io.stderr:write(string.format("non-200 answers: %d\n", failures))
end

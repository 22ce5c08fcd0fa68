-- wrk script: POST /api/session for accounts taken in turn from ACCOUNTS (login,password lines),
-- so that every request is a full password check (argon2id) of a different pupil.
local accounts = {}
for line in io.lines(os.getenv("ACCOUNTS")) do
  local login, password = line:match("^([^,]+),([^,]+)")
  if login then accounts[#accounts + 1] = {login, password} end
end
local next_account = math.random(#accounts)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  next_account = next_account % #accounts + 1
  local account = accounts[next_account]
  local body = '{"login":"' .. account[1] .. '","password":"' .. account[2] .. '","remember":true}'
  return wrk.format(nil, "/api/session", nil, body)
end
local failures = 0
response = function(status)
  if status ~= 200 then failures = failures + 1 end
end
done = function()
  io.stderr:write(string.format("non-200 answers: %d\n", failures))
end

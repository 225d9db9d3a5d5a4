/**
 * The Lua scripts of the Redis runner. Every script gets the same six keys of one thread (all in
 * one hash slot thanks to the `{threadId}` tag):
 *
 * 1. `meta` (hash): agentId, runId, running ("1"/"0"), runFirstId, newestId, oldestId, bytes,
 *    historyBytes, owner, creator (the key of the session whose run created the thread)
 * 2. `log` (stream): one entry per event, entry id `<eventId>-0`, field `e` = the event's JSON,
 *    `x` = "1" on the event that ends a run
 * 3. `lease` (string, PX): `<instance>|<runId>` of the run's owner while it runs
 * 4. `history` (list): compacted JSON of each finished run, oldest first
 * 5. `seen` (set): message ids the thread has seen (RUN_STARTED carries only new messages)
 * 6. `readers` (sorted set): readers on other instances than the owner, score = expiry (ms)
 *
 * @packageDocumentation
 */

/**
 * Ends a run whose owner is gone (lease missing, or held by `token`): appends the terminal
 * RUN_ERROR (ARGV json), marks the thread not running, frees the lease, wakes the readers.
 * Returns {1, runFirstId, id} when it wrote, {0} otherwise.
 */
const END_LOST = `
local function end_lost(json, channel, token, runId)
  local meta = KEYS[1]
  if redis.call('HGET', meta, 'running') ~= '1' then return {0} end
  if runId ~= '' and redis.call('HGET', meta, 'runId') ~= runId then return {0} end
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= token then return {0} end
  local id = tonumber(redis.call('HGET', meta, 'newestId') or '0') + 1
  redis.call('XADD', KEYS[2], id .. '-0', 'e', json, 'x', '1')
  redis.call('HINCRBY', meta, 'bytes', string.len(json))
  redis.call('HSET', meta, 'newestId', id, 'running', '0')
  redis.call('DEL', KEYS[3])
  redis.call('PUBLISH', channel, id)
  return {1, tonumber(redis.call('HGET', meta, 'runFirstId') or '1'), id}
end
`;

/**
 * LOST. ARGV: json, channel, token ('' = only when the lease is gone), runId ('' = any).
 */
export const LOST_SCRIPT = `${END_LOST}
return end_lost(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`;

/**
 * START: claims the thread for a run. ARGV: token, runId, agentId, leaseMs, lostJson, channel,
 * ttlMs, owner, creator ('' unless the run creates the thread: then refused when it exists).
 * Returns {0, runningRunId} when busy, else {1, firstId, lostFirstId, lostId} (lostFirstId 0
 * unless a run whose owner died was ended first).
 */
export const START_SCRIPT = `${END_LOST}
local meta = KEYS[1]
if ARGV[9] ~= '' then
  if redis.call('EXISTS', meta) == 1 then return {0, redis.call('HGET', meta, 'runId') or ''} end
  redis.call('HSET', meta, 'creator', ARGV[9])
end
local lost = {0}
if redis.call('HGET', meta, 'running') == '1' and redis.call('EXISTS', KEYS[3]) == 0 then
  lost = end_lost(ARGV[5], ARGV[6], '', '')
end
if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[4]) then
  return {0, redis.call('HGET', meta, 'runId') or ''}
end
local newest = tonumber(redis.call('HGET', meta, 'newestId') or '0')
local oldest = redis.call('HGET', meta, 'oldestId') or tostring(newest + 1)
redis.call('HSET', meta, 'agentId', ARGV[3], 'runId', ARGV[2], 'running', '1', 'runFirstId', newest + 1,
  'newestId', newest, 'oldestId', oldest, 'owner', ARGV[8])
for k = 1, 5 do
  if k ~= 3 then redis.call('PEXPIRE', KEYS[k], ARGV[7]) end
end
return {1, newest + 1, lost[2] or 0, lost[3] or 0}
`;

/**
 * APPEND: the owner's batch of events. ARGV: token, firstId, maxBytes, channel, ttlMs,
 * historyJson ('' unless the batch ends the run), maxHistoryBytes, nSeen, seen ids…, then pairs
 * (json, end flag). Returns the newest id, -1 when the lease is not the caller's (the run was
 * taken over), -2 when ids do not follow on.
 */
export const APPEND_SCRIPT = `
local meta = KEYS[1]
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
local firstId = tonumber(ARGV[2])
local newest = tonumber(redis.call('HGET', meta, 'newestId') or '0')
if newest ~= firstId - 1 then return -2 end
local bytes = tonumber(redis.call('HGET', meta, 'bytes') or '0')
local nSeen = tonumber(ARGV[8])
local i = 9 + nSeen
local id = newest
local ended = false
local n = #ARGV
while i < n do
  id = id + 1
  local json = ARGV[i]
  if ARGV[i + 1] == '1' then
    redis.call('XADD', KEYS[2], id .. '-0', 'e', json, 'x', '1')
    ended = true
  else
    redis.call('XADD', KEYS[2], id .. '-0', 'e', json)
  end
  bytes = bytes + string.len(json)
  i = i + 2
end
local maxBytes = tonumber(ARGV[3])
local oldest = tonumber(redis.call('HGET', meta, 'oldestId') or '1')
if bytes > maxBytes and oldest < id then
  while bytes > maxBytes and oldest < id do
    local entries = redis.call('XRANGE', KEYS[2], oldest .. '-0', '+', 'COUNT', 256)
    if #entries == 0 then break end
    for _, entry in ipairs(entries) do
      if bytes <= maxBytes or oldest >= id then break end
      bytes = bytes - string.len(entry[2][2])
      oldest = oldest + 1
    end
  end
  redis.call('XTRIM', KEYS[2], 'MINID', oldest .. '-0')
end
redis.call('HSET', meta, 'newestId', id, 'bytes', bytes, 'oldestId', oldest)
if ended then
  redis.call('HSET', meta, 'running', '0')
  redis.call('DEL', KEYS[3])
  if ARGV[6] ~= '' then
    redis.call('RPUSH', KEYS[4], ARGV[6])
    local hb = redis.call('HINCRBY', meta, 'historyBytes', string.len(ARGV[6]))
    while hb > tonumber(ARGV[7]) and redis.call('LLEN', KEYS[4]) > 1 do
      local dropped = redis.call('LPOP', KEYS[4])
      hb = redis.call('HINCRBY', meta, 'historyBytes', -string.len(dropped))
    end
  end
  for s = 9, 8 + nSeen do redis.call('SADD', KEYS[5], ARGV[s]) end
  for k = 1, 5 do
    if k ~= 3 then redis.call('PEXPIRE', KEYS[k], ARGV[5]) end
  end
end
redis.call('PUBLISH', ARGV[4], id)
return id
`;

/**
 * READ: events from ARGV[1] (inclusive), at most ARGV[2], and the thread's state, atomically.
 * Returns {entries, running, leaseExists, oldestId, newestId, metaExists}.
 */
export const READ_SCRIPT = `
local entries = redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', '+', 'COUNT', ARGV[2])
local m = redis.call('HMGET', KEYS[1], 'running', 'oldestId', 'newestId')
return {entries, m[1] or '', redis.call('EXISTS', KEYS[3]), m[2] or '0', m[3] or '0', redis.call('EXISTS', KEYS[1])}
`;

/** RENEW: extends the lease when the caller holds it. ARGV: token, leaseMs, ttlMs. Returns 1 or 0. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[3], ARGV[2])
for k = 1, 5 do
  if k ~= 3 then redis.call('PEXPIRE', KEYS[k], ARGV[3]) end
end
return 1
`;

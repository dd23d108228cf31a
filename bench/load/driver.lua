-- wrk script of the load benchmark: a fixed number of requests, as fast as the connections allow.
--   wrk ... -s driver.lua URL -- get  <expected status> <threads> <path> <requests>
--   wrk ... -s driver.lua URL -- post <expected status> <threads> <attendees file>
-- "post" reads one attendee per line (path, Cookie header, form body; tab-separated), gives each
-- wrk thread its own share of the attendees and POSTs once for each of them. A thread that has
-- all its answers prints "THREAD_DONE" and stops; wrk.py then ends wrk, so that wrk's duration
-- is the time the burst took. Every answer with another status than the expected one is an
-- error. Redirects are counted by their target (Location without query string), so that a
-- scenario can check where the burst went. done() prints one JSON line starting with "RESULT ".

local threads = {}

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local mode, thread_count = args[1], tonumber(args[3])
   expected = tonumber(args[2])
   statuses = {}
   locations = {}
   prepared = {}
   issued, answered = 0, 0
   if mode == "post" then
      local line_no = 0
      for line in io.lines(args[4]) do
         if line ~= "" then
            if line_no % thread_count == thread_index then
               local path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
               prepared[#prepared + 1] = wrk.format("POST", path, {
                  ["Cookie"] = cookie,
                  ["Content-Type"] = "application/x-www-form-urlencoded",
               }, body)
            end
            line_no = line_no + 1
         end
      end
      quota = #prepared
   else
      prepared[1] = wrk.format("GET", args[4])
      local total = tonumber(args[5])
      quota = math.floor(total / thread_count) + ((thread_index < total % thread_count) and 1 or 0)
   end
end

function request()
   -- Connections still open when the quota is reached ask once more: they repeat early attendees.
   issued = issued + 1
   return prepared[(issued - 1) % #prepared + 1]
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
   answered = answered + 1
   local location = headers["Location"] or headers["location"]
   if location then
      location = location:match("^[^?]*")
      locations[location] = (locations[location] or 0) + 1
   end
   if answered == quota then
      io.write("THREAD_DONE\n")
      io.flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local counts, targets, unexpected, quotas = {}, {}, 0, 0
   for _, thread in ipairs(threads) do
      quotas = quotas + thread:get("quota")
      local expected_status = tostring(thread:get("expected"))
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
         if status ~= expected_status then
            unexpected = unexpected + n
         end
      end
      for location, n in pairs(thread:get("locations")) do
         targets[location] = (targets[location] or 0) + n
      end
   end
   local redirects = {}
   for location, n in pairs(targets) do
      redirects[#redirects + 1] = string.format('"%s": %d', location:gsub('[%c"\\]', "_"), n)
   end
   local parts = {}
   for status, n in pairs(counts) do
      parts[#parts + 1] = string.format('"%s": %d', status, n)
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"duration_us": %d, "requests": %d, "planned": %d, "unexpected_status": %d, ' ..
      '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
      '"max_us": %d, "mean_us": %.1f, "statuses": {%s}, "locations": {%s}}\n',
      summary.duration, summary.requests, quotas, unexpected,
      e.connect + e.read + e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, table.concat(parts, ", "), table.concat(redirects, ", ")))
end

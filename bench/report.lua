-- wrk script of bench/load.py: counts every response that is not a 200 (wrk itself only counts
-- 4xx/5xx, so a redirect to the login page would pass unnoticed) and prints one line with the
-- figures the benchmark reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_status == 0 then
      first_status = status
    end
  end
end

function done(summary, latency, requests)
  local bad, status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    if status == 0 then
      status = thread:get("first_status")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d not_200=%d "
      .. "first_bad_status=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, status, errors.connect + errors.read + errors.write,
    errors.timeout
  ))
end

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One enrolled Mac, as the wrk scripts address it. */
export interface FleetMac {
  readonly id: string;
  readonly key: string;
}

/** What one wrk run measured. */
export interface WrkResult {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers other than 2xx/3xx, and socket errors. */
  readonly failures: number;
}

/** Writes the wrk script that checks the Macs in, one after the other. */
export async function checkInScript(dir: string, macs: readonly FleetMac[]): Promise<string> {
  return script(
    dir,
    'checkin.lua',
    macs,
    `wrk.path = "/api/v1/checkin"
     local body = '{"licenseKey":"' .. mac[2] .. '","deviceId":"' .. mac[1] ..
       '","hostname":"mac-' .. n .. '.fleet.test","arch":"arm64","agentVersion":"1.0.0"}'`,
  );
}

/** Writes the wrk script that posts a batch of five download-progress events per request. */
export async function eventsScript(dir: string, macs: readonly FleetMac[]): Promise<string> {
  return script(
    dir,
    'events.lua',
    macs,
    `local events = {}
     for i = 1, 5 do
       local id = string.format("%08x-0000-4000-8%03x-%012x", prefix, i, n)
       events[i] = '{"id":"' .. id .. '","type":"download-progress",' ..
         '"at":"2026-01-01T00:00:00.000Z","goldenImageId":"win11-all","transferred":' ..
         (n * 5 + i) .. ',"attemptBytes":0,"resumedFrom":0}'
     end
     local body = '{"licenseKey":"' .. mac[2] .. '","events":[' .. table.concat(events, ',') .. ']}'
     local path = "/api/v1/devices/" .. mac[1] .. "/events"`,
  );
}

async function script(dir: string, name: string, macs: readonly FleetMac[], build: string) {
  const list = macs.map((mac) => `{"${mac.id}","${mac.key}"}`).join(',\n');
  const file = join(dir, name);
  await writeFile(
    file,
    `local macs = {${list}}
local n = 0
local prefix = 0
function init(args) math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6)); prefix = math.random(1, 2147483647) end
function request()
  n = n + 1
  local mac = macs[(n % #macs) + 1]
  local path = wrk.path
  ${build}
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
local told = false
function response(status, headers, body)
  if status >= 300 and not told then io.stderr:write(status .. " " .. body .. "\\n"); told = true end
end
`,
  );
  return file;
}

/** Runs wrk for `seconds` at `connections` with a script; parses rate, p50, p99 and failures. */
export async function runWrk(
  url: string,
  scriptFile: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', scriptFile, url];
  const { stdout, stderr } = await promisify(execFile)('wrk', args);
  if (stderr) process.stderr.write(stderr);
  const ms = (line: string) => {
    const match = new RegExp(`^\\s*${line}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    const scale = { us: 0.001, ms: 1, s: 1000 }[(match?.[2] ?? 'ms') as 'us' | 'ms' | 's'];
    return Number(match?.[1] ?? NaN) * scale;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  return {
    requestsPerSec: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1] ?? NaN),
    p50Ms: ms('50'),
    p99Ms: ms('99'),
    failures:
      Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0) +
      (socket ? socket.slice(1).reduce((sum, x) => sum + Number(x), 0) : 0),
  };
}

"""HTTP load driver: runs Debian's `wrk` against a running Kefu site and reports p50/p90/p99 latency and
requests/s, the median of several runs.

    python bench/http_load.py --base http://127.0.0.1:5100 /healthz
    python bench/http_load.py --base http://127.0.0.1:5100 --login manager@demo.kefu.local '/desk/?queue=all'
    python bench/http_load.py --base http://127.0.0.1:5100 --token "$(kefu token create manager@demo.kefu.local)" \\
        --post-json '{"type": "inquiry", "title": "压测工单 {n}", "body": "水表读数不对", "customer_id": 1}' \\
        /api/v1/tickets

--login signs in through the real form (CSRF token scraped from /login) and sends the session cookie;
--token sends `Authorization: Bearer …`. With --post-json every request is a POST of that JSON, with {n}
replaced by a value unique to the request (start time, thread, counter). Each path is checked once before the runs: a redirect to the
sign-in page or an error stops the benchmark instead of measuring it.
"""
import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
PERCENTILES = ("50", "90", "99")


def lua_string(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def wrk_script(method, headers, template):
    """The Lua script: headers on every request; for a POST, a body with {n} made unique per request."""
    lines = [f"wrk.method = {lua_string(method)}"]
    lines += [f"wrk.headers[{lua_string(name)}] = {lua_string(value)}" for name, value in headers.items()]
    if template is not None:
        lines += [
            f"local template = {lua_string(template)}",
            "local started, threads, counter = os.time(), 0, 0",
            "function setup(thread) threads = threads + 1; thread:set('thread_number', threads) end",
            "function request()",
            "  counter = counter + 1",
            "  local n = started .. '-' .. thread_number .. '-' .. counter",
            "  return wrk.format(nil, nil, nil, (template:gsub('{n}', n)))",
            "end",
        ]
    return "\n".join(lines) + "\n"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base, email, password):
    """The Cookie header of a signed-in session, through the sign-in form as a browser does it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/login").read().decode()
    match = CSRF.search(page)
    if not match:
        sys.exit("no CSRF token on /login")
    form = urllib.parse.urlencode({"csrf_token": match.group(1), "email": email, "password": password}).encode()
    try:
        opener.open(base + "/login", data=form)
        sys.exit(f"sign-in of {email} failed: the form came back (wrong password?)")
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            sys.exit(f"sign-in of {email} failed with HTTP {exc.code}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def check(base, path, method, headers, body):
    """One request before the runs: it must succeed without a redirect."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, data=body.encode() if body else None, headers=headers,
                                     method=method)
    try:
        with opener.open(request) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        sys.exit(f"{method} {path} answered HTTP {exc.code} {exc.headers.get('Location', '')}".rstrip())


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output):
    result = {}
    for percentile in PERCENTILES:
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.M)
        result[f"p{percentile}"] = to_ms(match.group(1))
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    return result


def run_wrk(args, url, script):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
               f"--timeout={args.timeout}s", "-s", script, url]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="paths to measure, e.g. /healthz '/desk/?queue=all'")
    parser.add_argument("--base", default="http://127.0.0.1:5100", help="the site's address")
    parser.add_argument("--login", metavar="EMAIL", help="sign in as this account and send its session cookie")
    parser.add_argument("--password", default="kefu-demo", help="password for --login (the demo accounts')")
    parser.add_argument("--token", help="API token, sent as Authorization: Bearer")
    parser.add_argument("--post-json", metavar="JSON", help="POST this JSON body; {n} becomes a unique value")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=25, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=30, help="seconds before wrk counts a request as timed out")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")

    base = args.base.rstrip("/")
    headers = {}
    if args.login:
        headers["Cookie"] = sign_in(base, args.login, args.password)
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    method = "POST" if args.post_json else "GET"
    if args.post_json:
        headers["Content-Type"] = "application/json"
        json.loads(args.post_json.replace("{n}", "0"))  # fail here on a malformed body, not in wrk

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(method, headers, args.post_json))
    try:
        print(f"wrk: {args.threads} threads, {args.connections} connections, {args.duration} s x {args.runs} runs")
        print(f"{'path':<40} {'run':>6} {'req/s':>9} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'errors':>7}")
        for path in args.paths:
            status = check(base, path, method, headers, args.post_json and args.post_json.replace("{n}", "check"))
            runs = [run_wrk(args, base + path, script.name) for _ in range(args.runs)]
            for number, run in enumerate(runs, 1):
                print(f"{path:<40} {number:>6} {run['rps']:>9.1f} {run['p50']:>9.1f} {run['p90']:>9.1f} "
                      f"{run['p99']:>9.1f} {run['non_2xx'] + run['socket_errors']:>7}")
            median = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p90", "p99")}
            print(f"{path:<40} {'median':>6} {median['rps']:>9.1f} {median['p50']:>9.1f} {median['p90']:>9.1f} "
                  f"{median['p99']:>9.1f}   (HTTP {status})")
    finally:
        os.unlink(script.name)


if __name__ == "__main__":
    main()

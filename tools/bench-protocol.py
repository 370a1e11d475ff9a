#!/usr/bin/env python3
"""Protocol benchmark (issue #2): starts the packaged launcher the way Grafana does (exec, minimal
environment, magic cookie) and prints the median time from exec to the handshake line over N starts and the
idle resident memory after the handshake. Usage: bench-protocol.py [DIST_DIR] [RUNS]"""
import os, signal, statistics, subprocess, sys, time

dist = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "dist"))
runs = int(sys.argv[2] if len(sys.argv) > 2 else 10)
launcher = os.path.join(dist, "gpx_cql_linux_amd64")
env = {"grafana_plugin_type": "datasource", "PLUGIN_PROTOCOL_VERSIONS": "2"}
if os.environ.get("JAVA_HOME"):
    env["JAVA_HOME"] = os.environ["JAVA_HOME"]

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

handshakes, rss, exits = [], [], []
for i in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([launcher], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    handshakes.append((time.perf_counter() - t0) * 1000)
    if not line.startswith(b"1|2|tcp|127.0.0.1:"):
        sys.exit(f"unexpected handshake: {line!r}")
    time.sleep(2.0)  # idle: nothing asked of it yet
    rss.append(rss_kib(p.pid) / 1024)
    t1 = time.perf_counter()
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    exits.append((time.perf_counter() - t1) * 1000)

print(f"handshake: median {statistics.median(handshakes):.0f} ms over {runs} starts (min {min(handshakes):.0f}, max {max(handshakes):.0f})")
print(f"idle RSS after handshake: median {statistics.median(rss):.0f} MiB (max {max(rss):.0f})")
print(f"SIGTERM to exit: median {statistics.median(exits):.0f} ms")

#!/usr/bin/env python3
"""scripts/lib/bench-jmh-compare.py BEFORE_JAR AFTER_JAR [ROUNDS] [JMH ARGS...]: runs the JMH
benchmarks of two builds of memshare-bench.jar (say main's and a branch's; build each with
`mvn -q package -DskipTests` and copy target/memshare-bench/memshare-bench.jar) alternately,
ROUNDS times each (default 2), so that machine noise hits both alike, and prints one line per
benchmark: the scores of every round (ns/op), the median of each side and after/before. Run it
through scripts/lib/high-priority.sh on a shared machine."""
import csv, os, statistics, subprocess, sys, tempfile

before, after = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
extra = sys.argv[4:]
scores = {"before": {}, "after": {}}
for r in range(rounds):
    for side, jar in (("before", before), ("after", after)):
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
            out = f.name
        subprocess.run(["java", "-cp", jar, "org.openjdk.jmh.Main", "-rf", "csv", "-rff", out] + extra,
                       check=True, stdout=subprocess.DEVNULL)
        for row in csv.DictReader(open(out)):
            scores[side].setdefault(row["Benchmark"].rsplit(".", 1)[-1], []).append(float(row["Score"]))
        os.unlink(out)
        print(f"# round {r + 1} {side} done", file=sys.stderr, flush=True)
for name in sorted(scores["before"]):
    b, a = scores["before"][name], scores["after"].get(name, [])
    if not a:
        continue
    mb, ma = statistics.median(b), statistics.median(a)
    raw = lambda xs: " ".join(f"{x:.3f}" for x in xs)
    print(f"BENCH jmh_{name} before {mb:.3f} after {ma:.3f} ns/op ratio {ma / mb:.3f} "
          f"(raw before {raw(b)}; after {raw(a)})")

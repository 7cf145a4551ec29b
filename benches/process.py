#!/usr/bin/env python3
"""Whole-process figures for zhengce: wall time and peak memory of real command lines.

    python3 benches/process.py            # everything (builds the release binary first)
    python3 benches/process.py parse      # only `zhengce parse` on the seed
    python3 benches/process.py batch      # batch throughput, 1 and 2 threads, over ~100 MB
    python3 benches/process.py stream     # peak memory of --stdin-jsonl at 10 and 100 MB

Times are wall-clock medians; memory is the peak resident set size of the child process as the
kernel reports it (getrusage). The machine is shared and noisy: read the figures as orders of
magnitude, and compare runs taken on one machine.
"""

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "zhengce")
SEED = os.path.join(ROOT, "seeds", "000_c965c7f64a70dc2d.txt")
CORPUS = os.path.join(ROOT, "tests", "corpus")


def run(args, stdin=None, stdout=subprocess.DEVNULL):
    """Runs a command; returns (seconds, peak RSS in MB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    if stdin is None:
        subprocess.run(args, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    else:
        with open(stdin, "rb") as f:
            subprocess.run(args, stdin=f, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    secs = time.perf_counter() - start
    # ru_maxrss of children is the largest of all children so far: measure in a fresh process
    # (see peak_rss) when the figure matters.
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return secs, max(before, after) / 1024.0


def peak_rss(args, stdin=None):
    """Peak RSS in MB of one run, measured in a fresh interpreter so earlier runs don't count."""
    code = (
        "import resource,subprocess,sys,json;"
        "a=json.loads(sys.argv[1]);s=sys.argv[2] or None;"
        "f=open(s,'rb') if s else None;"
        "subprocess.run(a,stdin=f,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args), stdin or ""], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024.0


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def bench_parse():
    runs = 200
    times = []
    for _ in range(10):
        run([BIN, "parse", SEED])
    for _ in range(runs):
        times.append(run([BIN, "parse", SEED])[0])
    rss = peak_rss([BIN, "parse", SEED])
    size = os.path.getsize(SEED)
    print(f"parse seed ({size / 1000:.0f} kB), {runs} runs: median {statistics.median(times) * 1000:.2f} ms, "
          f"min {min(times) * 1000:.2f} ms; peak RSS {rss:.1f} MB")


def corpus_files():
    files = [SEED] + sorted(
        os.path.join(CORPUS, n) for n in os.listdir(CORPUS) if n.endswith(".txt")
    )
    return files


def build_tree(target_bytes, workdir):
    """Copies the fixtures into `workdir` until they add up to `target_bytes`."""
    files = corpus_files()
    total = 0
    n = 0
    while total < target_bytes:
        for f in files:
            dst = os.path.join(workdir, f"{n:06d}_{os.path.basename(f)}")
            shutil.copyfile(f, dst)
            total += os.path.getsize(f)
            n += 1
            if total >= target_bytes:
                break
    return total, n


def bench_batch():
    with tempfile.TemporaryDirectory() as d:
        total, n = build_tree(100_000_000, d)
        print(f"batch over {n} documents, {total / 1e6:.0f} MB (the fixtures repeated):")
        base = None
        for j in (1, 2):
            secs, _ = run([BIN, "batch", d, "--jsonl", "-q", "-j", str(j)])
            rate = total / 1e6 / secs
            docs = n / secs * 60
            base = base or secs
            print(f"  -j {j}: {secs:.2f} s, {rate:.1f} MB/s, {docs:,.0f} documents/minute, "
                  f"speed-up {base / secs:.2f}x")


def stream_file(path, target_bytes):
    files = [open(f, encoding="utf-8").read() for f in corpus_files()]
    total = 0
    i = 0
    with open(path, "w", encoding="utf-8") as out:
        while total < target_bytes:
            line = json.dumps({"id": i, "text": files[i % len(files)]}, ensure_ascii=False)
            out.write(line + "\n")
            total += len(line.encode("utf-8")) + 1
            i += 1
    return total, i


def bench_stream():
    with tempfile.TemporaryDirectory() as d:
        print("--stdin-jsonl peak memory (should stay flat as the input grows):")
        for mb in (10, 100):
            path = os.path.join(d, f"in{mb}.jsonl")
            total, lines = stream_file(path, mb * 1_000_000)
            rss = peak_rss([BIN, "batch", "--stdin-jsonl", "-q", "-j", "2"], stdin=path)
            secs, _ = run([BIN, "batch", "--stdin-jsonl", "-q", "-j", "2"], stdin=path)
            print(f"  {total / 1e6:.0f} MB, {lines} lines: peak RSS {rss:.1f} MB, {secs:.2f} s "
                  f"({total / 1e6 / secs:.1f} MB/s)")


def main():
    which = sys.argv[1:] or ["parse", "batch", "stream"]
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    print(f"machine: {machine()}")
    if "parse" in which:
        bench_parse()
    if "batch" in which:
        bench_batch()
    if "stream" in which:
        bench_stream()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""zhengce beside the tools users reach for today, on the seed document, warm.

    python3 benches/peers.py

Runs each peer that is installed (skips the others, saying so):
  - JioNLP (`pip install jionlp`): money, time and bracket extraction only;
  - Microsoft Recognizers-Text (`pip install recognizers-text-suite "emoji<1.0"`; its last
    release imports a name that emoji 1.0 removed): numbers with units only.
and zhengce's whole pipeline (metadata, headings, departments, targets, JSON), timed per
document inside one warm process: `zhengce batch --stdin-jsonl -j 1` over 1 and over 201 copies
of the seed, the difference divided by 200, so process start-up is not counted.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "zhengce")
SEED = os.path.join(ROOT, "seeds", "000_c965c7f64a70dc2d.txt")


def best(f, runs=5):
    f()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def zhengce_per_document(text):
    line = json.dumps({"id": 0, "text": text}, ensure_ascii=False) + "\n"
    with tempfile.TemporaryDirectory() as d:
        def timed(n):
            path = os.path.join(d, f"{n}.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write(line * n)
            def go():
                with open(path, "rb") as f:
                    subprocess.run([BIN, "batch", "--stdin-jsonl", "-q", "-j", "1"], stdin=f,
                                   stdout=subprocess.DEVNULL, check=True)
            return best(go)
        return (timed(201) - timed(1)) / 200


def jionlp_time(text):
    try:
        import jionlp as jio  # noqa: F401
    except ImportError:
        return None
    import jionlp as jio

    def go():
        jio.ner.extract_money(text)
        jio.ner.extract_time(text)
        jio.extract_parentheses(text, "()（）[]【】")

    return best(go)


def recognizers_time(text):
    try:
        from recognizers_number import recognize_number, Culture  # noqa: F401
        from recognizers_number_with_unit import recognize_dimension, recognize_currency
    except ImportError:
        return None

    def go():
        recognize_number(text, Culture.Chinese)
        recognize_dimension(text, Culture.Chinese)
        recognize_currency(text, Culture.Chinese)

    return best(go, runs=3)


def main():
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    text = open(SEED, encoding="utf-8").read()
    z = zhengce_per_document(text)
    print(f"zhengce (whole pipeline): {z * 1000:.2f} ms per document")
    for name, measure in [
        ("JioNLP (money + time + brackets)", jionlp_time),
        ("Recognizers-Text (numbers + units)", recognizers_time),
    ]:
        t = measure(text)
        if t is None:
            print(f"{name}: not installed, skipped")
        else:
            print(f"{name}: {t * 1000:.1f} ms per document, {t / z:,.0f}x zhengce's time")


if __name__ == "__main__":
    sys.exit(main())

"""A local-mode Spark job that runs zhengce as a mapper, as a cluster job would, and checks
that every input line gets one answer line, in order.

    pip install pyspark                      # Spark from PyPI; needs Java 17
    cargo build --release
    python3 tests/tools/spark_local.py [--binary target/release/zhengce] [--copies 40]

The input is the seed and the corpus texts as `{"id": …, "text": …}` lines, repeated
`--copies` times, with a line that is not JSON and one without `text` among them. The job
reads it with `sc.textFile` in four partitions and pipes each partition through
`zhengce batch --stdin-jsonl -q -j 1` twice: with PySpark's `RDD.pipe` (the README's example,
run by the Python workers) and with the JVM's own `JavaRDD.pipe`. The latter writes to the
program in the JVM's default charset: under a C locale that is ASCII and every Chinese
character arrives as `?`, so the session sets `-Dfile.encoding=UTF-8` for driver and executors
(the script also shows what happens without it, with `--no-utf8`).

A mapper's exit code fails the task when it is not 0: `--stdin-jsonl` exits 0 when every line
got its answer (error records included), so `checkCode=True` holds. Not run in CI.
"""
import argparse, json, os, sys, tempfile, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def inputs(copies):
    texts = []
    for folder in ('seeds', 'tests/corpus'):
        d = os.path.join(ROOT, folder)
        for name in sorted(os.listdir(d)):
            if name.endswith('.txt'):
                with open(os.path.join(d, name), encoding='utf-8') as f:
                    texts.append(f.read())
    lines = []
    for c in range(copies):
        for t in texts:
            lines.append(json.dumps({'id': len(lines), 'text': t}, ensure_ascii=False))
        lines.append('not json, line %d' % len(lines))
        lines.append(json.dumps({'id': len(lines)}))
    return lines


def check(name, sent, answers):
    """One answer per line, in order: the ids come back as sent (null for the line that is
    not JSON), a document or an error each."""
    assert len(answers) == len(sent), f'{name}: {len(sent)} lines gave {len(answers)} answers'
    documents = errors = 0
    for i, (line, answer) in enumerate(zip(sent, answers)):
        got = json.loads(answer)
        try:
            want = json.loads(line).get('id')
        except ValueError:
            want = None
        assert got['id'] == want, f'{name}: answer {i} has id {got["id"]}, expected {want}'
        if 'schema' in got:
            documents += 1
            assert got['tasks'], f'{name}: line {i} has no tasks'
        else:
            errors += 1
    return documents, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--binary', default=os.path.join(ROOT, 'target/release/zhengce'))
    ap.add_argument('--copies', type=int, default=40)
    ap.add_argument('--no-utf8', action='store_true', help='leave the JVM charset as the locale has it')
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f'{binary}: build it first (cargo build --release)')
    from pyspark.sql import SparkSession

    lines = inputs(args.copies)
    work = tempfile.mkdtemp(prefix='zhengce-spark-')
    path = os.path.join(work, 'notices.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    builder = SparkSession.builder.master('local[2]').appName('zhengce-mapper')
    if not args.no_utf8:
        for key in ('spark.driver.extraJavaOptions', 'spark.executor.extraJavaOptions'):
            builder = builder.config(key, '-Dfile.encoding=UTF-8')
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel('ERROR')
    sc = spark.sparkContext
    # In local mode the executors run in this process's folder; on a cluster, ship the binary
    # with `spark-submit --files zhengce` and name it `./zhengce`.
    command = f'{binary} batch --stdin-jsonl -q -j 1'
    rdd = sc.textFile(path, minPartitions=4)
    sent = rdd.collect()
    started = time.time()
    python_answers = rdd.pipe(command, checkCode=True).collect()
    python_secs = time.time() - started
    started = time.time()
    jvm_answers = list(sc._jsc.textFile(path, 4).pipe(command).collect())
    jvm_secs = time.time() - started
    out = os.path.join(work, 'parsed')
    rdd.pipe(command, checkCode=True).saveAsTextFile(out)
    spark.stop()
    # The part files in name order, as a downstream reader takes them (`textFile` on the
    # folder does not promise their order).
    saved = []
    for name in sorted(n for n in os.listdir(out) if n.startswith('part-')):
        with open(os.path.join(out, name), encoding='utf-8') as f:
            saved.extend(f.read().splitlines())
    print(f'{len(sent)} lines in {rdd.getNumPartitions()} partitions, {os.path.getsize(path) / 1e6:.1f} MB')
    docs, errs = check('RDD.pipe (Python)', sent, python_answers)
    print(f'RDD.pipe (Python): {docs} documents, {errs} error records, in order, {python_secs:.1f} s')
    check('saveAsTextFile', sent, saved)
    print(f'saveAsTextFile: {len(saved)} lines read back, in order')
    try:
        docs, errs = check('JavaRDD.pipe (JVM)', sent, jvm_answers)
        same = jvm_answers == python_answers
        print(f'JavaRDD.pipe (JVM): {docs} documents, {errs} error records, in order, '
              f'{"identical to" if same else "DIFFERENT from"} the Python pipe, {jvm_secs:.1f} s')
        if not same:
            return 1
    except AssertionError as e:
        print(f'JavaRDD.pipe (JVM): {e}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
